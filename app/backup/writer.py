"""Writing a backup of a running database: one consistent snapshot, streamed table by table.

Every table is read inside one read-only transaction, so an idea posted while the backup runs is
either in the file with everything that refers to it, or not at all. On PostgreSQL that is a
REPEATABLE READ transaction (one snapshot for all its statements); on SQLite one read transaction
in WAL mode, which writers do not wait for. Rows are fetched a batch at a time (photos a few at a
time) and written straight into the zip, so memory does not grow with the database.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Connection, Engine, MetaData, func, select, text
from sqlalchemy.exc import DBAPIError

from app.backup.format import (EXCLUDED, FORMAT, FORMAT_VERSION, MANIFEST, BackupError, Progress,
                               backed_up_tables, codecs, encode_row, has_binary, require_database, table_file,
                               app_version)

ROWS_PER_FETCH = 1000
PHOTO_ROWS_PER_FETCH = 2  # a photo is up to a few megabytes
PROGRESS_EVERY = 500


@contextmanager
def read_snapshot(engine: Engine):
    """A connection whose statements all see the database as it was at its first read."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with connection.begin():
                yield connection
    elif dialect == "sqlite":
        # The sqlite3 driver opens no transaction before a SELECT, so each would see a different
        # moment; in autocommit mode our own BEGIN holds one read transaction around them all.
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("BEGIN")
            try:
                yield connection
            finally:
                connection.exec_driver_sql("ROLLBACK")
    else:
        raise BackupError(f"Backups of {dialect} databases are not supported (only SQLite and PostgreSQL).")


def alembic_revision(connection: Connection, expected: str | None = None) -> str:
    """The migration the database is at; also the first read, which fixes the snapshot."""
    try:
        revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError as error:  # no such table: the database was never migrated
        raise BackupError("The database has no Alembic revision: is it this app's database, "
                          "migrated with `flask db upgrade`?") from error
    if len(revisions) != 1:
        raise BackupError(f"The database is at {len(revisions)} Alembic revisions at once; expected one.")
    if expected and revisions[0] != expected:
        raise BackupError(f"The database is at migration {revisions[0]}, this version of the app at {expected}: "
                          "back up with the version that matches the database (before updating the code), "
                          "or run `flask db upgrade` first.")
    return revisions[0]


def write_backup(engine: Engine, metadata: MetaData, target: str | Path | BinaryIO, *,
                 expected_revision: str | None = None, progress: Progress | None = None) -> dict:
    """Write every backed-up table of the database at `engine` as a zip to `target`; return its manifest.

    `target` is a file name, or a binary stream such as standard output piped into an encryption
    tool, so the data never lies on disk in clear. A file appears under its name only when complete
    (written beside it, then renamed), and is readable by its owner only: it holds personal data
    and password hashes. With `expected_revision` (the code's newest migration), a database at
    another migration is refused: its columns would not be the models'.
    """
    require_database(engine)
    if hasattr(target, "write"):
        return _write_zip(engine, metadata, target, expected_revision, progress)
    path = Path(target)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # a leftover of a killed run might be readable by others
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            manifest = _write_zip(engine, metadata, raw, expected_revision, progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _write_zip(engine: Engine, metadata: MetaData, stream: BinaryIO, expected_revision: str | None,
               progress: Progress | None) -> dict:
    tables = backed_up_tables(metadata)
    table_codecs = {table.name: codecs(table) for table in tables}  # an unknown type stops us before reading
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        with read_snapshot(engine) as connection:
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "alembic_revision": alembic_revision(connection, expected_revision),
                "app_version": app_version(),
                "created_at": datetime.now(timezone.utc).isoformat(),
                "database": engine.dialect.name,
                "tables": [],
                "excluded": dict(EXCLUDED),
            }
            totals = {table.name: connection.scalar(select(func.count()).select_from(table)) for table in tables}
            for table in tables:
                manifest["tables"].append(
                    _write_table(connection, archive, table, table_codecs[table.name], totals[table.name], progress))
        archive.writestr(_entry(MANIFEST), json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _write_table(connection, archive, table, table_codecs, total, progress) -> dict:
    """Stream one table into its entry of the zip, ordered by key so equal data gives equal lines."""
    digest = hashlib.sha256()
    rows = 0
    per_fetch = PHOTO_ROWS_PER_FETCH if has_binary(table) else ROWS_PER_FETCH
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=per_fetch)
    if progress:
        progress(table.name, 0, total)
    with archive.open(_entry(table_file(table.name)), "w", force_zip64=True) as entry, \
            connection.execute(query) as result:
        for row in result:
            line = encode_row(table_codecs, row)
            entry.write(line)
            digest.update(line)
            rows += 1
            if progress and rows % PROGRESS_EVERY == 0:
                progress(table.name, rows, max(total, rows))
    if progress:
        progress(table.name, rows, rows)
    return {"name": table.name, "file": table_file(table.name), "rows": rows, "sha256": digest.hexdigest(),
            "columns": [column.name for column in table.columns]}


def _entry(name: str) -> zipfile.ZipInfo:
    """A compressed entry dated now (zipfile would date it 1980), so `unzip -l` shows when it was taken."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
