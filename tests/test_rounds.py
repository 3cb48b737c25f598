"""Round control through the moderator's HTTP surface, the console and the projector."""
import threading
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Event, Round
from app.models.base import utcnow

JSON = {"Accept": "application/json"}


@pytest.fixture
def event(make):
    return make.event(tables=3, rounds=3)


@pytest.fixture
def moderator(client, make, login, event):
    user = make.user("moderation@example.org", roles=[(event.process_id, "moderator")])
    login(user)
    return user


def control(client, event, round_index, action, **data):
    url = f"/moderate/events/{event.id}/rounds/{event.round_ids[round_index]}/{action}"
    return client.post(url, data={"confirmed": "1", **data}, headers=JSON)  # the console asked (tests/test_undo.py)


def states(app, event):
    with app.app_context():
        return [r.state for r in db.session.scalars(db.select(Round).filter_by(event_id=event.id).order_by(Round.number))]


def revision(app, event):
    with app.app_context():
        return db.session.get(Event, event.id).revision


def round_row(app, event, index):
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[index])
        db.session.expunge(round_)
        return round_


def test_start_sets_the_timer_and_bumps_the_revision(client, app, event, moderator):
    before = revision(app, event)
    response = control(client, event, 0, "start")
    assert response.status_code == 200 and response.get_json()["round"]["state"] == "running"
    round_ = round_row(app, event, 0)
    assert 19 * 60 < (round_.ends_at - utcnow()).total_seconds() <= 20 * 60
    assert revision(app, event) == before + 1


def test_pause_keeps_the_time_left_and_resume_continues(client, app, event, moderator):
    control(client, event, 0, "start")
    assert control(client, event, 0, "pause").status_code == 200
    paused = round_row(app, event, 0)
    assert paused.state == "paused" and paused.ends_at is None and 1150 < paused.remaining_seconds <= 1200
    assert control(client, event, 0, "resume").status_code == 200
    resumed = round_row(app, event, 0)
    assert resumed.state == "running" and resumed.remaining_seconds is None
    assert abs((resumed.ends_at - utcnow()).total_seconds() - paused.remaining_seconds) < 5


def test_extend_adds_minutes_also_after_time_is_up(client, app, event, moderator):
    control(client, event, 0, "start")
    before = round_row(app, event, 0).ends_at
    assert control(client, event, 0, "extend", minutes="5").status_code == 200
    assert (round_row(app, event, 0).ends_at - before).total_seconds() == pytest.approx(300, abs=1)
    with app.app_context():  # let the clock run out
        db.session.get(Round, event.round_ids[0]).ends_at = utcnow() - timedelta(minutes=3)
        db.session.commit()
    control(client, event, 0, "extend", minutes="2")
    assert (round_row(app, event, 0).ends_at - utcnow()).total_seconds() == pytest.approx(120, abs=5)


@pytest.mark.parametrize("minutes", ["0", "-3", "500", "viel"])
def test_extend_refuses_silly_minutes(client, app, event, moderator, minutes):
    control(client, event, 0, "start")
    before = round_row(app, event, 0).ends_at
    response = control(client, event, 0, "extend", minutes=minutes)
    assert response.status_code == 400 and response.get_json()["error"]
    assert round_row(app, event, 0).ends_at == before


def test_time_up_is_shown_but_the_round_stays_open(client, app, event, moderator):
    control(client, event, 0, "start")
    with app.app_context():
        db.session.get(Round, event.round_ids[0]).ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "Die Zeit ist um." in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert states(app, event)[0] == "running"


@pytest.mark.parametrize("setup, action", [
    ([], "pause"), ([], "resume"), ([], "close"), ([], "extend"),
    (["start"], "start"), (["start"], "resume"),
    (["start", "pause"], "pause"),
    (["start", "close"], "start"), (["start", "close"], "pause"), (["start", "close"], "resume"),
    (["start", "close"], "close"), (["start", "close"], "extend"),
])
def test_the_state_machine_refuses_what_it_must(client, app, event, moderator, setup, action):
    for step in setup:
        assert control(client, event, 0, step).status_code == 200
    before_states, before_revision = states(app, event), revision(app, event)
    response = control(client, event, 0, action, minutes="5")
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]
    assert states(app, event) == before_states and revision(app, event) == before_revision


def test_only_one_round_is_open_at_a_time(client, app, event, moderator):
    control(client, event, 0, "start")
    response = control(client, event, 1, "start")
    assert response.status_code == 409 and "Runde 1 ist noch offen" in response.get_json()["error"]
    assert states(app, event) == ["running", "planned", "planned"]


def test_next_round_closes_the_open_one_and_starts_the_next(client, app, event, moderator):
    next_url = f"/moderate/events/{event.id}/next"
    assert client.post(next_url, data={"confirmed": "1"}, headers=JSON).get_json()["round"]["number"] == 1
    assert client.post(next_url, data={"confirmed": "1"}, headers=JSON).get_json()["round"]["number"] == 2
    assert states(app, event) == ["closed", "running", "planned"]
    client.post(next_url, data={"confirmed": "1"}, headers=JSON)
    response = client.post(next_url, data={"confirmed": "1"}, headers=JSON)
    assert response.status_code == 409 and "keine weitere" in response.get_json()["error"]
    assert states(app, event) == ["closed", "closed", "running"]  # the refusal rolled the close back


def test_plain_form_controls_redirect_with_a_message(client, app, event, moderator):
    response = client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/pause", follow_redirects=True)
    assert "Nur eine laufende Runde kann pausiert werden." in response.get_data(as_text=True)


@pytest.mark.parametrize("rounds_clicked", [(0, 0), (0, 1)], ids=["same round", "two rounds"])
def test_two_moderators_starting_at_once_open_one_round(app, make, event, other_app, rounds_clicked):
    """Two moderators, two app instances (two workers), one instant: one start wins."""
    user = make.user("zwei@example.org", roles=[(event.process_id, "moderator")])
    clients = []
    for _ in range(2):
        client = other_app().test_client()
        client.post("/auth/login", data={"email": user.email, "password": user.password})
        clients.append(client)
    barrier = threading.Barrier(2)
    results = [None, None]

    def click(i):
        barrier.wait()
        results[i] = control(clients[i], event, rounds_clicked[i], "start").status_code

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [200, 409]
    assert states(app, event).count("running") == 1


def test_console_shows_every_table_with_counts(client, app, event, moderator):
    control(client, event, 0, "start")
    phone = app.test_client()
    phone.post(f"/j/{event.code}/2", data={"interface_language": "de", "writing_language": "de"})
    phone.post(f"/e/{event.code}/ideas", data={"text": "Sprachcafé", "key": "1"})
    phone.post(f"/e/{event.code}/ideas", data={"text": "Patenschaften", "key": "2"})
    page = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert page.count('class="table-card"') == 3
    card = page.split("Tisch 2")[1].split("</li>")[0]
    assert "2 Ideen" in card and "1 Person" in card and "Letzte Idee" in card


def test_console_live_answers_304_until_something_changes(client, app, event, moderator):
    first = client.get(f"/moderate/events/{event.id}/live")
    etag = first.headers["ETag"]
    assert client.get(f"/moderate/events/{event.id}/live", headers={"If-None-Match": etag}).status_code == 304
    control(client, event, 0, "start")
    assert client.get(f"/moderate/events/{event.id}/live", headers={"If-None-Match": etag}).status_code == 200
    assert "Runde beenden" in client.get(f"/moderate/events/{event.id}/fragment").get_data(as_text=True)


def test_projector_link_reads_but_cannot_control(app, client, event, moderator):
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    assert client.get(f"/moderate/events/{event.id}/projector").headers["Location"].endswith(f"/p/{token}")
    control(client, event, 0, "start")
    projector = app.test_client()  # a laptop with no login
    page = projector.get(f"/p/{token}").get_data(as_text=True)
    assert "Frage 1" in page and "Question 1" in page and event.code in page and f"/e/{event.code}/qr.svg" in page
    assert projector.get(f"/p/{token}/live").status_code == 200
    assert "Frage 1" in projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    response = projector.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/close")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert projector.post(f"/p/{token}").status_code == 405
    assert states(app, event)[0] == "running"
    assert app.test_client().get("/p/wrong-token").status_code == 404


def test_projector_wall_shows_incoming_ideas_with_translation(app, client, event, moderator):
    control(client, event, 0, "start")
    phone = app.test_client()
    phone.post(f"/j/{event.code}/1", data={"interface_language": "ar", "writing_language": "ar"})
    phone.post(f"/e/{event.code}/ideas", data={"text": "مقهى لغة", "key": "w"})
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    assert "مقهى لغة" not in app.test_client().get(f"/p/{token}").get_data(as_text=True)  # the question scene
    client.post(f"/moderate/events/{event.id}/projector/scene", data={"scene": "wall"})
    assert "مقهى لغة" in app.test_client().get(f"/p/{token}").get_data(as_text=True)


CONSOLE_ROUTES = [
    ("get", "/moderate/events/{id}"), ("get", "/moderate/events/{id}/live"),
    ("get", "/moderate/events/{id}/fragment"), ("get", "/moderate/events/{id}/projector"),
    ("post", "/moderate/events/{id}/rounds/{round}/start"), ("post", "/moderate/events/{id}/rounds/{round}/extend"),
    ("post", "/moderate/events/{id}/next"),
]


@pytest.mark.parametrize("method, url", CONSOLE_ROUTES)
def test_staff_of_other_processes_and_participants_get_no_console(app, make, login, client, event, method, url):
    url = url.format(id=event.id, round=event.round_ids[0])
    phone = app.test_client()
    phone.post(f"/j/{event.code}/1", data={"interface_language": "de", "writing_language": "de"})
    assert getattr(phone, method)(url).status_code == 302  # to the staff login
    other = make.process("Anderer Prozess")
    login(make.user("fremd@example.org", roles=[(other.id, "organiser")]))
    assert getattr(client, method)(url).status_code == 403
    client.post("/auth/logout")
    login(make.user("dolmetsch@example.org", roles=[(event.process_id, "interpreter")]))
    assert getattr(client, method)(url).status_code == 403
    assert states(app, event)[0] == "planned"


def test_a_round_of_another_event_cannot_be_controlled(client, app, make, event, moderator):
    other = make.event(event.process_id, tables=1, rounds=1)
    response = client.post(f"/moderate/events/{event.id}/rounds/{other.round_ids[0]}/start", headers=JSON)
    assert response.status_code == 404
    assert states(app, other) == ["planned"]


def test_without_rotation_everyone_keeps_their_table_in_the_next_round(client, app, event, moderator):
    from app.models import Contribution, Seat

    with app.app_context():
        db.session.get(Event, event.id).rotation_enabled = False
        db.session.commit()
    control(client, event, 0, "start")
    phone = app.test_client()
    phone.post(f"/j/{event.code}/2", data={"interface_language": "de", "writing_language": "de"})
    control(client, event, 0, "close")
    page = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert "Tisch 2" in page and "Frage 2" in page and "beginnt gleich" in page  # no new table choice
    client.post(f"/moderate/events/{event.id}/next", data={"confirmed": "1"}, headers=JSON)
    phone.post(f"/e/{event.code}/ideas", data={"text": "Zweite Runde", "key": "r2"})
    with app.app_context():
        seats = db.session.scalars(db.select(Seat).order_by(Seat.round_id)).all()
        assert [(s.round_id, s.table_id) for s in seats] == [(event.round_ids[0], event.table_ids[1]),
                                                              (event.round_ids[1], event.table_ids[1])]
        idea = db.session.scalar(db.select(Contribution))
        assert (idea.round_id, idea.table_id) == (event.round_ids[1], event.table_ids[1])
