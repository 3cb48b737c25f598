"""Logs without secrets: one line per request from gunicorn with its config, every secret link masked,
whichever route carries it, and the app's own messages alike (app/request_log.py, gunicorn.conf.py)."""
import logging
import re
import secrets
import sqlite3
import uuid
from types import SimpleNamespace

import pytest
from flask.logging import default_handler
from werkzeug.routing import Map, Rule

from app import create_app
from app.extensions import db
from app.models import Participant
from app.request_log import VARIABLE, PathMasker, is_secret
from app.services.cafe import events
from app.services.administration import processes
from config import TestConfig
from tests.gunicorn_server import Server, migrate, new_secret, server_environment

LINE = re.compile(r"time=\S+ method=[A-Z]+ path=\S+ status=\d{3} ms=\d+\.\d bytes=\d+")
# The links whose secrets a log must never show; a renamed argument must not let one slip out.
SECRET_LINKS = {"host.show_table": "/h/", "projector.show": "/p/", "participate.my_ideas": "/r/",
                "participate.shared_fragment": "/view/"}


def sample_values(rule: Rule, secret: str) -> dict:
    """A value for each argument of `rule` that its converter takes; `secret` for the secret ones."""
    values = {}
    for found in VARIABLE.finditer(rule.rule):
        converter, name = found["converter"], found["name"]
        if is_secret(name):
            values[name] = secret
        elif converter == "int":
            values[name] = 7
        elif converter == "uuid":
            values[name] = uuid.uuid4()
        elif converter == "any":
            values[name] = found["arguments"].split(",")[0].strip()
        else:
            values[name] = "de"
    return values


def test_every_route_with_a_secret_argument_is_masked(app):
    masker = app.extensions["request_log"]
    checked = set()
    for rule in app.url_map.iter_rules():
        secret = secrets.token_urlsafe(9)  # short, so only the route's own masking can hide it
        path = rule.build(sample_values(rule, secret), append_unknown=False)[1]
        if any(is_secret(argument) for argument in rule.arguments):
            checked.add(rule.endpoint)
            for logged in (path, path + "/no-such-page", f"Exception on {path} [GET]"):
                assert secret not in masker.mask(logged), (rule.rule, masker.mask(logged))
        else:
            assert masker.mask(path) == path  # nothing of a route without secrets is hidden
    assert set(SECRET_LINKS) <= checked


def test_a_route_added_later_is_masked_by_the_name_of_its_argument():
    masker = PathMasker(Map([Rule("/invite/<int:round_id>/<invite_token>/accept", endpoint="accept"),
                             Rule("/download/<signed_key>", endpoint="download")]))
    assert masker.mask("/invite/3/s3cr3t/accept") == "/invite/3/<invite_token>/accept"
    assert masker.mask("GET /download/abc.def?x=1") == "GET /download/<signed_key>?x=1"


def test_what_looks_like_a_secret_is_masked_outside_routes_too(app):
    masker = app.extensions["request_log"]
    token, idea = secrets.token_urlsafe(32), str(uuid.uuid4())
    assert masker.mask(f"/x/{token}") == "/x/<secret>"  # a mistyped link matches no route
    assert masker.mask(f"[parameters: ('{token}',)]") == "[parameters: ('<secret>',)]"
    kept = f"/moderate/events/1/ideas/{idea}/hide /static/app-{'0a' * 16}.css"
    assert masker.mask(kept) == kept


def test_the_apps_logger_masks_its_messages_and_tracebacks(app, caplog):
    token = secrets.token_urlsafe(32)
    try:
        raise LookupError(f"no table for host token {token}")
    except LookupError:
        app.logger.exception("Exception on /h/%s/photos [POST]", token)
    assert token not in caplog.text
    assert "Exception on /h/<token>/photos [POST]" in caplog.text
    assert "LookupError: no table for host token <secret>" in caplog.text


def test_the_apps_handler_masks_its_child_loggers(app, capsys):
    token = secrets.token_urlsafe(32)
    attached = default_handler in app.logger.handlers  # Flask adds it where no other handler is
    if not attached:
        app.logger.addHandler(default_handler)
    try:
        logging.getLogger("app.services.administration.jobs").warning("job for /r/%s failed", token)
    finally:
        if not attached:
            app.logger.removeHandler(default_handler)
    assert "job for /r/<token> failed" in capsys.readouterr().err


def test_forwarded_headers_count_only_from_trusted_proxies(other_app, make):
    event = make.event(tables=2)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cafe.stadt.example"}
    direct = other_app(PUBLIC_BASE_URL="").test_client().get(f"/j/{event.code}", headers=headers)
    assert "http://localhost/j/" in direct.get_data(as_text=True)  # anyone can send these headers
    proxied = other_app(PUBLIC_BASE_URL="", TRUSTED_PROXIES=1).test_client().get(f"/j/{event.code}", headers=headers)
    assert f"https://cafe.stadt.example/j/{event.code}" in proxied.get_data(as_text=True)


# Through gunicorn, as a server runs it.

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A migrated SQLite file with an event, a participant at table 1 and their links; gunicorn on it,
    as configured (no IP) and behind a trusted proxy with LOG_IP=1."""
    folder = tmp_path_factory.mktemp("served")
    url, secret_key = f"sqlite:///{folder / 'app.db'}", new_secret()
    env = server_environment(folder, url, secret_key)
    migrate(env)
    links = seed(url, secret_key)
    plain = Server(folder, env, "plain")
    proxied = None
    try:
        proxied = Server(folder, dict(env, TRUSTED_PROXIES="1", LOG_IP="1"), "proxied")
        yield SimpleNamespace(plain=plain, proxied=proxied, links=links, database=folder / "app.db")
    finally:
        plain.stop()
        if proxied:
            proxied.stop()


def seed(url: str, secret_key: str) -> dict:
    app = create_app(type("Seeding", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key}))
    with app.app_context():
        event = events.create_event(processes.create_process("Wie leben wir 2030?"), "Bürgerforum",
                                    table_count=2, questions=[{"de": "Frage 1"}], languages=["de"])
        db.session.commit()
        code, projector, hosts = event.code, event.projector_token, [t.host_token for t in event.tables]
    phone = app.test_client()
    assert phone.post(f"/j/{code}/1", data={"interface_language": "de", "writing_language": "de",
                                                    "nickname": ""}).status_code == 303
    fragment = phone.get(f"/e/{code}/live").get_json()["fragment_url"]
    with app.app_context():
        participant = db.session.scalar(db.select(Participant.token))
        db.engine.dispose()
    return {"code": code, "hosts": hosts, "projector": projector, "participant": participant,
            "fragment": fragment, "cookie": f"session={phone.get_cookie('session').value}"}


def secrets_of(links: dict) -> list[str]:
    return [*links["hosts"], links["projector"], links["participant"], links["fragment"].rpartition("/")[2]]


def test_no_secret_link_shows_in_gunicorns_log(served):
    server, links = served.plain, served.links
    host, projector, participant = links["hosts"][0], links["projector"], links["participant"]
    paths = [f"/h/{host}", f"/h/{host}/photos/{uuid.uuid4()}", f"/h/{host}x/nothing", f"/p/{projector}",
             f"/p/{projector}/live", f"/r/{participant}", links["fragment"], links["fragment"],  # again: from the gate
             f"/?next=/h/{host}", f"/auth/login?next=%2Fh%2F{host}"]
    statuses = [server.get(path).status for path in paths]
    assert statuses[:2] == [200, 404] and statuses[3:8] == [200] * 5
    lines = server.access_lines(server.requests)
    assert len(lines) == server.requests  # one line per request, the readiness probes too
    assert all(LINE.fullmatch(line) for line in lines), lines
    logged = server.access_log.read_text() + server.error_log.read_text()
    for secret in secrets_of(links):
        assert secret not in logged
    assert f"path=/h/<token>/photos/" in logged and "path=/r/<token> " in logged
    assert f"path=/e/{links['code']}/view/de/" in logged and "/<key> status=200" in logged
    assert "?" not in server.access_log.read_text()  # no query string
    assert "127.0.0.1" not in server.access_log.read_text()  # no address unless the town asks


def test_polls_answered_before_flask_are_logged_too(served):
    server, links = served.plain, served.links
    first = server.get(f"/e/{links['code']}/live", headers={"Cookie": links["cookie"]})
    again = server.get(f"/e/{links['code']}/live", headers={"Cookie": links["cookie"], "If-None-Match": first.headers["ETag"]})
    assert (first.status, again.status) == (200, 304)
    lines = server.access_lines(server.requests)
    assert re.search(rf"method=GET path=/e/{links['code']}/live status=304 ms=\S+ bytes=0", lines[-1]), lines[-1]


def test_the_apps_traceback_in_the_error_log_shows_no_token(served):
    server, links = served.plain, served.links
    database = sqlite3.connect(served.database)
    database.execute("ALTER TABLE cafe_tables RENAME TO cafe_tables_away")
    database.commit()
    try:
        assert server.get(f"/h/{links['hosts'][1]}").status == 500
    finally:
        database.execute("ALTER TABLE cafe_tables_away RENAME TO cafe_tables")
        database.commit()
        database.close()
    errors = server.error_log.read_text()
    assert "no such table: cafe_tables" in errors and "<secret>" in errors  # the query's parameter
    assert links["hosts"][1] not in errors


def test_behind_a_trusted_proxy_with_log_ip_the_phones_address_is_logged(served):
    proxied, links = served.proxied, served.links
    proxied.get(f"/h/{links['hosts'][0]}", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    line = proxied.access_lines(proxied.requests)[-1]
    assert line.endswith(" ip=203.0.113.7") and "path=/h/<token> status=200" in line
