"""Restoring a backup into an empty database: the whole file is checked first, then written in one
transaction, so a broken, truncated, altered or newer file changes nothing.

Rows keep their ids, so every foreign key, link and QR code printed from them stays valid; on
PostgreSQL the id sequences are set past the restored rows, so new rows get fresh ids.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Engine, MetaData, Table, inspect, literal, select, text
from sqlalchemy.exc import DBAPIError

from app.backup.format import (FORMAT, FORMAT_VERSION, MANIFEST, BackupError, Progress, backed_up_tables,
                               codecs, decode_row, require_database)

BATCH_ROWS = 500
BATCH_BYTES = 4 * 1024 * 1024  # of JSON lines: a few photos per INSERT
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, TypeError)


def migration_order() -> list[str]:
    """The revisions of this code's migrations, oldest first."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def restore_backup(engine: Engine, metadata: MetaData, path: str | Path, *, revisions: list[str],
                   replace: bool = False, checking: Progress | None = None,
                   progress: Progress | None = None) -> dict:
    """Write the backup at `path` into the database at `engine`; return its manifest.

    The database must be at the file's migration (`revisions` lists this code's, oldest first) and
    hold no rows, unless `replace`, which deletes them first in the same transaction.
    """
    require_database(engine)
    archive = _open(path)
    with archive:
        manifest = _read_manifest(archive, path)
        _check_revision(manifest["alembic_revision"], database_revision(engine), revisions)
        tables = _match_tables(manifest, metadata)
        if not replace:
            with engine.connect() as connection:
                _refuse_data(connection, tables)
        for table, entry in tables:
            for _row in _read_table(archive, path, table, entry, checking):
                pass
        with write_transaction(engine) as connection:
            if replace:
                for table, _entry in reversed(tables):
                    connection.execute(table.delete())
            else:
                _refuse_data(connection, tables)
            for table, entry in tables:
                try:
                    _insert(connection, table, _read_table(archive, path, table, entry, progress))
                except DBAPIError as error:
                    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
                    raise BackupError(f"The database refused a row of {table.name} ({reason}); "
                                      "nothing was changed.") from error
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection, [table for table, _entry in tables])
    return manifest


def database_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a database without this app's tables."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().first()


@contextmanager
def write_transaction(engine: Engine):
    """One transaction for all of the restore; on SQLite it takes the write lock at its start."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    with engine.connect() as connection:
        # The sqlite3 driver would commit on its own around some statements; we begin and end ourselves.
        connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            if connection.connection.dbapi_connection.in_transaction:
                connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")


def _open(path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not a complete backup file (cannot read it as a zip: {error}).") from None


def _read_manifest(archive: zipfile.ZipFile, path) -> dict:
    """The manifest, checked for the shape restore relies on, and for a format this code reads."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a backup of this app.") from None
    except DAMAGE as error:
        raise BackupError(f"{path} is damaged: its {MANIFEST} cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this app (no {FORMAT!r} manifest).")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise BackupError(f"{path} is damaged: its manifest has no format version.")
    if version > FORMAT_VERSION:
        raise BackupError(f"{path} has backup format {version}, newer than this app reads ({FORMAT_VERSION}): "
                          f"restore it with the app version that made it ({manifest.get('app_version')}) or newer.")
    entries = manifest.get("tables")
    well_formed = isinstance(manifest.get("alembic_revision"), str) and isinstance(entries, list) and all(
        isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("file"), str)
        and isinstance(entry.get("rows"), int) and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("columns"), list) for entry in entries)
    if not well_formed:
        raise BackupError(f"{path} is damaged: its manifest lacks the revision or a table's file, rows or checksum.")
    return manifest


def _check_revision(made_at: str, database_at: str | None, revisions: list[str]) -> None:
    """Refuse unless the database is at the migration the file was made at; say what to run."""
    if made_at not in revisions:
        raise BackupError(f"The file was made at migration {made_at}, which this version of the app does not "
                          "know: update the app (then `flask db upgrade`) before restoring it.")
    upgrade_to = "`flask db upgrade`" if made_at == revisions[-1] else f"`flask db upgrade {made_at}`"
    then = "" if made_at == revisions[-1] else ", and `flask db upgrade` after restoring"
    if database_at is None:
        raise BackupError(f"The database has no tables of this app yet: run {upgrade_to} first{then}.")
    if database_at not in revisions:
        raise BackupError(f"The database is at migration {database_at}, which this version of the app does not "
                          "know: restore into a new, empty database instead.")
    if revisions.index(database_at) < revisions.index(made_at):
        raise BackupError(f"The database is at migration {database_at}, older than the file's {made_at}: "
                          f"run {upgrade_to} first{then}.")
    if database_at != made_at:
        raise BackupError(f"The file was made at migration {made_at}, older than the database's {database_at}: "
                          f"restore into a new, empty database migrated with `flask db upgrade {made_at}`, "
                          "then run `flask db upgrade`.")


def _match_tables(manifest: dict, metadata: MetaData) -> list[tuple[Table, dict]]:
    """Each table of this database with its entry in the manifest; the same tables and columns on both sides."""
    entries = {entry["name"]: entry for entry in manifest["tables"]}
    tables = backed_up_tables(metadata)
    missing = [table.name for table in tables if table.name not in entries]
    unknown = sorted(set(entries) - {table.name for table in tables})
    if missing or unknown:
        raise BackupError("The file's tables differ from this database's at the same migration "
                          f"(missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}).")
    for table in tables:
        if set(entries[table.name]["columns"]) != {column.name for column in table.columns}:
            raise BackupError(f"The file's columns of {table.name} differ from this database's.")
    return [(table, entries[table.name]) for table in tables]


def _refuse_data(connection, tables: list[tuple[Table, dict]]) -> None:
    holding = [table.name for table, _entry in tables
               if connection.execute(select(literal(1)).select_from(table).limit(1)).first()]
    if holding:
        raise BackupError(f"The database is not empty ({', '.join(holding[:3])}{', ...' if len(holding) > 3 else ''} "
                          "hold rows): restore into an empty database, or pass --replace to delete its data first.")


def _read_table(archive: zipfile.ZipFile, path, table: Table, entry: dict, progress: Progress | None):
    """Yield (row, size) from a table's file; after the last row, check the count and checksum."""
    table_codecs = codecs(table)
    digest = hashlib.sha256()
    rows = 0
    total = entry["rows"]
    if progress:
        progress(table.name, 0, total)
    try:
        with archive.open(entry["file"]) as lines:
            for line in lines:
                if not line.endswith(b"\n"):
                    raise ValueError("the last row is cut off")
                row = decode_row(table_codecs, line)
                digest.update(line)
                rows += 1
                yield row, len(line)
                if progress and rows % BATCH_ROWS == 0:
                    progress(table.name, rows, max(rows, total))
    except DAMAGE as error:
        raise BackupError(f"{path} is damaged in table {table.name} after {rows} rows ({error}).") from None
    if rows != total or digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{path} is damaged: table {table.name} does not match its checksum "
                          f"({rows} rows read, {total} listed).")
    if progress:
        progress(table.name, rows, rows)


def _insert(connection, table: Table, rows) -> None:
    """Insert rows in batches; a row that refers to a row of its own table not yet in waits for it."""
    order = _SelfReferences(table)
    batch, size = [], 0
    for row, length in rows:
        for ready in order.release(row):
            batch.append(ready)
            size += length
        if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
            connection.execute(table.insert(), batch)
            batch, size = [], 0
    if batch:
        connection.execute(table.insert(), batch)
    if order.waiting:
        count = sum(len(waiting) for waiting in order.waiting.values())
        raise BackupError(f"The file is inconsistent: {count} row(s) of {table.name} refer to rows it does not hold.")


class _SelfReferences:
    """Orders the rows of a table with a foreign key to itself (an idea merged into a later idea,
    a goal under its parent) so each comes after the row it refers to."""

    def __init__(self, table: Table):
        self.links = [([element.parent.name for element in fk.elements], [element.column.name for element in fk.elements])
                      for fk in table.foreign_key_constraints if fk.referred_table is table]
        self.seen: list[set] = [set() for _link in self.links]
        self.waiting: dict[tuple, list[dict]] = {}

    def release(self, row: dict) -> list[dict]:
        """The rows that may be inserted now: this one unless it must wait, and those that waited for it."""
        if not self.links:
            return [row]
        ready, pending = [], [row]
        while pending:
            current = pending.pop()
            missing = self._missing(current)
            if missing:
                self.waiting.setdefault(missing, []).append(current)
                continue
            ready.append(current)
            for index, (_local, referred) in enumerate(self.links):
                key = tuple(current[name] for name in referred)
                self.seen[index].add(key)
                pending.extend(reversed(self.waiting.pop((index, key), [])))
        return ready

    def _missing(self, row: dict) -> tuple | None:
        for index, (local, referred) in enumerate(self.links):
            key = tuple(row[name] for name in local)
            if None in key or key in self.seen[index] or key == tuple(row[name] for name in referred):
                continue
            return index, key
        return None


def _reset_sequences(connection, tables: list[Table]) -> None:
    """Set each id sequence past the largest restored id, so the next row gets a fresh one."""
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        name = preparer.format_table(table)
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                     {"table": name, "column": column.name})
        if sequence:
            connection.execute(text(f"SELECT setval(:sequence, COALESCE(MAX({preparer.quote(column.name)}), 0) + 1, "
                                    f"false) FROM {name}"), {"sequence": sequence})
