"""What a backup file holds, and how each column's values become JSON and come back with their type.

A value is written by its column's type, not by its Python value, so that a JSON column holding
the string "2030-01-01" stays a string and a binary column always comes back as bytes. Types the
schema does not use yet (Interval, ARRAY, ...) stop the backup with a message instead of being
written in a way restore could not read back.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, MetaData, Numeric, String,
                        Table, Time, Uuid)
from sqlalchemy.types import TypeDecorator, TypeEngine

FORMAT = "worldcafe-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Tables of the database that the file leaves out, each with the reason. A test fails when the
# database holds a table that is neither backed up nor named here.
EXCLUDED = {
    "alembic_version": "Alembic's bookkeeping: the manifest records the revision, and restore "
                       "needs a database already migrated to it.",
    "shared_views": "A cache of rendered live fragments, each valid for minutes and made again on "
                    "demand; it may hold text of participants who have left since.",
    "round_undos": "What the console could take back for two minutes after a round was ended; "
                   "worth nothing by the time a backup is restored.",
}

# A progress report: table name, rows done, rows in the table.
Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup cannot be written or a file cannot be restored; the message says why in one line."""


def require_database(engine) -> None:
    """Stop before SQLite creates an empty database file where a mistyped DATABASE_URL points."""
    name = engine.url.database
    if engine.dialect.name == "sqlite" and name and name != ":memory:" and not Path(name).exists():
        raise BackupError(f"There is no SQLite database at {name}: check DATABASE_URL.")


def backed_up_tables(metadata: MetaData) -> list[Table]:
    """Every table of the models but the excluded ones, parents before the tables that refer to them."""
    return [table for table in metadata.sorted_tables if table.name not in EXCLUDED]


def table_file(name: str) -> str:
    return f"tables/{name}.jsonl"


def has_binary(table: Table) -> bool:
    """Whether rows may be large (photos): read and written a few at a time."""
    return any(_base_type(column.type, column) is LargeBinary for column in table.columns)


@dataclass(frozen=True)
class Codec:
    column: str
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _same(value):
    return value


def _decimal(value):
    return Decimal(value)


def _bytes_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _bytes_in(value: str) -> bytes:
    return base64.b64decode(value.encode("ascii"), validate=True)


def _iso(value) -> str:
    return value.isoformat()


# Checked in this order: Float is a Numeric, DateTime must not fall through to anything else.
_CODECS: list[tuple[type[TypeEngine], Callable, Callable]] = [
    (JSON, _same, _same),
    (LargeBinary, _bytes_out, _bytes_in),
    (DateTime, _iso, datetime.fromisoformat),
    (Date, _iso, date.fromisoformat),
    (Time, _iso, time.fromisoformat),
    (Uuid, str, uuid.UUID),
    (Float, _same, float),
    (Numeric, str, _decimal),
    (Boolean, _same, _same),
    (Integer, _same, _same),
    (String, _same, _same),
]


def _base_type(type_: TypeEngine, column) -> type[TypeEngine]:
    while isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    for kind, _out, _in in _CODECS:
        if isinstance(type_, kind):
            return kind
    raise BackupError(f"Column {column.table.name}.{column.name} has type {type_!r}, "
                      "which the backup does not know how to write: teach app/backup/format.py.")


def codecs(table: Table) -> list[Codec]:
    """How to write and read each column of `table`, in the table's column order."""
    found = []
    for column in table.columns:
        kind = _base_type(column.type, column)
        _kind, encode, decode = next(entry for entry in _CODECS if entry[0] is kind)
        found.append(Codec(column.name, encode, decode))
    return found


def encode_row(table_codecs: list[Codec], row) -> bytes:
    """One row as one line of JSON (an object by column name), ending in a newline."""
    values = {}
    for codec, value in zip(table_codecs, row):
        values[codec.column] = None if value is None else codec.encode(value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode_row(table_codecs: list[Codec], line: bytes) -> dict:
    """The row of one line, as values of the columns' Python types; ValueError when it does not fit."""
    values = json.loads(line)
    if not isinstance(values, dict) or set(values) != {codec.column for codec in table_codecs}:
        raise ValueError("a row's columns differ from the table's")
    try:
        return {codec.column: None if values[codec.column] is None else codec.decode(values[codec.column])
                for codec in table_codecs}
    except (TypeError, AttributeError) as error:
        raise ValueError(str(error)) from error


def app_version() -> str:
    """The code's version: APP_VERSION where a deployment sets it, else the git commit, else "unknown"."""
    if os.environ.get("APP_VERSION"):
        return os.environ["APP_VERSION"]
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=root, capture_output=True,
                              text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"
