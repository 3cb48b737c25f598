"""The console asks before ending a round that has time left, and takes an ending back for two minutes."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Event, Round, RoundUndo, Seat
from app.models.base import utcnow

JSON = {"Accept": "application/json"}


@pytest.fixture
def event(make):
    return make.event(tables=2, rounds=3)


@pytest.fixture
def moderator(client, make, login, event):
    user = make.user("moderation@example.org", roles=[(event.process_id, "moderator")])
    login(user)
    return user


def post(client, event, path, follow_redirects=False, **data):
    return client.post(f"/moderate/events/{event.id}{path}", data=data, follow_redirects=follow_redirects)


def rounds_of(app, event):
    with app.app_context():
        return [(r.state, r.ends_at, r.remaining_seconds)
                for r in db.session.scalars(db.select(Round).filter_by(event_id=event.id).order_by(Round.number))]


def seats_of(app, event, index):
    with app.app_context():
        return dict(db.session.execute(db.select(Seat.participant_id, Seat.table_id)
                                       .where(Seat.round_id == event.round_ids[index])).all())


def join(app, event, table, name):
    phone = app.test_client()
    phone.post(f"/j/{event.code}/{table}", data={"interface_language": "de", "writing_language": "de", "nickname": name})
    return phone


def test_ending_a_round_with_time_left_asks_first(client, app, event, moderator):
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    page = post(client, event, f"/rounds/{event.round_ids[0]}/close")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Runde 1 jetzt beenden?" in html
    assert "Diese Runde hat noch 19:5" in html or "Diese Runde hat noch 20:00" in html
    assert 'name="confirmed" value="1"' in html and "Nein, zurück zur Moderation" in html
    assert rounds_of(app, event)[0][0] == "running"  # asking changed nothing
    asked = client.post(f"/moderate/events/{event.id}/next", headers=JSON)
    assert asked.status_code == 409 and asked.get_json()["confirm"] == "confirmed=1"
    assert "Runde 1 beenden und Runde 2 starten?" in post(client, event, "/next").get_data(as_text=True)

    done = post(client, event, f"/rounds/{event.round_ids[0]}/close", confirmed="1")
    assert done.status_code == 303
    assert [state for state, *_ in rounds_of(app, event)] == ["closed", "planned", "planned"]


def test_a_round_whose_time_is_up_ends_without_asking(client, app, event, moderator):
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    with app.app_context():
        db.session.get(Round, event.round_ids[0]).ends_at = utcnow() - timedelta(seconds=5)
        db.session.commit()
    assert post(client, event, "/next").status_code == 303
    assert [state for state, *_ in rounds_of(app, event)] == ["closed", "running", "planned"]


def test_an_accidental_next_round_is_undone_with_everyone_back_and_nothing_lost(client, app, event, moderator):
    phones = {name: join(app, event, table, name) for name, table in
              [("Ada", 1), ("Bo", 1), ("Cem", 2), ("Dana", 2)]}
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    post(client, event, f"/rounds/{event.round_ids[0]}/extend", minutes="10")  # 30 minutes now
    before = seats_of(app, event, 0)
    post(client, event, "/next", confirmed="1")
    moved = seats_of(app, event, 1)
    assert len(moved) == 4 and moved != before  # the rotation sent people to other tables
    phones["Ada"].post(f"/e/{event.code}/ideas", data={"text": "Patenschaften für Neue", "key": "k1"})
    late = join(app, event, 2, "Emil")  # arrives during the round started by mistake
    assert "Rückgängig machen" in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)

    undone = post(client, event, "/undo")
    assert undone.status_code == 303
    states = rounds_of(app, event)
    assert [state for state, *_ in states] == ["running", "planned", "planned"]
    left = (states[0][1] - utcnow()).total_seconds()
    assert 29 * 60 - 5 < left <= 30 * 60  # the time it had at the click, not a fresh 20 minutes
    assert states[1][1] is None and seats_of(app, event, 1) == {}  # round 2 planned, no seats yet
    seats = seats_of(app, event, 0)
    assert {k: v for k, v in seats.items() if k in before} == before and len(seats) == 5
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        ada = db.session.scalar(db.select(Seat.participant_id).join(Seat.participant).filter_by(nickname="Ada"))
        assert (idea.round_id, idea.table_id) == (event.round_ids[0], moved[ada])
        assert db.session.get(RoundUndo, event.id) is None
    console = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert "Runde 1 läuft wieder" in console and "undo-bar" not in console
    page = phones["Ada"].get(f"/e/{event.code}").get_data(as_text=True)
    assert "<h1>Tisch 1" in page
    assert "Tisch 2" in late.get(f"/e/{event.code}").get_data(as_text=True)

    again = post(client, event, "/undo", follow_redirects=True)
    assert "nicht mehr rückgängig" in again.get_data(as_text=True)


def test_undo_lapses_after_two_minutes(client, app, event, moderator):
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    post(client, event, f"/rounds/{event.round_ids[0]}/close", confirmed="1")
    with app.app_context():
        db.session.get(RoundUndo, event.id).made_at = utcnow() - timedelta(seconds=121)
        db.session.commit()
    assert "undo-bar" not in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    refused = client.post(f"/moderate/events/{event.id}/undo", headers=JSON)
    assert refused.status_code == 409 and "zwei Minuten" in refused.get_json()["error"]
    assert rounds_of(app, event)[0][0] == "closed"


def test_a_paused_round_comes_back_paused_with_its_time(client, app, event, moderator):
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    post(client, event, f"/rounds/{event.round_ids[0]}/pause")
    kept = rounds_of(app, event)[0][2]
    post(client, event, f"/rounds/{event.round_ids[0]}/close", confirmed="1")
    post(client, event, "/undo")
    assert rounds_of(app, event)[0] == ("paused", None, kept)


def test_undo_is_refused_once_the_rounds_moved_on(client, app, event, moderator):
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    post(client, event, "/next", confirmed="1")
    post(client, event, f"/rounds/{event.round_ids[1]}/close", confirmed="1")
    post(client, event, f"/rounds/{event.round_ids[2]}/start")
    refused = client.post(f"/moderate/events/{event.id}/undo", headers=JSON)  # round 2's ending, but round 3 runs
    assert refused.status_code == 409 and "seitdem" in refused.get_json()["error"]
    assert [state for state, *_ in rounds_of(app, event)] == ["closed", "closed", "running"]


def test_only_the_events_moderators_can_undo(app, make, login, client, event):
    other = make.event(tables=2, rounds=2)
    user = make.user("anderswo@example.org", roles=[(other.process_id, "moderator")])
    login(user)
    assert client.post(f"/moderate/events/{event.id}/undo").status_code in (403, 404)
    participant = join(app, event, 1, "Ada")
    assert participant.post(f"/moderate/events/{event.id}/undo").status_code in (302, 403, 404)


def test_a_table_where_nobody_writes_is_marked(client, app, event, moderator):
    join(app, event, 1, "Ada")
    writer = join(app, event, 2, "Bo")
    post(client, event, f"/rounds/{event.round_ids[0]}/start")
    writer.post(f"/e/{event.code}/ideas", data={"text": "Ein Sprachcafé", "key": "w1"})
    assert "table-quiet" not in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Round, event.round_ids[0]).started_at = utcnow() - timedelta(minutes=7)
        db.session.get(Event, event.id).revision += 1
        db.session.commit()
    page = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert page.count("table-quiet") == 1 and "Seit 7 Minuten keine Idee" in page.split("Tisch 2")[0]
