"""Fixtures: an app on a temporary database (SQLite, and PostgreSQL where TEST_DATABASE_URL is set).

Each backend is migrated once per session with the real Alembic migrations; every test then starts
from empty tables. `instance/` is never touched.
"""
import os
import secrets
from contextlib import contextmanager
from types import SimpleNamespace

import flask_migrate
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import TestConfig

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def config_for(url: str, **extra) -> type[TestConfig]:
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **extra})


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def temporary_database(kind: str, directory, prefix: str = "wc_test"):
    """The URL of a new database of `kind` ("sqlite" in `directory`, else on TEST_DATABASE_URL's
    server), migrated to head; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        url, drop = f"sqlite:///{directory / f'{prefix}.db'}", None
    else:
        base = os.environ["TEST_DATABASE_URL"]
        name = f"{prefix}_{secrets.token_hex(6)}"
        with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(base).set(database=name).render_as_string(hide_password=False)

        def drop():
            with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    app = create_app(config_for(url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    try:
        yield url
    finally:
        if drop:
            drop()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A freshly migrated, temporary database of one backend."""
    with temporary_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(config_for(database_url, DEMO_CREDENTIALS_FILE=str(tmp_path / "demo-credentials.txt")))
    yield app
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def other_app(database_url):
    """Another app on the same database (a second worker, or other settings); closed after the test."""
    made = []

    def build(**settings):
        other = create_app(config_for(database_url, **settings))
        made.append(other)
        return other

    yield build
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def polls_to_flask(app, monkeypatch):
    """Live polls reach the Flask route, as if app/livepoll.py's gate had nothing kept."""
    monkeypatch.setattr(app.extensions["livepoll"], "_poll", lambda environ, path: None)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct horse battery"


@pytest.fixture
def make(app):
    """Factories that create rows and return plain values (ids, codes, tokens), not live objects."""
    from app.services.cafe import events
    from app.services.administration import processes, users

    class Factory:
        def user(self, email, *, admin=False, roles=()):
            with app.app_context():
                user = users.create_user(email, PASSWORD, is_admin=admin)
                for process_id, role in roles:
                    users.grant_role(user, db.session.get(processes.Process, process_id), role)
                db.session.commit()
                return SimpleNamespace(id=user.id, email=user.email, password=PASSWORD)

        def process(self, title="Wie leben wir 2030 zusammen?"):
            with app.app_context():
                process = processes.create_process(title)
                db.session.commit()
                return SimpleNamespace(id=process.id, uuid=str(process.uuid), title=process.title)

        def event(self, process_id=None, *, tables=6, rounds=3, languages=("de", "en"), **kwargs):
            process_id = process_id or self.process().id
            questions = [{"de": f"Frage {n}", "en": f"Question {n}"} for n in range(1, rounds + 1)]
            with app.app_context():
                process = db.session.get(processes.Process, process_id)
                event = events.create_event(process, "Bürgerforum", table_count=tables,
                                            questions=questions, languages=list(languages), **kwargs)
                db.session.commit()
                return SimpleNamespace(
                    id=event.id, code=event.code, process_id=process_id,
                    table_ids=[t.id for t in event.tables], host_tokens=[t.host_token for t in event.tables],
                    round_ids=[r.id for r in event.rounds],
                )

    return Factory()


@pytest.fixture
def login(client):
    """Log a staff user (as made by `make.user`) in on the test client."""

    def log_in(user) -> None:
        response = client.post("/auth/login", data={"email": user.email, "password": user.password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return log_in
