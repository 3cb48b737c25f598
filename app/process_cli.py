"""`flask process export-template` and `flask process import-template`: a process's set-up as one
JSON file for another town (app/services/administration/process_templates.py)."""
from datetime import date

import click
from flask import Flask

from app.extensions import db
from app.services.administration import audit, process_templates
from app.services.administration import users as user_service
from app.services.administration.template_format import MAX_BYTES, parse
from app.services.errors import DomainError


def register_process_cli(app: Flask) -> None:
    @app.cli.group("process")
    def process_group():
        """Process templates: export a process's set-up, import it as a new process."""

    @process_group.command("export-template")
    @click.argument("process")
    @click.option("-o", "--output", required=True, help="JSON file to write.")
    @click.option("--without-goal-tree", is_flag=True, help="Leave the goal tree's skeleton out.")
    def export_template(process, output, without_goal_tree):
        """Write the template of PROCESS (its id or UUID): formats, events, tables, rounds, questions,
        action fields, registration settings and (unless told otherwise) the goal tree's skeleton;
        no participants, ideas or personal data."""
        try:
            found = user_service.find_process(process)
        except DomainError as error:
            raise click.ClickException(str(error.message))
        document = process_templates.export_template(found, with_goal_tree=not without_goal_tree)
        content = process_templates.template_json(document)
        with open(output, "wb") as handle:
            handle.write(content)
        audit.record("process.export_template", found.title, process_id=found.id, actor=audit.CLI_ACTOR)
        db.session.commit()
        click.echo(f"Wrote {output} ({len(content):,} bytes).", err=True)

    @process_group.command("import-template")
    @click.argument("file", type=click.File("rb"))
    @click.option("--starts-on", type=click.DateTime(formats=["%Y-%m-%d"]),
                  help="Day of the first event (YYYY-MM-DD); the others keep their distance. Else no dates.")
    def import_template(file, starts_on):
        """Create a new process from the template FILE; a broken file changes nothing."""
        first_day: date | None = starts_on.date() if starts_on else None
        try:
            process, plan = process_templates.import_template(parse(file.read(MAX_BYTES + 1)), starts_on=first_day)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message))
        audit.record("process.import_template", process.title, process_id=process.id, actor=audit.CLI_ACTOR,
                     detail={"count": len(plan.events)})
        db.session.commit()
        click.echo(f"Created process {process.id} ({process.title!r}) from {file.name}: {len(plan.events)} events, "
                   f"{len(plan.action_fields)} action fields, {plan.nodes} goal-tree nodes.")
        for event in process.events:
            click.echo(f"  {event.title}: join code {event.code}")
