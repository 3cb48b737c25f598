"""`flask backup -o FILE` and `flask restore FILE`, for operators (English, not translated).

Progress goes to the terminal per table; on a terminal the line of a long table counts up in
place, elsewhere (cron, a log) each table prints one line when done. Errors are one line and a
non-zero exit, never a traceback.
"""
import sys
import time
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import DBAPIError

from app.backup.format import BackupError
from app.backup.restore import migration_order, restore_backup
from app.backup.writer import write_backup
from app.extensions import db


class _Report:
    """Prints progress callbacks as `  table  rows`; a line per table, updated in place on a terminal."""

    def __init__(self, verb: str, *, err: bool = False):
        self.verb = verb
        self.err = err  # on standard error while the backup itself goes to standard output
        self.live = (sys.stderr if err else sys.stdout).isatty()
        self.shown = 0.0
        self.done: set[str] = set()
        self.rows = 0

    def __call__(self, table: str, done: int, total: int) -> None:
        if done == total and table not in self.done:  # an empty table reports (0, 0) at start and end
            self.done.add(table)
            self.rows += done
            start, end = ("\r", " " * 12) if self.live else ("", "")
            click.echo(f"{start}  {self.verb} {table:<28} {done:>9,} rows{end}", err=self.err)
        elif self.live and done < total and time.monotonic() - self.shown > 0.2:
            self.shown = time.monotonic()
            click.echo(f"\r  {self.verb} {table:<28} {done:>9,} / {total:,} rows", nl=False, err=self.err)

    @property
    def tables(self) -> int:
        return len(self.done)


def _one_line(error: Exception, outcome: str) -> str:
    """The error for an operator: ours say it all; the database's (locked, unreachable) by its first line."""
    if isinstance(error, DBAPIError):
        lines = str(error.orig or error).strip().splitlines() or [type(error).__name__]
        return f"The database answered: {lines[0].rstrip('.')} ({outcome})."
    return str(error)


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024


def register_backup_cli(app: Flask) -> None:
    @app.cli.command("backup")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
                  help="The file to write (a zip), replaced only once the new one is complete; "
                       "- for standard output, e.g. into an encryption tool.")
    def backup(output):
        """Write all data (accounts, processes, events, ideas, photos, jobs) to one file, while the app runs."""
        to_stdout = output == "-"
        if to_stdout and sys.stdout.isatty():
            raise click.ClickException("Standard output is a terminal: pipe the backup into a file or an encryption tool.")
        report = _Report("wrote", err=to_stdout)
        click.echo(f"Backing up {db.engine.url.render_as_string(hide_password=True)} to {output}", err=to_stdout)
        try:
            target = sys.stdout.buffer if to_stdout else output
            manifest = write_backup(db.engine, db.metadata, target, expected_revision=migration_order()[-1],
                                    progress=report)
        except (BackupError, OSError, DBAPIError) as error:
            raise click.ClickException(_one_line(error, "the backup is incomplete" if to_stdout
                                                 else "no file was written"))
        size = "" if to_stdout else f", {_size(Path(output))}"
        click.echo(f"Done: {report.rows:,} rows of {report.tables} tables at migration "
                   f"{manifest['alembic_revision']}{size}. The backup holds personal data and "
                   "password hashes: keep it encrypted.", err=to_stdout)

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--replace", is_flag=True,
                  help="Delete the data the database holds first (in the same transaction as the restore).")
    def restore(file, replace):
        """Restore FILE (made by `flask backup`) into an empty database at the same migration."""
        click.echo(f"Restoring {file} into {db.engine.url.render_as_string(hide_password=True)}")
        writing = _Report("restored")
        try:
            manifest = restore_backup(db.engine, db.metadata, file, revisions=migration_order(), replace=replace,
                                      checking=_Report("checked"), progress=writing)
        except (BackupError, OSError, DBAPIError) as error:
            raise click.ClickException(_one_line(error, "nothing was changed"))
        click.echo(f"Done: {writing.rows:,} rows of {writing.tables} tables from the backup of "
                   f"{manifest.get('created_at', 'unknown date')} (app {manifest.get('app_version', 'unknown')}).")
