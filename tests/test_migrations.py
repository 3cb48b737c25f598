"""The migrations build the schema on each backend and match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.extensions import db


def test_flask_db_check_is_clean(runner):
    # Flask-Migrate exits 1 when the models differ from the migrated schema.
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_migrated_schema_equals_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_every_model_table_exists(app):
    with app.app_context():
        existing = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= existing
    assert "alembic_version" in existing


def test_constraints_are_named(app):
    with app.app_context():
        inspector = inspect(db.engine)
        foreign_keys = inspector.get_foreign_keys("contributions")
        checks = inspector.get_check_constraints("rounds")
    assert all(fk["name"] and fk["name"].startswith("fk_contributions_") for fk in foreign_keys)
    assert "ck_rounds_state" in {c["name"] for c in checks}


def test_upgrading_keeps_the_data_of_child_tables(tmp_path):
    """SQLite batch migrations rebuild tables; the rows that refer to them must survive."""
    import flask_migrate

    from app import create_app
    from tests.conftest import config_for

    app = create_app(config_for(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        flask_migrate.upgrade(revision="4e36cbf161d3")  # the first schema
        db.session.execute(text(
            "INSERT INTO processes (id, title, description, default_language, uuid, created_at) "
            "VALUES (1, 'P', '', 'de', '0' || hex(randomblob(15)), '2026-01-01')"))
        db.session.execute(text(
            "INSERT INTO events (id, process_id, title, format, venue, code, default_language, languages, "
            "revision, uuid, created_at) VALUES (1, 1, 'E', 'world_cafe', '', 'AAAAAA', 'de', '[]', 0, "
            "'1' || hex(randomblob(15)), '2026-01-01')"))
        db.session.execute(text(
            "INSERT INTO rounds (event_id, number, question, duration_minutes, state, uuid, created_at) "
            "VALUES (1, 1, '{}', 20, 'planned', '2' || hex(randomblob(15)), '2026-01-01')"))
        db.session.commit()
        flask_migrate.upgrade()
        assert db.session.execute(text("SELECT count(*) FROM rounds")).scalar() == 1
        assert db.session.execute(text("SELECT projector_token FROM events")).scalar()
        db.engine.dispose()


def _fresh_databases(tmp_path):
    """A new SQLite file, and a new PostgreSQL database where TEST_DATABASE_URL is set."""
    import os
    import secrets

    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import _admin_dsn

    yield f"sqlite:///{tmp_path / 'rename.db'}", None
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        name = f"wc_rename_{secrets.token_hex(4)}"
        with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(base).set(database=name).render_as_string(hide_password=False), name
        finally:
            with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_einfache_sprache_codes_are_renamed_in_rows_and_json_keys(tmp_path):
    """The writing language "de-simple" became "de-x-simple": in code columns, keyed texts and lists."""
    import flask_migrate

    from app import create_app
    from tests.conftest import config_for

    for url, _name in _fresh_databases(tmp_path):
        app = create_app(config_for(url))
        with app.app_context():
            flask_migrate.upgrade(revision="8137ac88b911")
            db.session.execute(text(
                "INSERT INTO processes (id, title, description, default_language, uuid, created_at) "
                "VALUES (1, 'P', '', 'de', :uuid, '2026-01-01')"), {"uuid": "00000000000000000000000000000001"})
            db.session.execute(text(
                "INSERT INTO events (id, process_id, title, format, venue, code, default_language, languages, "
                "revision, projector_token, uuid, created_at) "
                "VALUES (1, 1, 'E', 'world_cafe', '', 'AAAAAA', 'de', '[\"de\", \"de-simple\"]', 0, "
                "'p', :uuid, '2026-01-01')"), {"uuid": "00000000000000000000000000000002"})
            db.session.execute(text(
                "INSERT INTO rounds (id, event_id, number, question, duration_minutes, state, uuid, created_at) "
                "VALUES (1, 1, 1, :question, 20, 'planned', :uuid, '2026-01-01')"),
                {"question": '{"de": "Frage", "de-simple": "Einfache Frage"}', "uuid": "00000000000000000000000000000003"})
            db.session.execute(text(
                "INSERT INTO contributions (event_id, text, language, origin, status, uuid, created_at, "
                "updated_at) VALUES (1, 'Idee', 'de-simple', 'participant', 'new', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": "00000000000000000000000000000004"})
            db.session.commit()
            flask_migrate.upgrade()
            assert db.session.execute(text("SELECT language FROM contributions")).scalar() == "de-x-simple"
            question = db.session.execute(text("SELECT question FROM rounds")).scalar()
            assert "de-x-simple" in str(question) and '"de-simple"' not in str(question)
            assert "de-x-simple" in str(db.session.execute(text("SELECT languages FROM events")).scalar())
            db.session.rollback()  # end the reading transaction: PostgreSQL's DROP COLUMN waits for it
            flask_migrate.downgrade(revision="8137ac88b911")
            assert db.session.execute(text("SELECT language FROM contributions")).scalar() == "de-simple"
            db.session.remove()
            db.engine.dispose()
