"""The process's timeline: every event with its format, dates and counts, the snapshots and the
decisions, in date order; for every member of the process's team."""
import re
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import Contribution, Decision, Interview, Participant, Process, Vote
from app.models.base import utcnow
from app.services.cafe import events
from app.services.goals import goaltree, snapshots

TITLE = re.compile(r'<h2 class="timeline-title">(.*?)</h2>', re.S)


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def process_with_history(app, make):
    """A café with people, ideas and dots; a workshop with an online phase; an online event; two
    interviews; a conference without a date; a decision and a snapshot."""
    made = make.process()
    with app.app_context():
        process = db.session.get(Process, made.id)
        field = next(f for f in process.action_fields if f.name["de"] == "Wohnen und Quartier")
        cafe = events.create_event(process, "Bürgerforum im Rathaus", starts_on=date(2026, 3, 14), table_count=2,
                                   questions=[{"de": "Was wünschen Sie sich?"}])
        workshop = events.create_event(process, "Werkstatt Wohnen", format="workshop", starts_on=date(2026, 5, 20))
        workshop.action_field_id = field.id
        workshop.online_starts_on, workshop.online_ends_on = date(2026, 5, 1), date(2026, 5, 31)
        online = events.create_event(process, "Online-Beteiligung", format="online")
        online.online_starts_on, online.online_ends_on = date(2026, 2, 1), date(2026, 2, 28)
        interviews = events.create_event(process, "Experteninterviews", format="interview")
        events.create_event(process, "Zukunftskonferenz", format="conference")  # no date yet
        db.session.add_all([Interview(event=interviews, role="Schulleitung", held_on=date(2026, 4, 20)),
                            Interview(event=interviews, role="Jobcenter", held_on=date(2026, 4, 10))])
        db.session.add(Contribution(event=interviews, text="Mehr Praktika", language="de", origin="interview"))

        people = [Participant(event_id=cafe.id, token=f"{n}" * 43) for n in range(3)]
        people[2].registration_state = "registered"  # registered, never came: did not take part
        db.session.add_all(people)
        db.session.flush()
        ideas = [Contribution(event_id=cafe.id, participant_id=people[0].id, text=f"Idee {n}", language="de")
                 for n in range(4)]
        ideas[2].hidden_at = utcnow()
        db.session.add_all(ideas)
        db.session.flush()
        ideas[3].merged_into_id, ideas[3].status = ideas[0].id, "merged"
        db.session.add_all([Vote(participant_id=people[0].id, contribution_id=ideas[0].id),
                            Vote(participant_id=people[1].id, contribution_id=ideas[0].id),
                            Vote(participant_id=people[1].id, contribution_id=ideas[1].id),
                            Vote(participant_id=people[1].id, contribution_id=ideas[2].id)])  # on a hidden idea

        root = goaltree.ensure_tree(process)
        housing = next(node for node in root.children if node.action_field_id == field.id)
        db.session.add(Decision(process_id=process.id, decided_on=date(2026, 4, 1),
                                meeting="2. Sitzung der Steuerungsgruppe",
                                text="Wohnen wird Schwerpunkt.\nDer Workshop folgt im Mai.", nodes=[housing]))
        snapshot = snapshots.freeze(process, "Evaluation 2026")
        snapshot.taken_at = datetime(2026, 6, 30, 8, 0, tzinfo=timezone.utc)
        db.session.commit()
    return SimpleNamespace(id=made.id)


def timeline_url(process_id):
    return f"/organise/processes/{process_id}/timeline"


def entries(page: str) -> list[str]:
    """Each entry's text, in the page's order."""
    items = re.findall(r'<li class="timeline-(?:event|snapshot|decision)">(.*?)</li>\s*(?=<li class="timeline-|</ol>)',
                       page, re.S)
    return [_plain(item) for item in items]


def test_everything_in_date_order_with_formats_dates_and_counts(client, make, login, process_with_history):
    login(make.user("orga@example.org", roles=[(process_with_history.id, "organiser")]))
    page = client.get(timeline_url(process_with_history.id)).get_data(as_text=True)
    assert [_plain(title) for title in TITLE.findall(page)] == [
        "Online-Beteiligung", "Bürgerforum im Rathaus", "Beschluss: 2. Sitzung der Steuerungsgruppe",
        "Experteninterviews", "Werkstatt Wohnen", "Evaluation 2026", "Zukunftskonferenz"]
    online, cafe, decision, interviews, workshop, snapshot, conference = entries(page)
    assert online.startswith("1. Februar 2026") and "Nur online" in online
    assert "Online-Phase: 01.02.2026 – 28.02.2026" in online
    assert "0 Personen haben teilgenommen · 0 Ideen · 0 Punkte" in online
    # Those who took part (not the registration alone), visible ideas, dots on visible ideas.
    assert "Bürgerforum (World Café)" in cafe and "Termin: 14. März 2026" in cafe
    assert "2 Personen haben teilgenommen · 2 Ideen · 3 Punkte" in cafe
    assert "Steuerungsgruppe" in decision and "Wohnen wird Schwerpunkt." in decision
    assert "Betrifft: Wohnen und Quartier" in decision
    assert interviews.startswith("10. April 2026") and "Interview" in interviews
    assert "1 Idee" in interviews and "2 Interviews" in interviews
    assert "Fachworkshop Handlungsfeld: Wohnen und Quartier" in workshop
    assert workshop.startswith("1. Mai 2026") and "Termin: 20. Mai 2026" in workshop
    assert "Online-Phase: 01.05.2026 – 31.05.2026" in workshop
    assert snapshot.startswith("30. Juni 2026") and "Stand des Zielbaums" in snapshot
    assert conference.startswith("ohne Datum") and "Konferenz" in conference
    assert '<time datetime="2026-03-14">' in page


def test_the_process_page_links_to_the_timeline(client, make, login, process_with_history):
    login(make.user("steering@example.org", roles=[(process_with_history.id, "steering")]))
    page = client.get(f"/organise/processes/{process_with_history.id}").get_data(as_text=True)
    assert f'href="{timeline_url(process_with_history.id)}"' in page


@pytest.mark.parametrize("role", ["organiser", "moderator", "interpreter", "steering"])
def test_every_role_in_the_process_reads_it(client, make, login, process_with_history, role):
    login(make.user(f"{role}@example.org", roles=[(process_with_history.id, role)]))
    page = client.get(timeline_url(process_with_history.id)).get_data(as_text=True)
    assert "Zukunftskonferenz" in page
    # Links only where the role may follow them: events for moderators, snapshots for the steering group.
    assert ("/organise/events/" in page) == (role in ("organiser", "moderator"))
    assert ("/goal-tree/snapshots/" in page) == (role in ("organiser", "steering"))


def test_staff_of_another_process_are_refused(client, make, login, process_with_history):
    other = make.process("Anderer Prozess")
    login(make.user("orga-b@example.org", roles=[(other.id, "organiser")]))
    assert client.get(timeline_url(process_with_history.id)).status_code == 403
    assert client.get(timeline_url(other.id)).status_code == 200


def test_right_to_left_in_arabic_and_an_empty_process(client, make, login, process_with_history):
    empty = make.process("Leer")
    login(make.user("orga@example.org", roles=[(process_with_history.id, "organiser"), (empty.id, "organiser")]))
    client.get("/lang/ar")
    page = client.get(timeline_url(process_with_history.id)).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert '<bdi lang="de" dir="ltr">Bürgerforum im Rathaus</bdi>' in page  # German titles keep their direction
    client.get("/lang/de")
    page = client.get(timeline_url(empty.id)).get_data(as_text=True)
    assert "Noch keine Veranstaltungen, Stände oder Beschlüsse." in page
