"""`flask privacy purge --event ID | --before DATE [--dry-run]` and `flask privacy due`, for operators
(English, not translated). Errors are one line and a non-zero exit, never a traceback."""
from datetime import date

import click
from flask import Flask

from app.extensions import db
from app.models import Event
from app.services.administration import audit, privacy


def _describe(result: privacy.PurgeResult) -> str:
    event = result.event
    verb = "would remove" if result.dry_run else "removed"
    counts = ", ".join(f"{kind}: {count}" for kind, count in result.removed.items())
    return f"event {event.id} {event.title!r} ({event.starts_on or 'no date'}): {verb} personal data of {counts}"


def _list_due() -> None:
    due = privacy.due_events()
    if not due:
        click.echo("No event's retention period has ended with personal data left.")
        return
    click.echo("Retention ended; purge proposed:")
    for event in due:
        click.echo(f"  {event.id:>5}  {event.title}  ({event.starts_on or 'no date'}, retention ended "
                   f"{privacy.retention_ends_on(event)})  ->  flask privacy purge --event {event.id}")


def register_privacy_cli(app: Flask) -> None:
    @app.cli.group("privacy")
    def privacy_group():
        """Participants' personal data: purge closed events, list those due."""

    @privacy_group.command("purge")
    @click.option("--event", "event_id", type=click.IntRange(1, 2**31 - 1), help="The id of one closed event.")
    @click.option("--before", type=click.DateTime(["%Y-%m-%d"]), help="Every closed event dated before YYYY-MM-DD.")
    @click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
    def purge(event_id, before, dry_run):
        """Remove nicknames and self-descriptions of closed events; the anonymous ideas stay.

        Without --event or --before, list the events whose retention period has ended."""
        if event_id and before:
            raise click.UsageError("Give --event or --before, not both.")
        if not event_id and not before:
            _list_due()
            return
        if event_id:
            event = db.session.get(Event, event_id)
            if event is None:
                raise click.ClickException(f"No event with the id {event_id}.")
            events, strict = [event], True
        else:
            events, strict = privacy.events_before(before.date()), False
            if not events:
                click.echo(f"No event dated before {before.date()}.")
        for event in events:
            try:
                result = privacy.purge_event(event, dry_run=dry_run)
            except privacy.EventStillOpen:
                if strict:
                    raise click.ClickException(f"event {event.id} {event.title!r} is still open: nothing removed. "
                                               "Close it first (or wait until it counts as closed).")
                click.echo(f"event {event.id} {event.title!r}: skipped, still open.")
                continue
            if not dry_run:
                audit.record("privacy.purge", event.title, process_id=event.process_id, event_id=event.id,
                             detail=dict(result.removed), actor=audit.CLI_ACTOR)
            click.echo(_describe(result))
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()

    @privacy_group.command("due")
    def due():
        """List the events whose retention period has ended and whose personal data are still kept."""
        _list_due()
