"""Rate limits: per address (Flask-Limiter, memory or Redis), per participant and per account (database)."""
import socket
from datetime import timedelta

import pytest

from app import limits
from app.extensions import db
from app.models import Contribution, User
from app.models.base import utcnow
from tests.test_participate import join, post_idea, start_round

JSON = {"Accept": "application/json"}
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=1)
    start_round(app, event.round_ids[0])
    return event


def join_form(code):
    return f"/j/{code}/1", {"interface_language": "de", "writing_language": "de"}


# Per address
def test_a_whole_hall_behind_one_address_joins(app, event):
    """The default lets at least 500 phones join within 2 minutes from one address."""
    url, data = join_form(event.code)
    for n in range(500):
        response = app.test_client().post(url, data=data)
        assert response.status_code == 303, (n, response.status_code)


def test_joins_beyond_the_limit_get_a_translated_429_with_retry_after(make, other_app):
    app = other_app(RATELIMIT_JOIN="3 per 2 minutes")
    event = make.event(tables=2, rounds=1)
    url, data = join_form(event.code)
    for _ in range(3):
        assert app.test_client().post(url, data=data).status_code == 303
    page = app.test_client().post(url, data=data)
    assert page.status_code == 429
    assert 0 < int(page.headers["Retry-After"]) <= 121
    assert "Zu viele Anfragen von diesem Netz" in page.get_data(as_text=True)
    script = app.test_client().post(url, data=data, headers=JSON)
    assert script.status_code == 429 and script.get_json()["error"]
    assert app.test_client().get(url).status_code == 200  # the join page itself stays open


def test_the_address_behind_trusted_proxies_is_the_one_limited(make, other_app):
    event = make.event(tables=2, rounds=1)
    url, data = join_form(event.code)
    behind_proxy = other_app(RATELIMIT_JOIN="2 per minute", TRUSTED_PROXIES=1)
    for address in ("203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2"):
        response = behind_proxy.test_client().post(url, data=data, headers={"X-Forwarded-For": address})
        assert response.status_code == 303, address
    refused = behind_proxy.test_client().post(url, data=data, headers={"X-Forwarded-For": "203.0.113.1"})
    assert refused.status_code == 429
    # Without a trusted proxy the header is anyone's to send, and changes nothing.
    direct = other_app(RATELIMIT_JOIN="2 per minute")
    codes = [direct.test_client().post(url, data=data, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
             for n in range(3)]
    assert codes == [303, 303, 429]


def test_the_counters_keep_no_ip_address(make, other_app, monkeypatch):
    """The join page and the privacy notice say no IP address is stored: the limiter keys by a hash."""
    app = other_app(RATELIMIT_JOIN="2 per minute", TRUSTED_PROXIES=1)
    event = make.event(tables=2, rounds=1)
    limiter = app.extensions[limits.EXTENSION]
    keys = []
    original = limiter.limiter.hit
    monkeypatch.setattr(limiter.limiter, "hit", lambda item, *ids, **k: keys.append(ids) or original(item, *ids, **k))
    url, data = join_form(event.code)
    for address in ("203.0.113.7", "203.0.113.7", "203.0.113.8"):
        assert app.test_client().post(url, data=data, headers={"X-Forwarded-For": address}).status_code == 303
    assert len(keys) == 3 and keys[0] == keys[1] != keys[2]
    assert not any("203.0.113" in str(part) for ids in keys for part in ids)


def test_logins_per_address(make, other_app):
    app = other_app(RATELIMIT_LOGIN="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"email": "x@example.org", "password": "nope"}).status_code == 200
    assert client.post("/auth/login", data={"email": "x@example.org", "password": "nope"}).status_code == 429
    assert client.get("/auth/login").status_code == 200


def test_live_polls_never_touch_the_limiters_storage(make, other_app, monkeypatch):
    """Not even with a default limit on every route; the polls here reach Flask, not the gate."""
    app = other_app(RATELIMIT_DEFAULT="1000 per minute")
    monkeypatch.setattr(app.extensions["livepoll"], "_poll", lambda environ, path: None)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    limiter = app.extensions[limits.EXTENSION]
    touched = []
    for name in ("hit", "test", "get_window_stats"):
        original = getattr(limiter.limiter, name)
        monkeypatch.setattr(limiter.limiter, name, lambda *a, _original=original, **k: touched.append(a) or _original(*a, **k))
    poll = phone.get(f"/e/{event.code}/live")
    assert poll.status_code == 200
    assert phone.get(poll.get_json()["fragment_url"]).status_code == 200
    assert phone.get(f"/e/{event.code}/fragment").status_code == 200
    assert touched == []
    post_idea(phone, event.code, "Eine Idee")  # the counting itself works
    assert touched


def test_the_limits_are_named_for_the_benches(app):
    line = limits.describe(app)
    assert "memory (per worker)" in line and app.config["RATELIMIT_JOIN"] in line


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_with_redis_all_workers_share_one_count(make, other_app):
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI and production have it)")
    import redis
    redis.Redis.from_url(REDIS_URL).flushdb()
    event = make.event(tables=2, rounds=1)
    url, data = join_form(event.code)
    workers = [other_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_JOIN="3 per minute") for _ in range(2)]
    assert "Redis" in limits.describe(workers[0])
    codes = [workers[n % 2].test_client().post(url, data=data).status_code for n in range(4)]
    assert codes == [303, 303, 303, 429]
    redis.Redis.from_url(REDIS_URL).flushdb()


# Per participant, in the database
def test_ideas_per_participant_and_minute(make, other_app):
    app = other_app(IDEAS_PER_PARTICIPANT_MINUTE=3)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone, neighbour = app.test_client(), app.test_client()
    join(phone, event.code, table=1)
    join(neighbour, event.code, table=1)
    for n in range(3):
        assert post_idea(phone, event.code, f"Idee {n}", key=f"k{n}").status_code == 201
    refused = post_idea(phone, event.code, "Noch eine", key="k3")
    assert refused.status_code == 429
    assert refused.get_json()["error"] and 0 < int(refused.headers["Retry-After"]) <= 60
    assert post_idea(neighbour, event.code, "Meine erste", key="n0").status_code == 201
    # A minute later the phone's outbox gets it through.
    with app.app_context():
        for idea in db.session.scalars(db.select(Contribution)):
            idea.created_at = utcnow() - timedelta(seconds=61)
        db.session.commit()
    assert post_idea(phone, event.code, "Noch eine", key="k3").status_code == 201


def test_a_plain_form_refused_keeps_the_text(make, other_app):
    app = other_app(IDEAS_PER_PARTICIPANT_MINUTE=1)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    phone.post(f"/e/{event.code}/ideas", data={"text": "Erste", "key": "a"})
    page = phone.post(f"/e/{event.code}/ideas", data={"text": "Zweite Idee bleibt", "key": "b"})
    assert page.status_code == 400
    assert "Zweite Idee bleibt" in page.get_data(as_text=True)


def test_dots_per_participant_and_minute(make, other_app, login):
    from tests.test_voting import give, ideas_from, open_vote
    app = other_app(VOTES_PER_PARTICIPANT_MINUTE=2)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone, moderator = app.test_client(), app.test_client()
    join(phone, event.code, table=1)
    uuids = ideas_from(phone, event.code, "A", "B", "C")
    user = make.user("mod@example.org", roles=[(event.process_id, "moderator")])
    moderator.post("/auth/login", data={"email": user.email, "password": user.password})
    assert open_vote(moderator, event).status_code == 200
    assert [give(phone, event.code, uuid).status_code for uuid in uuids] == [200, 200, 429]
    refused = give(phone, event.code, uuids[2])
    assert refused.get_json()["error"] and "Retry-After" in refused.headers


# Per account, in the database
def attempt(client, user, password):
    return client.post("/auth/login", data={"email": user.email, "password": password})


def test_wrong_passwords_make_the_next_try_wait_even_with_the_right_one(app, client, make):
    user = make.user("orga@example.org", admin=True)
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert attempt(client, user, "falsch").status_code == 200
    refused = attempt(client, user, user.password)  # right, but during the wait
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert client.get("/organise/").status_code == 302
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row.failed_logins == free
        row.last_failed_login_at = utcnow() - timedelta(seconds=2)
        db.session.commit()
    assert attempt(client, user, user.password).status_code == 302
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row.failed_logins == 0 and row.last_failed_login_at is None


def test_the_wait_grows_and_has_a_ceiling(app):
    with app.app_context():
        free = app.config["LOGIN_FREE_FAILURES"]
        assert [limits.login_delay(n) for n in range(free)] == [0] * free
        assert [limits.login_delay(free + n) for n in range(4)] == [1, 2, 4, 8]
        assert limits.login_delay(free + 60) == app.config["LOGIN_MAX_DELAY_SECONDS"]


def test_the_wait_holds_across_workers(make, other_app):
    user = make.user("orga@example.org", admin=True)
    workers = [other_app() for _ in range(2)]
    for n in range(5):
        attempt(workers[n % 2].test_client(), user, "falsch")
    assert attempt(workers[1].test_client(), user, user.password).status_code == 429


def test_unknown_addresses_cost_a_password_hash_too(client, make, monkeypatch):
    user = make.user("orga@example.org", admin=True)
    checked = []
    monkeypatch.setattr(limits, "check_password_hash", lambda hashed, password: checked.append(hashed) or False)
    attempt(client, type(user)(email="nobody@example.org", password="egal"), "egal")
    assert len(checked) == 1 and checked[0].startswith(("scrypt:", "pbkdf2:"))


def test_the_idea_limit_counts_after_the_lock_and_never_refuses_a_resend(make, other_app):
    app = other_app(IDEAS_PER_PARTICIPANT_MINUTE=1)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    assert post_idea(phone, event.code, "Erste", key="k0").status_code == 201
    assert post_idea(phone, event.code, "Zweite", key="k1").status_code == 429
    assert post_idea(phone, event.code, "Erste", key="k0").status_code == 200  # a resend gets the stored idea


def test_taking_back_a_dot_is_never_refused_by_the_dot_limit(make, other_app):
    from tests.test_voting import give, ideas_from, open_vote, take_back
    app = other_app(VOTES_PER_PARTICIPANT_MINUTE=2)
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    phone, moderator = app.test_client(), app.test_client()
    join(phone, event.code, table=1)
    uuids = ideas_from(phone, event.code, "A", "B", "C")
    user = make.user("mod@example.org", roles=[(event.process_id, "moderator")])
    moderator.post("/auth/login", data={"email": user.email, "password": user.password})
    assert open_vote(moderator, event).status_code == 200
    assert [give(phone, event.code, uuid).status_code for uuid in uuids] == [200, 200, 429]
    assert take_back(phone, event.code, uuids[0]).status_code == 200


def test_a_known_and_an_unknown_address_do_the_same_work_in_the_same_order(app, client, make, monkeypatch):
    from sqlalchemy import event as sa_event
    from app.models import user as user_model
    user = make.user("orga@example.org", admin=True)
    steps = []
    for module in (limits, user_model):
        monkeypatch.setattr(module, "check_password_hash", lambda hashed, password: steps.append("hash") or False)
    with app.app_context():
        engine = db.engine

    def statement(conn, cursor, sql, *args):
        if sql.lstrip().upper().startswith("UPDATE"):
            steps.append("update")

    def commit(conn):
        steps.append("commit")

    sa_event.listen(engine, "before_cursor_execute", statement)
    sa_event.listen(engine, "commit", commit)
    try:
        attempt(client, user, "falsch")
        known, steps[:] = list(steps), []
        attempt(client, type(user)(email="nobody@example.org", password="egal"), "egal")
        unknown = list(steps)
    finally:
        sa_event.remove(engine, "before_cursor_execute", statement)
        sa_event.remove(engine, "commit", commit)
    assert known[:3] == unknown[:3] == ["hash", "update", "commit"], (known, unknown)
