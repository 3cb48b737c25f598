"""Measured indicator values imported from a spreadsheet (CSV or XLSX): read, checked row by row,
shown as a preview, and stored all together once the organiser confirms, or not at all.

The file has the columns indicator (its German name or its UUID), date (DD.MM.YYYY or
YYYY-MM-DD), value (with a decimal comma or point) and an optional note, which is not stored. A
header row naming them (German or English) may come first, in any order; without one the columns
are taken in that order. CSV files are UTF-8 (with or without a byte order mark), separated by
semicolons or commas.

Rules for a row that meets a value already stored: the same value on the same date is skipped
(so a series exported again with new rows on its end imports just those); a different value is a
bad row. The import never replaces a stored value: an organiser deletes it on the indicator's page
first. A file with any bad row stores nothing.

Between the preview and the confirmation the server keeps nothing: the checked rows travel in the
confirmation form, signed with the app's SECRET_KEY (`sign`), and are checked again by the same
rules when they come back (`confirm`): what changed since (an indicator deleted, a value entered
by hand) refuses the whole import with the row's message.
"""
from __future__ import annotations

import csv
import io
import math
import re
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import GoalNode, Indicator, IndicatorValue, Process
from app.services.errors import DomainError

MAX_FILE_BYTES = 2 * 1024 * 1024  # far above a monitoring sheet; below MAX_CONTENT_LENGTH (a 413)
MAX_ROWS = 2000
SIGNED_FOR_SECONDS = 24 * 3600  # a preview left open over night still confirms the next morning
SALT = "indicator-values-import"

EMPTY_FILE = _l("Die Datei ist leer.")
TOO_LARGE = _l("Die Datei ist zu groß: höchstens %(mb)d MB und %(rows)d Zeilen.",
               mb=MAX_FILE_BYTES // 2**20, rows=MAX_ROWS)
NOT_UTF8 = _l("Die Datei ist nicht in UTF-8 gespeichert. Speichern Sie sie als „CSV UTF-8“ oder als XLSX.")
NOT_READABLE = _l("Diese Datei lässt sich nicht lesen. Erwartet wird eine CSV- oder XLSX-Datei.")
BAD_HEADER = _l("Die Kopfzeile braucht die Spalten Indikator, Datum und Wert.")
TAMPERED = _l("Die Vorschau ist ungültig oder wurde verändert. Bitte laden Sie die Datei noch einmal hoch.")
EXPIRED = _l("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei noch einmal hoch.")
NOTHING_NEW = _l("Die Datei enthält keine neuen Werte.")

# Header names, compared in lower case without surrounding spaces.
HEADERS = {
    "indicator": {"indikator", "indicator", "indikator-uuid", "uuid", "name"},
    "date": {"datum", "date", "gemessen am", "stichtag", "measured on"},
    "value": {"wert", "value", "messwert"},
    "note": {"notiz", "note", "anmerkung", "bemerkung", "kommentar", "comment"},
}
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


@dataclass
class RawRow:
    line: int  # the row's number in the file, as a spreadsheet program counts (the header is 1)
    indicator: object
    date: object
    value: object


@dataclass
class Row:
    """One row as it would be stored, or why it would not."""

    line: int
    text: str  # the indicator as written in the file
    indicator: Indicator | None = None
    measured_on: date | None = None
    value: float | None = None
    raw_date: str = ""
    raw_value: str = ""
    errors: list = field(default_factory=list)  # translated (lazy) messages
    stored: bool = False  # the same value is stored already: skipped

    @property
    def new(self) -> bool:
        return not self.errors and not self.stored


@dataclass
class Preview:
    rows: list[Row]
    filename: str = ""

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.new]

    @property
    def skipped(self) -> list[Row]:
        return [row for row in self.rows if row.stored and not row.errors]

    @property
    def can_confirm(self) -> bool:
        return not self.bad and bool(self.new)


CHANGED_SINCE = _l("Nichts wurde gespeichert: seit der Vorschau hat sich etwas geändert. Die betroffenen "
                   "Zeilen sind markiert.")


class ImportRefused(DomainError):
    """A row came back from the preview and is no longer right: nothing is stored; the preview
    holds the rows and why."""

    status_code = 409

    def __init__(self, preview: Preview):
        super().__init__(CHANGED_SINCE)
        self.preview = preview


# Reading the file

def read_table(filename: str, content: bytes) -> list[RawRow]:
    """The file's rows with their columns picked out (by the header, else in order)."""
    if not content.strip():
        raise DomainError(EMPTY_FILE)
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(TOO_LARGE)
    is_xlsx = content[:4] == b"PK\x03\x04" or (filename or "").lower().endswith((".xlsx", ".xlsm"))
    lines = _xlsx_lines(content) if is_xlsx else _csv_lines(content)
    lines = [(number, cells) for number, cells in lines
             if any(cell is not None and str(cell).strip() for cell in cells)]
    if not lines:
        raise DomainError(EMPTY_FILE)
    columns = _columns(lines[0][1])
    if columns is None:
        columns = {"indicator": 0, "date": 1, "value": 2}
    else:
        lines = lines[1:]
    if len(lines) > MAX_ROWS:
        raise DomainError(TOO_LARGE)

    def cell(cells, name):
        index = columns[name]
        return cells[index] if index < len(cells) else None

    return [RawRow(number, cell(cells, "indicator"), cell(cells, "date"), cell(cells, "value"))
            for number, cells in lines]


def _columns(first: list) -> dict[str, int] | None:
    """Where each column is by a header row; None when the row is no header (then it is data)."""
    names = [str(cell or "").strip().lower() for cell in first]
    found = {}
    for key, known in HEADERS.items():
        for index, name in enumerate(names):
            if name in known and key not in found:
                found[key] = index
    if not found:
        return None
    if not {"indicator", "date", "value"} <= set(found):
        raise DomainError(BAD_HEADER)
    return found


def _csv_lines(content: bytes) -> list[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(NOT_UTF8) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in reader:
            lines.append((reader.line_num, cells))
            if len(lines) > MAX_ROWS + 50:  # empty lines aside, too many already
                raise DomainError(TOO_LARGE)
    except csv.Error:
        raise DomainError(NOT_READABLE) from None
    return lines


def _xlsx_lines(content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a broken zip, a zip that is no workbook, broken XML inside: openpyxl raises many kinds
        raise DomainError(NOT_READABLE) from None
    try:
        lines = []
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            lines.append((number, list(cells)))
            if len(lines) > MAX_ROWS + 50:
                raise DomainError(TOO_LARGE)
        return lines
    finally:
        workbook.close()


# Checking the rows

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_date(value) -> date | None:
    """A date from a date cell, DD.MM.YYYY or YYYY-MM-DD; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if match := _GERMAN_DATE.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO_DATE.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:  # 31.02.2026
        return None
    return None


def parse_number(value) -> float | None:
    """A number from a number cell, "1.234,5", "1234,5", "1,234.5" or "1234.5"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = "".join(value.split()).replace("\u2212", "-")  # spaces (also narrow ones) and a minus sign
    if "," in text and "." in text:  # the last one is the decimal separator, the other groups thousands
        grouping, decimal = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        text = text.replace(grouping, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def check(process: Process, raw_rows: list[RawRow], filename: str = "") -> Preview:
    """Every row as it would be stored, or with the messages why it cannot be."""
    indicators = list(db.session.scalars(db.select(Indicator).join(GoalNode)
                                         .where(GoalNode.process_id == process.id).order_by(Indicator.id)))
    by_uuid = {str(i.uuid): i for i in indicators}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.name.get("de"):
            by_name.setdefault(_name_key(indicator.name["de"]), []).append(indicator)
    stored = {(indicator_id, measured_on): value for indicator_id, measured_on, value in db.session.execute(
        db.select(IndicatorValue.indicator_id, IndicatorValue.measured_on, IndicatorValue.value)
        .where(IndicatorValue.indicator_id.in_([i.id for i in indicators])))} if indicators else {}
    seen: dict[tuple[int, date], int] = {}
    rows = []
    for raw in raw_rows:
        row = Row(raw.line, _text(raw.indicator), raw_date=_text(raw.date) if not isinstance(raw.date, date) else "",
                  raw_value=_text(raw.value))
        row.indicator = _indicator(row, by_uuid, by_name)
        row.measured_on = parse_date(raw.date)
        if row.measured_on is None:
            row.errors.append(_l("Ungültiges Datum „%(text)s“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT.",
                                 text=row.raw_date) if row.raw_date else _l("Das Datum fehlt."))
        row.value = parse_number(raw.value)
        if row.value is None:
            row.errors.append(_l("Ungültige Zahl „%(text)s“: erwartet wird zum Beispiel 12,5 oder 12.5.",
                                 text=row.raw_value) if row.raw_value else _l("Der Wert fehlt."))
        if not row.errors:
            key = (row.indicator.id, row.measured_on)
            if key in seen:
                row.errors.append(_l("Doppelt in der Datei: Zeile %(line)d hat schon einen Wert für diesen "
                                     "Indikator an diesem Tag.", line=seen[key]))
            elif key in stored and stored[key] != row.value:
                row.errors.append(_l("An diesem Tag ist schon ein anderer Wert gespeichert (%(value)s). Der "
                                     "Import ersetzt keine Werte: löschen Sie den gespeicherten auf der Seite "
                                     "des Indikators, wenn der neue gilt.", value=format_decimal(stored[key])))
            else:
                row.stored = key in stored
            seen.setdefault(key, row.line)
        rows.append(row)
    return Preview(rows, filename)


def _indicator(row: Row, by_uuid: dict, by_name: dict) -> Indicator | None:
    if not row.text:
        row.errors.append(_l("Der Indikator fehlt."))
        return None
    try:
        indicator = by_uuid.get(str(uuid_module.UUID(row.text)))
    except ValueError:
        indicator = None
    if indicator is not None:
        return indicator
    found = by_name.get(_name_key(row.text), [])
    if len(found) > 1:
        row.errors.append(_l("Mehrere Indikatoren heißen „%(name)s“: geben Sie die UUID des gemeinten an.",
                             name=row.text))
        return None
    if not found:
        row.errors.append(_l("Unbekannter Indikator „%(name)s“: weder der deutsche Name noch die UUID eines "
                             "Indikators dieses Prozesses.", name=row.text))
        return None
    return found[0]


def preview_file(process: Process, filename: str, content: bytes) -> Preview:
    """The uploaded file read and checked; nothing is stored."""
    return check(process, read_table(filename, content), filename)


# From the preview to the database

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign(process: Process, preview: Preview) -> str:
    """The preview's new rows, signed for the confirmation form (they are all the server needs then)."""
    return _serializer().dumps({
        "process": str(process.uuid), "file": preview.filename[:200],
        "rows": [[row.line, str(row.indicator.uuid), row.measured_on.isoformat(), row.value] for row in preview.new],
    })


def unsign(process: Process, signed: str) -> tuple[str, list[RawRow]]:
    """The file name and rows of a signed preview of this process; refused if changed or too old."""
    try:
        data = _serializer().loads(signed or "", max_age=SIGNED_FOR_SECONDS)
    except SignatureExpired:
        raise DomainError(EXPIRED) from None
    except BadSignature:
        raise DomainError(TAMPERED) from None
    if not isinstance(data, dict) or data.get("process") != str(process.uuid):
        raise DomainError(TAMPERED)
    try:
        rows = [RawRow(int(line), str(indicator), str(day), float(value)) for line, indicator, day, value in data["rows"]]
    except (KeyError, TypeError, ValueError):
        raise DomainError(TAMPERED) from None
    return str(data.get("file") or ""), rows


def confirm(process: Process, signed: str) -> Preview:
    """Store the signed preview's rows, all of them or none: each is checked again first.

    Raises ImportRefused (with the rows and their messages) where one is no longer right. The
    route commits; should a value still appear between this check and the commit, the database's
    unique constraint refuses the whole transaction.
    """
    filename, raw_rows = unsign(process, signed)
    preview = check(process, raw_rows, filename)
    if preview.bad:
        raise ImportRefused(preview)
    if not preview.new:
        raise DomainError(NOTHING_NEW)
    db.session.add_all(IndicatorValue(indicator=row.indicator, measured_on=row.measured_on, value=row.value)
                       for row in preview.new)
    db.session.flush()
    return preview

