"""The database out of reach for a while (PostgreSQL restarting, SQLite's file gone): every request
fails at once with a calm, translated 503 (the phone keeps its idea and sends it again), and the
same client works again once the database is back. bench/faults.py does the same with real
gunicorn workers killed and a real PostgreSQL restarted."""
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
from flask_babel import force_locale
from sqlalchemy import event as sa_event
from sqlalchemy import literal_column, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from app import create_app
from app.errors.handlers import UNAVAILABLE_PAGE, UNAVAILABLE_POST, database_unavailable
from app.extensions import db
from app.models import Contribution
from app.services.cafe import live
from config import TestConfig, with_connect_timeout
from tests.test_participate import count, join, post_idea, start_round

FAST = 3.0  # seconds: a request during an outage must fail well within this
ENGLISH = {"Accept-Language": "en"}


class Outage:
    """The database refuses new connections and the pooled ones are gone, as after a restart: the
    engine's pool has to connect again on every request, and the driver raises what it raises when
    the server is not there."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        name = self.engine.dialect.name
        self.error = self.engine.dialect.loaded_dbapi.OperationalError(
            "unable to open database file" if name == "sqlite" else "connection refused (the server is restarting)")

    def _refuse(self, *_args):
        raise self.error

    def __enter__(self):
        sa_event.listen(self.engine, "do_connect", self._refuse)
        self.engine.dispose()
        return self

    def __exit__(self, *_exc):
        sa_event.remove(self.engine, "do_connect", self._refuse)


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    start_round(app, event.round_ids[0])
    return event


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def english(app, message) -> str:
    with app.test_request_context(), force_locale("en"):
        text = str(message)
    assert text != message._args[0], "the message has no English translation"
    return text


def test_an_idea_posted_during_an_outage_is_a_503_the_outbox_keeps_and_sends_again(app, client, event):
    join(client, event.code, table=1, interface_language="en")
    with Outage(app):
        response, seconds = timed(lambda: client.post(
            f"/e/{event.code}/ideas", data={"text": "Ein Trinkbrunnen am Markt", "key": "outbox-1"},
            headers={"Accept": "application/json"}))
        assert response.status_code == 503 and seconds < FAST
        assert response.get_json() == {"error": english(app, UNAVAILABLE_POST), "status": 503}
        assert response.headers["Retry-After"] == "10"
    # The outbox sends it again with the same key: stored once, and a further resend stores nothing.
    again = post_idea(client, event.code, "Ein Trinkbrunnen am Markt", key="outbox-1")
    once_more = post_idea(client, event.code, "Ein Trinkbrunnen am Markt", key="outbox-1")
    assert (again.status_code, once_more.status_code) == (201, 200)
    assert count(app, Contribution) == 1


def test_pages_and_plain_forms_during_an_outage_answer_a_translated_503_page(app, client, event):
    join(client, event.code, table=1, interface_language="en")
    with Outage(app):
        page, seconds = timed(lambda: client.get(f"/e/{event.code}", headers={"Accept": "text/html"}))
        client.set_cookie("lang", "ar")  # the language switcher's choice
        form = client.post(f"/e/{event.code}/ideas", data={"text": "Mehr Schatten", "key": "form-1"},
                           headers={"Accept": "text/html"})
    assert page.status_code == 503 and seconds < FAST
    html = page.get_data(as_text=True)
    assert english(app, UNAVAILABLE_PAGE) in html and "Traceback" not in html
    assert '<meta http-equiv="refresh" content="10">' in html  # the page comes back by itself
    assert form.status_code == 503 and 'lang="ar"' in form.get_data(as_text=True)
    assert "refresh" not in form.get_data(as_text=True)  # reloading a POST's answer would not send it
    assert client.get(f"/e/{event.code}").status_code == 200


def test_a_poll_during_an_outage_fails_fast_and_polls_work_again_afterwards(app, client, event):
    join(client, event.code, table=1)
    first = client.get(f"/e/{event.code}/live")
    etag = first.headers["ETag"]
    with Outage(app):
        # With its ETag the poll goes to the gate before Flask; without one, to Flask's route.
        for headers in ({"If-None-Match": etag}, {}):
            response, seconds = timed(lambda: client.get(f"/e/{event.code}/live", headers=headers))
            assert response.status_code == 503 and seconds < FAST
            assert response.is_json and response.headers["Retry-After"] == "10"
    assert client.get(f"/e/{event.code}/live", headers={"If-None-Match": etag}).status_code == 304


def test_staff_pages_during_an_outage_are_a_503_too(app, client, make, login):
    event = make.event()
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    with Outage(app):
        response = client.get(f"/moderate/events/{event.id}", headers=ENGLISH)
    # The staff bar needs the user from the database: the page leaves it out rather than fail.
    assert response.status_code == 503 and english(app, UNAVAILABLE_PAGE) in response.get_data(as_text=True)
    assert client.get(f"/moderate/events/{event.id}").status_code == 200


def wrapped(orig: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize("error, unavailable", [
    (wrapped(sqlite3.OperationalError("database is locked")), True),
    (wrapped(sqlite3.OperationalError("unable to open database file")), True),
    (wrapped(sqlite3.OperationalError("no such table: ideas")), False),  # a bug, not an outage
    (wrapped(psycopg.OperationalError("server closed the connection unexpectedly")), True),
    (psycopg.OperationalError("the connection is lost"), True),  # raised by a read on the driver's cursor
    (sqlite3.OperationalError("database is locked"), True),
    (ProgrammingError("SELECT", {}, psycopg.errors.UndefinedTable("relation does not exist")), False),
    (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")), False),
    (ValueError("not the database"), False),
])
def test_which_database_errors_mean_unavailable(error, unavailable):
    assert database_unavailable(error) is unavailable


def test_a_database_server_that_does_not_answer_fails_a_request_within_the_connect_timeout():
    silent = socket.create_server(("127.0.0.1", 0))  # connections wait in its backlog, never answered
    try:
        url = with_connect_timeout(f"postgresql+psycopg://wc@127.0.0.1:{silent.getsockname()[1]}/wc", "2")
        app = create_app(type("Silent", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        response, seconds = timed(lambda: app.test_client().get("/j/ABCDEF"))
        with app.app_context():
            db.engine.dispose()
    finally:
        silent.close()
    assert response.status_code == 503 and seconds < FAST


def test_postgresql_urls_get_a_connect_timeout_unless_they_name_one():
    assert with_connect_timeout("postgresql+psycopg://u@db/wc", "3") == "postgresql+psycopg://u@db/wc?connect_timeout=3"
    assert with_connect_timeout("postgresql+psycopg://u@db/wc?connect_timeout=9", "3").endswith("connect_timeout=9")


# --- PostgreSQL through a connection the test cuts and restores: the app's own pool recovers ------

class Cable:
    """A TCP relay to PostgreSQL that can be unplugged (connections reset, new ones refused) and
    plugged in again on the same port."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.links, self.lock = [], threading.Lock()
        self.threads = []
        self._serve()

    def _serve(self) -> None:
        thread = threading.Thread(target=self._accept, args=(self.listener,), daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self, listener) -> None:
        while True:
            try:
                phone, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                phone.close()
                continue
            with self.lock:
                self.links += [phone, server]
            for a, b in ((phone, server), (server, phone)):
                thread = threading.Thread(target=self._pump, args=(a, b), daemon=True)
                thread.start()
                self.threads.append(thread)

    @staticmethod
    def _pump(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def unplug(self) -> None:
        # shutdown() first: on Linux it wakes the threads blocked on these sockets, close() does not.
        for sock in [self.listener, *self.take_links()]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def take_links(self) -> list:
        with self.lock:
            links, self.links = self.links, []
        return links

    def plug(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self._serve()

    def close(self) -> None:
        self.unplug()
        for thread in self.threads:
            thread.join(timeout=5)


def needs_postgresql(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")


def test_an_answer_made_before_postgresql_dropped_the_connection_is_still_given(database_url, other_app, make):
    needs_postgresql(database_url)
    app = other_app()
    admin = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    @app.after_request
    def restart_now(response):
        # The page is made; PostgreSQL ends this request's connection before the session is closed.
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        return response

    event = make.event(tables=3, rounds=2)
    client = app.test_client()
    assert client.get(f"/j/{event.code}").status_code == 200  # not a 500 from the failed rollback
    assert client.get(f"/j/{event.code}").status_code == 200  # and the pool replaced the connection


def test_a_read_on_the_drivers_cursor_that_finds_the_connection_gone_is_a_503(database_url, other_app):
    needs_postgresql(database_url)
    app = other_app()
    admin = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    @app.get("/test/live-read")
    def live_read():
        # As the live parts of a page read (app/services/cafe/live.py): on the driver's own cursor, whose
        # errors SQLAlchemy never sees. PostgreSQL ends the connection just before.
        read = live.session_reader()
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        return str(live.Prepared(select(literal_column("1"))).rows(read))

    client = app.test_client()
    response = client.get("/test/live-read", headers={"Accept": "text/html"})
    assert response.status_code == 503 and "Traceback" not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200


@contextmanager
def behind_a_cable(database_url, other_app, make):
    """An app whose PostgreSQL connections run through a Cable, and a phone seated at a table
    of a running round: (cable, app, client, event); the cable goes afterwards."""
    needs_postgresql(database_url)
    url = make_url(database_url)
    cable = Cable(url.host or "127.0.0.1", url.port or 5432)
    try:
        app = other_app(SQLALCHEMY_DATABASE_URI=url.set(host="127.0.0.1", port=cable.port).render_as_string(
            hide_password=False))
        client = app.test_client()
        event = make.event(tables=3, rounds=2)
        start_round(app, event.round_ids[0])
        join(client, event.code, table=1)
        yield cable, app, client, event
    finally:
        cable.close()


def test_postgresql_cut_and_back_the_same_app_reconnects_by_itself(database_url, other_app, make):
    with behind_a_cable(database_url, other_app, make) as (cable, app, client, event):
        assert post_idea(client, event.code, "Vor dem Ausfall", key="before").status_code == 201
        cable.unplug()
        response, seconds = timed(lambda: post_idea(client, event.code, "Im Ausfall", key="during"))
        assert response.status_code == 503 and seconds < FAST
        poll, seconds = timed(lambda: client.get(f"/e/{event.code}/live"))
        assert poll.status_code == 503 and seconds < FAST
        cable.plug()
        # The pool's connections died with the cable; the failed requests dropped them (and an idle one
        # is pinged before use, app/database.py), so no restart is needed.
        assert post_idea(client, event.code, "Im Ausfall", key="during").status_code == 201
        assert client.get(f"/e/{event.code}").status_code == 200
        assert count(app, Contribution) == 2


def test_postgresql_restarted_while_the_app_was_idle_the_next_request_just_works(database_url, other_app, make,
                                                                                monkeypatch):
    """No request saw the outage, so nothing dropped the pool's dead connections: the checkout
    pings a connection that lay idle (app/database.py) and replaces it."""
    from app import database

    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.2)
    with behind_a_cable(database_url, other_app, make) as (cable, app, client, event):
        assert post_idea(client, event.code, "Vor dem Neustart", key="before").status_code == 201
        cable.unplug()  # every pooled connection is cut while no request runs
        cable.plug()
        time.sleep(0.3)
        assert post_idea(client, event.code, "Nach dem Neustart", key="after").status_code == 201
        assert client.get(f"/e/{event.code}/live", headers={"Accept": "application/json"}).status_code == 200
        assert count(app, Contribution) == 2
