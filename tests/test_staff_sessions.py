"""Staff sessions end on the server: at logout (every copy of the cookie), after an idle time, and
they start afresh at login (a new session and a new CSRF token); participants are left alone."""
import re

import pytest

from app import access
from app.extensions import db
from app.models import User
from tests.test_participate import join, start_round

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def organiser(make):
    return make.user("orga@example.org", admin=True)


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_copy_of_the_cookie_stops_working_after_logout(app, client, login, organiser):
    login(organiser)
    assert client.get("/organise/").status_code == 200
    copy = app.test_client()
    copy.set_cookie("session", session_cookie(client))
    assert copy.get("/organise/").status_code == 200  # the copy works while the session lasts
    assert client.post("/auth/logout").status_code == 302
    assert copy.get("/organise/").status_code == 302  # to the login page
    assert client.get("/organise/").status_code == 302
    with app.app_context():
        assert db.session.get(User, organiser.id).session_version == 1


def test_logging_out_on_one_computer_ends_the_others_too(app, login, organiser):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post("/auth/login", data={"email": organiser.email, "password": organiser.password})
    first.post("/auth/logout")
    assert second.get("/organise/").status_code == 302


def test_a_session_ends_after_the_idle_time(app, client, login, organiser, monkeypatch):
    login(organiser)
    now = access.time.time()
    minutes = app.config["STAFF_IDLE_MINUTES"]
    monkeypatch.setattr(access.time, "time", lambda: now + (minutes - 1) * 60)
    assert client.get("/organise/").status_code == 200  # a click within the idle time renews it
    monkeypatch.setattr(access.time, "time", lambda: now + (2 * minutes - 2) * 60)
    assert client.get("/organise/").status_code == 200
    monkeypatch.setattr(access.time, "time", lambda: now + (3 * minutes) * 60)
    response = client.get("/organise/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_live_polls_do_not_keep_a_session_alive(app, client, login, make, monkeypatch, polls_to_flask):
    event = make.event(tables=2, rounds=1)
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    now = access.time.time()
    minutes = app.config["STAFF_IDLE_MINUTES"]
    monkeypatch.setattr(access.time, "time", lambda: now + (minutes - 1) * 60)
    assert client.get(f"/moderate/events/{event.id}/live").status_code == 200
    monkeypatch.setattr(access.time, "time", lambda: now + (minutes + 1) * 60)
    assert client.get(f"/moderate/events/{event.id}").status_code == 302


def test_the_idle_time_is_configurable(make, other_app, monkeypatch):
    user = make.user("orga@example.org", admin=True)
    client = other_app(STAFF_IDLE_MINUTES=5).test_client()
    client.post("/auth/login", data={"email": user.email, "password": user.password})
    now = access.time.time()
    monkeypatch.setattr(access.time, "time", lambda: now + 6 * 60)
    assert client.get("/organise/").status_code == 302


def test_login_rotates_the_session_and_the_csrf_token(make, other_app):
    user = make.user("orga@example.org", admin=True)
    client = other_app(WTF_CSRF_ENABLED=True).test_client()
    before = TOKEN.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    cookie_before = session_cookie(client)
    response = client.post("/auth/login", data={"email": user.email, "password": user.password, "csrf_token": before})
    assert response.status_code == 302
    assert session_cookie(client) != cookie_before
    # The token from before the login no longer validates; a fresh one does.
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 400
    page = client.get("/organise/processes/new").get_data(as_text=True)
    after = TOKEN.search(page).group(1)
    assert after != before
    assert client.post("/auth/logout", data={"csrf_token": after}).status_code == 302


def test_a_phone_that_logs_in_stays_a_participant(app, make, login, client):
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    assert join(client, event.code, table=1).status_code == 303
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    assert client.get(f"/e/{event.code}").status_code == 200  # not sent back to the join form
    client.post("/auth/logout")
    assert client.get(f"/e/{event.code}").status_code == 200

