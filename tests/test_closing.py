"""Closing an event: host links stop, phones only read, rounds stay shut; links replaced; idea history."""
import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import AuditEntry, Contribution, Event, IdeaRevision
from tests.test_participate import close_round, count, join, post_idea, start_round

CLOSED_HOST_PAGE = "Der Gastgeber-Link gilt nicht mehr"


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    start_round(app, event.round_ids[0])
    return event


@pytest.fixture
def organiser(make, event):
    return make.user("orga@example.org", roles=[(event.process_id, "organiser")])


def close(client, event, **form):
    return client.post(f"/organise/events/{event.id}/close", data={"confirm": "yes", **form})


def event_row(app, event_id):
    with app.app_context():
        row = db.session.get(Event, event_id)
        db.session.expunge(row)
        return row


def test_organiser_closes_the_demo_event_and_its_host_links_stop(runner, app, client):
    output = runner.invoke(args=["demo"]).output
    email = re.search(r"e-mail:\s+(\S+)", output).group(1)
    password = re.search(r"password: (\S+)", output).group(1)
    assert client.post("/auth/login", data={"email": email, "password": password}).status_code == 302
    with app.app_context():
        demo_event = db.session.scalar(db.select(Event).order_by(Event.id))  # the demo's forum, made first
        event_id, tokens = demo_event.id, [t.host_token for t in demo_event.tables]
    assert client.get(f"/h/{tokens[0]}").status_code == 200

    # Without the confirmation nothing happens.
    response = client.post(f"/organise/events/{event_id}/close", follow_redirects=True)
    assert "Bitte bestätigen Sie den Abschluss." in response.get_data(as_text=True)
    assert event_row(app, event_id).closed_at is None

    response = client.post(f"/organise/events/{event_id}/close", data={"confirm": "yes"})
    assert response.status_code == 303
    assert event_row(app, event_id).closed_at is not None
    for token in tokens:
        response = client.get(f"/h/{token}")
        assert response.status_code == 410
        assert CLOSED_HOST_PAGE in response.get_data(as_text=True)
    response = client.post(f"/h/{tokens[0]}/ideas", data={"text": "Noch eine", "key": "late"})
    assert response.status_code == 410
    console = client.get(f"/moderate/events/{event_id}").get_data(as_text=True)
    assert "Diese Veranstaltung ist abgeschlossen." in console
    assert "Runde starten" not in console
    page = client.get(f"/organise/events/{event_id}").get_data(as_text=True)
    assert "Veranstaltung wieder öffnen" in page

    # Reopening lets the hosts back in, and both steps are in the log.
    assert client.post(f"/organise/events/{event_id}/reopen").status_code == 303
    assert client.get(f"/h/{tokens[0]}").status_code == 200
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["event.close", "event.reopen"]


def test_closing_ends_the_open_round_and_the_vote_and_rounds_cannot_start(app, client, login, organiser, event):
    login(organiser)
    assert client.post(f"/moderate/events/{event.id}/vote/open", data={"dots": 3, "max_per_idea": 2}).status_code == 303
    assert close(client, event).status_code == 303
    row = event_row(app, event.id)
    assert row.vote_state == "closed"
    with app.app_context():
        states = [r.state for r in db.session.get(Event, event.id).rounds]
    assert states == ["closed", "planned"]
    response = client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[1]}/start",
                           headers={"Accept": "application/json"})
    assert response.status_code == 410
    assert "abgeschlossen" in response.get_json()["error"]
    response = client.post(f"/moderate/events/{event.id}/next", data={"confirmed": "1"}, headers={"Accept": "application/json"})
    assert response.status_code == 410
    response = client.post(f"/moderate/events/{event.id}/vote/open", data={"dots": 3, "max_per_idea": 2},
                           headers={"Accept": "application/json"})
    assert response.status_code == 410
    # Closing twice is refused with a message, not a 500.
    response = close(client, event)
    assert response.status_code == 303
    assert "schon abgeschlossen" in client.get(f"/organise/events/{event.id}").get_data(as_text=True)


def test_phones_only_read_in_a_closed_event(app, client, make, login, organiser, event):
    phone = app.test_client()
    join(phone, event.code, table=1)
    assert post_idea(phone, event.code, "Mehr Bänke im Park", key="a").status_code == 201
    with app.app_context():
        idea_uuid = db.session.scalar(db.select(Contribution.uuid))
    login(organiser)
    # A vote left open by the time the event closes by date: dots are refused too.
    with app.app_context():
        row = db.session.get(Event, event.id)
        row.vote_state = "open"
        row.starts_on = date.today() - timedelta(days=30)
        db.session.commit()

    # The queued idea of the phone's outbox: a clear refusal for good (not a retry), with a message.
    response = post_idea(phone, event.code, "Noch ein Gedanke", key="b")
    assert response.status_code == 410
    assert "abgeschlossen" in response.get_json()["error"]
    # Sent as a plain form: the page comes back with the text kept and the reason.
    response = phone.post(f"/e/{event.code}/ideas", data={"text": "Noch ein Gedanke", "key": "c"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Noch ein Gedanke" in page and "abgeschlossen" in page
    response = phone.post(f"/e/{event.code}/ideas/{idea_uuid}/delete")
    assert response.status_code == 410
    response = phone.post(f"/e/{event.code}/vote/{idea_uuid}/give", headers={"Accept": "application/json"})
    assert response.status_code == 410
    assert count(app, Contribution) == 1

    # The phone still sees its table and ideas, without the forms to change them.
    page = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert "Mehr Bänke im Park" in page
    assert "Diese Veranstaltung ist abgeschlossen." in page
    assert re.search(r'id="idea-form"[^>]*hidden', page)
    assert f"/ideas/{idea_uuid}/delete" not in page
    assert "Tisch wechseln" not in page
    # Sitting down where one sits already changes nothing and is no error; moving is refused.
    assert phone.post(f"/e/{event.code}/table", data={"table": 1}).status_code == 303
    assert phone.post(f"/e/{event.code}/table", data={"table": 2}).status_code == 410
    live = phone.get(f"/e/{event.code}/live").get_json()
    assert live["accepting_ideas"] is False
    # A new phone cannot join a closed event.
    stranger = app.test_client()
    response = join(stranger, event.code, table=1)
    assert response.status_code == 410


def test_event_counts_as_closed_some_days_after_its_date(app, client, make):
    recent = make.event(tables=1, rounds=1, starts_on=date.today() - timedelta(days=3))
    old = make.event(tables=1, rounds=1, starts_on=date.today() - timedelta(days=7))
    assert client.get(f"/h/{recent.host_tokens[0]}").status_code == 200
    assert client.get(f"/h/{old.host_tokens[0]}").status_code == 410
    app.config["EVENT_CLOSES_AFTER_DAYS"] = 2
    assert client.get(f"/h/{recent.host_tokens[0]}").status_code == 410


def test_reopening_an_event_closed_by_its_date_asks_for_a_new_date(app, client, make, login):
    old = make.event(tables=1, rounds=1, starts_on=date.today() - timedelta(days=20))
    login(make.user("o@example.org", roles=[(old.process_id, "organiser")]))
    page = client.get(f"/organise/events/{old.id}").get_data(as_text=True)
    assert "gilt als abgeschlossen" in page
    assert close(client, old).status_code == 303
    response = client.post(f"/organise/events/{old.id}/reopen", follow_redirects=True)
    assert "Ändern Sie zuerst das Datum" in response.get_data(as_text=True)
    assert event_row(app, old.id).closed_at is not None


def test_replaced_host_and_projector_links_stop_at_once(app, client, login, organiser, event):
    login(organiser)
    old_host, old_projector = event.host_tokens[1], event_row(app, event.id).projector_token
    assert client.get(f"/h/{old_host}").status_code == 200
    assert client.get(f"/p/{old_projector}").status_code == 200
    response = client.post(f"/organise/events/{event.id}/tables/{event.table_ids[1]}/host-link")
    assert response.status_code == 303
    response = client.post(f"/organise/events/{event.id}/projector-link")
    assert response.status_code == 303
    assert client.get(f"/h/{old_host}").status_code == 404
    assert client.get(f"/p/{old_projector}").status_code == 404
    new_projector = event_row(app, event.id).projector_token
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    new_host = re.search(r'/h/([\w-]+)"', page[page.index('id="table-2"'):]).group(1)
    assert new_host != old_host
    assert client.get(f"/h/{new_host}").status_code == 200
    assert client.get(f"/p/{new_projector}").status_code == 200
    assert client.get(f"/h/{event.host_tokens[0]}").status_code == 200  # other tables keep theirs
    with app.app_context():
        entries = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.detail, e.actor) for e in entries] == [
        ("link.host_replaced", {"table": 2}, organiser.email), ("link.projector_replaced", {}, organiser.email)]


def test_moderators_cannot_close_or_replace_links(app, client, make, login, event):
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    assert close(client, event).status_code == 403
    assert client.post(f"/organise/events/{event.id}/projector-link").status_code == 403
    assert event_row(app, event.id).closed_at is None


def test_host_corrects_an_idea_after_its_round_and_the_organiser_sees_its_history(app, client, make, login,
                                                                                  organiser, event):
    host = app.test_client()
    token = event.host_tokens[0]
    assert host.post(f"/h/{token}/ideas", data={"text": "Mehr Bäne", "key": "t"}).status_code == 303
    close_round(app, event.round_ids[0])
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        idea_id, idea_uuid = idea.id, idea.uuid
    response = host.post(f"/h/{token}/ideas/{idea_uuid}", data={f"idea-{idea_id}-text": "Mehr Bänke"})
    assert response.status_code == 303
    with app.app_context():
        revisions = list(db.session.scalars(db.select(IdeaRevision)))
        assert [(r.text_before, r.actor, r.table_id, r.user_id) for r in revisions] == [
            ("Mehr Bäne", "host:1", event.table_ids[0], None)]
        assert db.session.get(Contribution, idea_id).text == "Mehr Bänke"
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="idea.edit"))
        assert (entry.actor, entry.subject, entry.detail["before"]) == ("host:1", "Mehr Bänke", "Mehr Bäne")

    login(organiser)
    listing = client.get(f"/moderate/events/{event.id}/ideas").get_data(as_text=True)
    history_url = f"/organise/events/{event.id}/ideas/{idea_uuid}/history"
    assert history_url in listing
    page = client.get(history_url).get_data(as_text=True)
    assert "Mehr Bäne" in page and "Mehr Bänke" in page and "Gastgeber·in von Tisch 1" in page

    # Once the event is closed, the host can no longer change it.
    close(client, event)
    response = host.post(f"/h/{token}/ideas/{idea_uuid}", data={f"idea-{idea_id}-text": "Anders"})
    assert response.status_code == 410
    with app.app_context():
        assert db.session.get(Contribution, idea_id).text == "Mehr Bänke"


def test_an_unchanged_idea_has_no_history_and_moderators_cannot_read_one(app, client, make, login, event):
    host = app.test_client()
    host.post(f"/h/{event.host_tokens[0]}/ideas", data={"text": "Ruhe", "key": "t"})
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        idea_id, idea_uuid = idea.id, idea.uuid
    host.post(f"/h/{event.host_tokens[0]}/ideas/{idea_uuid}", data={f"idea-{idea_id}-text": "Ruhe"})
    assert count(app, IdeaRevision) == 0
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    assert client.get(f"/organise/events/{event.id}/ideas/{idea_uuid}/history").status_code == 403


def test_reopening_a_purged_event_makes_its_new_nicknames_purgeable(app, client, runner, login, organiser, event):
    login(organiser)
    assert close(client, event).status_code == 303
    assert runner.invoke(args=["privacy", "purge", "--event", str(event.id)]).exit_code == 0
    assert client.post(f"/organise/events/{event.id}/reopen").status_code == 303
    assert event_row(app, event.id).closed_at is None and event_row(app, event.id).personal_data_purged_at is None
    join(app.test_client(), event.code, table=1, nickname="Nach dem Öffnen")
    assert close(client, event).status_code == 303
    result = runner.invoke(args=["privacy", "purge", "--event", str(event.id)])
    assert result.exit_code == 0 and "participant: 1" in result.output, result.output
