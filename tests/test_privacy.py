"""Privacy (issue 16, point 8): the purge, retention and expiring return links, the data export, the notice."""
import json
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import (AuditEntry, Contribution, ContributionTranslation, Event, IdeaRevision, Participant,
                        Process, Vote)
from app.models.base import utcnow
from tests.test_participate import join, post_idea, start_round


@pytest.fixture
def event(make, app):
    """An event three days ago with Alice and Bob, one idea each, Alice's translated and voted on."""
    event = make.event(tables=2, rounds=1, starts_on=date.today() - timedelta(days=3))
    start_round(app, event.round_ids[0])
    alice, bob = app.test_client(), app.test_client()
    join(alice, event.code, table=1, nickname="Alice")
    join(bob, event.code, table=2, nickname="Bob")
    post_idea(alice, event.code, "Mehr Bänke am Fluss", key="k-alice")
    post_idea(bob, event.code, "Ein Jugendcafé im Rathaus", key="k-bob")
    with app.app_context():
        participants = {p.nickname: p for p in db.session.scalars(db.select(Participant))}
        a, b = participants["Alice"], participants["Bob"]
        a.gender, a.age_band, a.migration_experience, a.consented_at = "female", "30_44", "family", utcnow()
        ideas = {c.participant_id: c for c in db.session.scalars(db.select(Contribution))}
        ideas[a.id].translations.append(ContributionTranslation(language="en", text="More benches by the river"))
        db.session.add(IdeaRevision(contribution=ideas[a.id], text_before="Mehr Bänke am Flus", actor="host:1"))
        db.session.add_all([Vote(participant=a, contribution=ideas[b.id]), Vote(participant=a, contribution=ideas[b.id]),
                            Vote(participant=b, contribution=ideas[a.id])])
        db.session.commit()
        event.alice, event.bob = a.token, b.token
    event.phones = {"Alice": alice, "Bob": bob}
    return event


def close(app, event_id, **changes):
    with app.app_context():
        row = db.session.get(Event, event_id)
        changes = changes or {"closed_at": utcnow()}
        for name, value in changes.items():
            setattr(row, name, value)
        db.session.commit()


def participants(app):
    with app.app_context():
        return {p.token: (p.nickname, p.gender, p.age_band, p.migration_experience, p.consented_at)
                for p in db.session.scalars(db.select(Participant))}


def ideas_and_dots(app):
    with app.app_context():
        ideas = sorted((c.text, c.participant_id is not None) for c in db.session.scalars(db.select(Contribution)))
        return ideas, db.session.scalar(db.select(db.func.count(Vote.id)))


def test_purge_removes_nicknames_and_self_descriptions_and_keeps_the_ideas(app, runner, event):
    close(app, event.id)
    before = ideas_and_dots(app)
    result = runner.invoke(args=["privacy", "purge", "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert f"event {event.id} 'Bürgerforum'" in result.output and "removed personal data of participant: 2" in result.output
    assert set(participants(app).values()) == {("", None, None, None, None)}
    assert ideas_and_dots(app) == before == ([("Ein Jugendcafé im Rathaus", True), ("Mehr Bänke am Fluss", True)], 3)
    with app.app_context():
        assert db.session.get(Event, event.id).personal_data_purged_at is not None
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="privacy.purge"))
        assert entry.event_id == event.id and entry.actor == "cli" and entry.detail == {"participant": 2, "registration": 0, "seats": 0}  # seats stay until the retention ends
    # The return link still shows what became of the idea, without the nickname.
    page = event.phones["Bob"].get(f"/r/{event.alice}")
    assert page.status_code == 200 and "Mehr Bänke am Fluss" in page.get_data(as_text=True)
    table = event.phones["Bob"].get(f"/e/{event.code}").get_data(as_text=True)
    assert "Alice" not in table and "Bob" not in table


def test_a_phone_of_a_purged_event_cannot_write_its_nickname_again(app, runner, event):
    close(app, event.id)
    assert runner.invoke(args=["privacy", "purge", "--event", str(event.id)]).exit_code == 0
    answer = join(event.phones["Alice"], event.code, nickname="Erika Mustermann", interface_language="en")
    assert answer.status_code == 303  # languages may still change on a closed event
    assert participants(app)[event.alice][0] == ""
    with app.app_context():
        assert db.session.scalar(db.select(Participant.interface_language).filter_by(token=event.alice)) == "en"


def test_purge_refuses_an_open_event_and_changes_nothing(app, runner, make, event):
    fresh = make.event(tables=1, rounds=1, starts_on=date.today())
    before = participants(app)
    result = runner.invoke(args=["privacy", "purge", "--event", str(event.id)])
    assert result.exit_code == 1 and "is still open: nothing removed" in result.output
    assert runner.invoke(args=["privacy", "purge", "--event", str(fresh.id)]).exit_code == 1
    assert participants(app) == before
    with app.app_context():
        assert db.session.get(Event, event.id).personal_data_purged_at is None


def test_a_dry_run_says_what_would_go_and_changes_nothing(app, runner, event):
    close(app, event.id)
    before = participants(app)
    result = runner.invoke(args=["privacy", "purge", "--event", str(event.id), "--dry-run"])
    assert result.exit_code == 0 and "would remove personal data of participant: 2" in result.output
    assert participants(app) == before
    with app.app_context():
        assert db.session.get(Event, event.id).personal_data_purged_at is None
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0


def test_purge_before_a_date_takes_the_closed_events_and_skips_the_open(app, runner, make, event):
    old = make.event(tables=1, rounds=1, starts_on=date.today() - timedelta(days=400))
    close(app, event.id)  # three days ago, closed by hand
    later = make.event(tables=1, rounds=1, starts_on=date.today() + timedelta(days=3))  # not before the date
    result = runner.invoke(args=["privacy", "purge", "--before", date.today().isoformat()])
    assert result.exit_code == 0, result.output
    assert f"event {old.id}" in result.output and f"event {event.id}" in result.output
    assert f"event {later.id}" not in result.output
    assert "Alice" not in {nickname for nickname, *_ in participants(app).values()}


def test_purge_rejects_out_of_range_and_unknown_input_with_a_message(runner, event):
    for args in (["--event", str(2**63)], ["--event", "0"], ["--before", "gestern"], ["--event", "1", "--before", "2020-01-01"]):
        result = runner.invoke(args=["privacy", "purge", *args])
        assert result.exit_code == 2 and "Error" in result.output, args  # click's usage error, no traceback
    result = runner.invoke(args=["privacy", "purge", "--event", "99999"])
    assert result.exit_code == 1 and "No event with the id 99999." in result.output


def test_events_past_their_retention_are_listed_as_due(app, runner, make, event):
    old = make.event(tables=1, rounds=1, starts_on=date.today() - timedelta(days=366))
    for args in (["privacy", "due"], ["privacy", "purge"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0
        assert f"flask privacy purge --event {old.id}" in result.output
        assert f"--event {event.id}" not in result.output  # kept 365 days, three are gone


def test_a_return_link_ends_with_the_retention_period(app, event):
    phone = app.test_client()
    assert phone.get(f"/r/{event.alice}").status_code == 200
    close(app, event.id, starts_on=date.today() - timedelta(days=365))
    for response in (phone.get(f"/r/{event.alice}"), phone.get(f"/r/{event.alice}/my-data.json"),
                     phone.post(f"/r/{event.alice}/take")):
        assert response.status_code == 410
    assert "Dieser Link ist abgelaufen" in phone.get(f"/r/{event.alice}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Process, event.process_id).retention_days = 400
        db.session.commit()
    assert phone.get(f"/r/{event.alice}").status_code == 200


def test_the_export_holds_the_participant_s_own_data_and_nothing_of_others(app, event):
    response = event.phones["Alice"].get(f"/r/{event.alice}/my-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["participant"]["nickname"] == "Alice"
    assert data["participant"]["self_description"]["gender"] == "female"
    assert data["participant"]["interface_language"] == "de"
    assert data["seats"] == [{"round": 1, "table": 1, "at": data["seats"][0]["at"]}]
    [idea] = data["ideas"]
    assert idea["text"] == "Mehr Bänke am Fluss" and idea["translations"] == {"en": "More benches by the river"}
    assert idea["earlier_texts"] == ["Mehr Bänke am Flus"]
    assert [dot["dots"] for dot in data["dots"]] == [2]
    text = response.get_data(as_text=True)
    assert "Bob" not in text and event.bob not in text and "host:1" not in text


def test_the_return_link_page_offers_the_export_and_names_the_retention_day(app, event):
    page = event.phones["Alice"].get(f"/r/{event.alice}").get_data(as_text=True)
    assert f"/r/{event.alice}/my-data.json" in page
    assert "Dieser Link funktioniert bis zum" in page


def test_the_privacy_notice_is_there_in_every_shipped_language(app, client, event):
    for code in app.config["LANGUAGES"]:
        client.get(f"/lang/{code}")
        response = client.get("/privacy")
        assert response.status_code == 200, code
        assert f'<html lang="{code}"' in response.get_data(as_text=True)
    client.get("/lang/de")
    general = client.get("/privacy").get_data(as_text=True)
    assert "Wir geben nichts an Dritte weiter." in general and "meist ein Jahr" in general
    in_event = client.get(f"/privacy?event={event.code.lower()}").get_data(as_text=True)
    assert "365 Tage nach der Veranstaltung" in in_event and "Bürgerforum" in in_event
    assert client.get("/privacy?event=%00%ff" + "x" * 500).status_code == 200


def test_every_page_links_the_notice_and_the_join_page_with_its_event(client, event):
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    assert f'href="/privacy?event={event.code}"' in client.get(f"/j/{event.code}").get_data(as_text=True)


def test_organisers_set_the_retention_and_see_when_the_purge_is_due(app, client, make, login, event):
    organiser = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    login(organiser)
    form = {"title": "Wie leben wir 2030 zusammen?", "description": "", "retention_days": "30"}
    response = client.post(f"/organise/processes/{event.process_id}/edit", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Process, event.process_id).retention_days == 30
    page = client.get(f"/organise/processes/{event.process_id}").get_data(as_text=True)
    assert "Aufbewahrungsfrist: 30 Tage nach jeder Veranstaltung." in page and "nächste Löschung" in page
    refused = client.post(f"/organise/processes/{event.process_id}/edit", data={**form, "retention_days": "0"})
    assert refused.status_code == 400 and "Bitte geben Sie eine Zahl von 1 bis 3650 an." in refused.get_data(as_text=True)
    unchanged = {"title": "Wie leben wir 2030 zusammen?", "description": ""}  # a form from before the field
    assert client.post(f"/organise/processes/{event.process_id}/edit", data=unchanged).status_code == 302
    with app.app_context():
        assert db.session.get(Process, event.process_id).retention_days == 30


def test_ideas_deleted_with_their_author_leave_no_text_in_the_audit_log(app, event):
    from app.services.administration import audit
    from app.services.cafe import hosting
    with app.app_context():
        alice = db.session.scalar(db.select(Participant).filter_by(token=event.alice))
        idea = db.session.scalar(db.select(Contribution).filter_by(participant_id=alice.id))
        bob_idea = db.session.scalar(db.select(Contribution).filter(Contribution.participant_id != alice.id))
        hosting.change_text(idea, "Mehr Bänke am Ufer", table=idea.table)  # idea.edit, text before in detail
        for action in ("idea.hide", "idea.merge"):
            audit.record(action, idea.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(idea.uuid)}, actor="cli")
        audit.record("goaltree.unlink", "Mehr Bänke am Fluss", process_id=event.process_id, event_id=event.id, actor="cli")
        audit.record("idea.hide", bob_idea.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(bob_idea.uuid)}, actor="cli")
        db.session.commit()
    response = event.phones["Alice"].post(f"/r/{event.alice}/leave", data={"keep_ideas": "delete", "confirm": "y"})
    assert response.status_code == 303
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry)).all()
        assert len(entries) == 5  # the entries stay: who did what, when
        logged = json.dumps([(entry.subject, entry.detail) for entry in entries], ensure_ascii=False)
        assert "Bänke" not in logged
        assert "Ein Jugendcafé im Rathaus" in logged  # Bob's idea stays, and so does its entry


def test_a_purge_after_the_retention_also_ends_tokens_last_seen_and_seats(app, runner, event):
    from app.models import Seat
    close(app, event.id)
    assert runner.invoke(args=["privacy", "purge", "--event", str(event.id)]).exit_code == 0  # early: all stays
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Seat.id))) == 2
    close(app, event.id, starts_on=date.today() - timedelta(days=366),
          personal_data_purged_at=utcnow() - timedelta(days=360))  # a year passes
    due = runner.invoke(args=["privacy", "due"]).output
    assert f"--event {event.id}" in due  # purged early, so due again once the retention ends
    result = runner.invoke(args=["privacy", "purge", "--event", str(event.id)])
    assert result.exit_code == 0 and "participant: 2, registration: 0, seats: 2" in result.output, result.output
    with app.app_context():
        rows = db.session.scalars(db.select(Participant)).all()
        assert {row.token for row in rows}.isdisjoint({event.alice, event.bob}) and len({row.token for row in rows}) == 2
        assert [row.last_seen_at for row in rows] == [None, None]
        assert db.session.scalar(db.select(db.func.count(Seat.id))) == 0
        assert ideas_and_dots(app)[1] == 3  # ideas and dots stay
    assert f"--event {event.id}" not in runner.invoke(args=["privacy", "due"]).output


def test_purge_before_a_date_takes_an_event_without_a_date_by_its_closing_day(app, runner, make):
    undated = make.event(tables=1, rounds=1)
    close(app, undated.id, closed_at=utcnow() - timedelta(days=10))
    fresh = make.event(tables=1, rounds=1)
    close(app, fresh.id)  # closed today: not before the date
    result = runner.invoke(args=["privacy", "purge", "--before", (date.today() - timedelta(days=5)).isoformat()])
    assert result.exit_code == 0 and f"event {undated.id}" in result.output and f"event {fresh.id}" not in result.output


def test_the_export_leaves_out_the_text_of_a_hidden_idea_the_participant_dotted(app, event):
    with app.app_context():
        bob_idea = db.session.scalar(db.select(Contribution).filter_by(text="Ein Jugendcafé im Rathaus"))
        bob_idea.hidden_at = utcnow()
        db.session.commit()
        bob_uuid = str(bob_idea.uuid)
    data = json.loads(event.phones["Alice"].get(f"/r/{event.alice}/my-data.json").get_data(as_text=True))
    assert data["dots"] == [{"idea": bob_uuid, "dots": 2}]
