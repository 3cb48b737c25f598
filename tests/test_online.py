"""The online phase: people without a table write to every question at once, and their ideas
reach the board marked as online."""
import re
import uuid
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Event, Process, Vote


@pytest.fixture
def demo(runner, app, client):
    output = runner.invoke(args=["demo"]).output
    client.post("/auth/login", data={"email": re.search(r"e-mail:\s+(\S+)", output).group(1),
                                     "password": re.search(r"password: (\S+)", output).group(1)})
    with app.app_context():
        event = db.session.scalar(db.select(Event).order_by(Event.id))  # the demo's forum, made first
        return {"code": event.code, "event_id": event.id, "process_id": event.process_id,
                "questions": [r.id for r in event.rounds]}


def join(app, code, language="de"):
    phone = app.test_client()
    answer = phone.post(f"/j/{code}", data={"interface_language": language, "writing_language": language})
    return phone, answer


def test_someone_without_a_table_writes_online_and_the_idea_reaches_the_board(app, client, demo):
    phone, answer = join(app, demo["code"], "ar")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/e/{demo['code']}/online")
    page = phone.get(f"/e/{demo['code']}/online", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert page.count('class="panel online-question"') == 3  # every question open at once
    assert "Потрібен чат" in page  # the demo's online ideas are there

    sent = phone.post(f"/e/{demo['code']}/online/ideas",
                      data={"question": demo["questions"][1], "text": "مكتبة مفتوحة يوم الأحد", "key": "k1"})
    assert sent.status_code == 303
    phone.post(f"/e/{demo['code']}/online/ideas",
               data={"question": demo["questions"][1], "text": "مكتبة مفتوحة يوم الأحد", "key": "k1"})  # resent
    with app.app_context():
        stored = db.session.scalars(db.select(Contribution).filter_by(text="مكتبة مفتوحة يوم الأحد")).all()
        assert len(stored) == 1
        assert (stored[0].origin, stored[0].table_id, stored[0].round_id, stored[0].language) == \
            ("online", None, demo["questions"][1], "ar")
        idea_uuid = str(stored[0].uuid)
    assert "مكتبة مفتوحة يوم الأحد" in phone.get(f"/e/{demo['code']}/online").get_data(as_text=True)

    board = client.get(f"/organise/processes/{demo['process_id']}/board", query_string={"origin": "online"})
    html = board.get_data(as_text=True)
    card = html.split(f'id="idea-{idea_uuid}"')[1].split("</li>")[0]
    assert "aus der Online-Phase" in card
    assert html.count('class="idea board-card"') == 8  # the demo's six, the workshop expert's and this one


def test_outside_its_dates_the_phase_reads_but_takes_nothing(app, demo):
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        event.online_ends_on = date.today() - timedelta(days=1)
        db.session.commit()
    phone, answer = join(app, demo["code"])
    assert answer.headers["Location"].endswith(f"/e/{demo['code']}")  # to the café, not the online page
    page = phone.get(f"/e/{demo['code']}/online").get_data(as_text=True)
    assert "Die Online-Phase ist gerade nicht offen." in page and "<textarea" not in page
    refused = phone.post(f"/e/{demo['code']}/online/ideas", data={"question": demo["questions"][0], "text": "Spät"})
    assert refused.status_code == 409 and "nicht offen" in refused.get_data(as_text=True)


def test_an_online_only_event_has_no_tables_to_choose(app, make, login):
    event = make.event(tables=0, rounds=2, format="online")
    with app.app_context():
        row = db.session.get(Event, event.id)
        row.online_starts_on = date.today()
        db.session.commit()
    phone = app.test_client()
    assert "table" not in phone.get(f"/j/{event.code}").get_data(as_text=True).split("<form")[1].split("</form>")[0]
    phone.post(f"/j/{event.code}", data={"interface_language": "de", "writing_language": "de"})
    assert phone.get(f"/e/{event.code}").headers["Location"].endswith(f"/e/{event.code}/online")
    wrong = phone.post(f"/e/{event.code}/online/ideas", data={"question": 999999, "text": "Eine Idee"})
    assert wrong.status_code == 404 and "Diese Frage gibt es" in wrong.get_data(as_text=True)
    empty = phone.post(f"/e/{event.code}/online/ideas", data={"question": event.round_ids[0], "text": " "})
    assert empty.status_code == 400 and "Bitte schreiben Sie zuerst Ihre Idee." in empty.get_data(as_text=True)


def test_organisers_set_the_dates_and_a_wrong_order_is_refused(app, client, demo):
    url = f"/organise/events/{demo['event_id']}/edit"
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        base = {"title": event.title, "format": event.format, "default_language": "de", "languages": ["de"]}
    refused = client.post(url, data={**base, "online_starts_on": "2027-03-10", "online_ends_on": "2027-03-01"})
    assert refused.status_code == 400 and "vor ihrem Anfang" in refused.get_data(as_text=True)
    client.post(url, data={**base, "online_starts_on": "2027-03-01", "online_ends_on": "2027-03-10"})
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        assert (event.online_starts_on, event.online_ends_on) == (date(2027, 3, 1), date(2027, 3, 10))
        assert db.session.get(Process, demo["process_id"]) is not None


def test_with_pre_moderation_others_see_an_idea_once_it_is_released(app, client, demo):
    with app.app_context():
        db.session.get(Event, demo["event_id"]).online_premoderated = True
        db.session.commit()
    writer, _ = join(app, demo["code"])
    reader, _ = join(app, demo["code"])
    writer.post(f"/e/{demo['code']}/online/ideas", data={"question": demo["questions"][0], "text": "Nachtbus am Wochenende"})
    assert "Andere sehen sie, sobald die Moderation sie freigegeben hat." in writer.get(f"/e/{demo['code']}/online").get_data(as_text=True)
    assert "Nachtbus am Wochenende" not in reader.get(f"/e/{demo['code']}/online").get_data(as_text=True)
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text="Nachtbus am Wochenende"))
        assert idea.awaiting_release and idea.hidden_at is not None
        idea_uuid, round_number = idea.uuid, idea.round.number
    listing = client.get(f"/moderate/events/{demo['event_id']}/ideas", query_string={"round": round_number})
    assert "wartet auf Freigabe" in listing.get_data(as_text=True) and "Freigeben" in listing.get_data(as_text=True)
    client.post(f"/moderate/events/{demo['event_id']}/ideas/{idea_uuid}/unhide")
    assert "Nachtbus am Wochenende" in reader.get(f"/e/{demo['code']}/online").get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(db.select(Contribution).filter_by(uuid=idea_uuid)).awaiting_release


def test_without_a_table_one_votes_with_dots_on_plain_forms(app, client, demo):
    client.post(f"/moderate/events/{demo['event_id']}/vote/open", data={"dots": "5", "max_per_idea": "3"})
    phone, _ = join(app, demo["code"])
    with app.app_context():
        online_idea = db.session.scalar(db.select(Contribution).filter_by(origin="online").order_by(Contribution.id))
        idea_uuid, round_number = str(online_idea.uuid), online_idea.round.number
    page = phone.get(f"/e/{demo['code']}/vote", query_string={"group": f"{round_number}-0"}).get_data(as_text=True)
    assert idea_uuid in page  # the online ideas of a question form a group of their own
    given = phone.post(f"/e/{demo['code']}/vote/{idea_uuid}/give")
    assert given.status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Vote).filter_by(
            contribution_id=db.session.scalar(db.select(Contribution.id).filter_by(uuid=uuid.UUID(idea_uuid))))) == 1
