"""The migrations build the schema on each backend and match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
