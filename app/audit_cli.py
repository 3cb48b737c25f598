"""`flask audit prune`: delete audit entries older than AUDIT_RETENTION_DAYS and blank who changed an idea
in revisions as old (run it daily, e.g. from cron)."""
import click
from flask import Flask, current_app

from app.extensions import db
from app.services.administration import audit


def register_audit_cli(app: Flask) -> None:
    @app.cli.group("audit")
    def audit_group():
        """The audit log of staff actions."""

    @audit_group.command("prune")
    @click.option("--days", type=click.IntRange(min=0), default=None,
                  help="Keep this many days instead of AUDIT_RETENTION_DAYS.")
    def prune(days):
        """Delete audit entries older than the retention period, blank who changed an idea in revisions
        as old (the earlier texts stay, the idea's history), and say how many."""
        days = current_app.config["AUDIT_RETENTION_DAYS"] if days is None else days
        removed = audit.prune(days)
        anonymised = audit.forget_revision_actors(days)
        db.session.commit()
        click.echo(f"{removed} audit entries older than {days} days deleted.")
        click.echo(f"{anonymised} idea revisions older than {days} days no longer name who made them.")
