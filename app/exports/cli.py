"""`flask export goal-tree`, `flask export open-data` and `flask import goal-tree`: the downloads of the
tree page as files, the open-data package of a process, and a tree rebuilt from its JSON document."""
import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from app.exports import WRITERS, goal_tree_bytes
from app.exports.open_data import DEFAULT_LICENCE, LICENCES, package_files
from app.exports.importing import MAX_IMPORT_BYTES, TOO_LARGE, import_tree
from app.extensions import db
from app.models import Snapshot
from app.services.goals import snapshots
from app.services.administration import audit
from app.services.administration import users as user_service
from app.services.reports.open_data import open_data
from app.services.errors import DomainError

TEXT_FORMATS = ("json", "csv", "md", "opml", "mm", "svg")


def register_export_cli(app: Flask) -> None:
    @app.cli.group("export")
    def export():
        """Export data to files."""

    @export.command("goal-tree")
    @click.argument("process")
    @click.option("--format", "fmt", type=click.Choice(list(WRITERS)), required=True, help="File format.")
    @click.option("-o", "--output", required=True, help="File to write; - for standard output (text formats).")
    @click.option("--lang", default="de", show_default=True, help="Language of labels and titles.")
    @click.option("--snapshot", "snapshot_name", help="Name of a snapshot of the process (else today's tree).")
    def export_goal_tree(process, fmt, output, lang, snapshot_name):
        """Write the goal tree of PROCESS (its id or UUID) to a file."""
        try:
            found = user_service.find_process(process)
            if lang not in current_app.config["LANGUAGES"]:
                raise click.ClickException(f"Unknown language {lang!r}; "
                                           f"choose from {', '.join(current_app.config['LANGUAGES'])}.")
            if snapshot_name:
                snapshot = db.session.scalar(db.select(Snapshot).filter_by(process_id=found.id, name=snapshot_name))
                if snapshot is None:
                    raise click.ClickException(f"Process {found.id} has no snapshot named {snapshot_name!r}.")
                document = snapshot.document
            else:
                document = snapshots.tree_document(found)
            content = goal_tree_bytes(document, fmt, lang)
        except DomainError as error:
            raise click.ClickException(str(error.message))
        if output == "-":
            if fmt not in TEXT_FORMATS:
                raise click.ClickException(f"{fmt} is not a text format: give a file name with -o.")
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        with open(output, "wb") as handle:
            handle.write(content)
        click.echo(f"Wrote {output} ({len(content):,} bytes).", err=True)

    @export.command("open-data")
    @click.argument("process")
    @click.option("-o", "--output", required=True, help="Directory to write the package into (created if missing).")
    @click.option("--licence", type=click.Choice(list(LICENCES)), default=DEFAULT_LICENCE, show_default=True,
                  help="Licence of the data.")
    @click.option("--attribution", default="", help="Who to name as the source, e.g. \"Stadt Herdecke\".")
    @click.option("--lang", default="de", show_default=True, help="Language of the README.")
    def export_open_data(process, output, licence, attribution, lang):
        """Write the anonymous open-data package of PROCESS (its id or UUID): ideas without authors, action
        fields, vote totals, goal tree, indicators and values as CSV and JSON, with README and licence."""
        if lang not in current_app.config["LANGUAGES"]:
            raise click.ClickException(f"Unknown language {lang!r}; choose from {', '.join(current_app.config['LANGUAGES'])}.")
        try:
            found = user_service.find_process(process)
            files = package_files(open_data(found), licence=licence, attribution=attribution, language=lang)
        except DomainError as error:
            raise click.ClickException(str(error.message))
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
        audit.record("export.open_data", found.title, process_id=found.id, actor=audit.CLI_ACTOR,
                     detail={"format": licence})
        db.session.commit()
        click.echo(f"Wrote {len(files)} files to {folder}/ ({sum(map(len, files.values())):,} bytes).", err=True)

    @app.cli.group("import")
    def import_():
        """Import data from files."""

    @import_.command("goal-tree")
    @click.argument("file", type=click.File("rb"))
    @click.option("--process", "process_ref", help="Id or UUID of the process to import into (else a new one).")
    def import_goal_tree(file, process_ref):
        """Rebuild a goal tree from its JSON export FILE."""
        raw = file.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            raise click.ClickException(str(TOO_LARGE))
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise click.ClickException(f"{file.name} is not a JSON file: {error}")
        try:
            target = user_service.find_process(process_ref) if process_ref else None
            result = import_tree(document, target)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message))
        db.session.commit()
        click.echo(f"Imported {result.nodes} nodes into process {result.process.id} ({result.process.title!r}): "
                   f"{result.linked_ideas} ideas linked, {result.quotations} kept as quotations.")
