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
