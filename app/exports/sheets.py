"""Tables as XLSX sheets and CSV files, typed and safe: dates as dates, numbers as numbers, and the
citizens' text never read as a formula by the council's spreadsheet program.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import to_user_timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.exports.common import FORMULA_START, direction, xml_text
from app.i18n import text_direction

# Column types: "text" comes from people (checked for formulas), "label" from us.
TEXT, LABEL, INT, NUMBER, DATE, DATETIME = "text", "label", "int", "number", "date", "datetime"
WIDE = 60  # characters; longer text wraps
# A text cell's reading order, from its first strong character as the DOCX and the pages' dir="auto"
# do: German in an Arabic sheet stays "Wofür?" and Arabic in a German one keeps its order. Set
# outright, not left to "context" (0), which LibreOffice reads as the sheet's direction.
READING_ORDER = {"ltr": 1, "rtl": 2}
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Column:
    header: object  # a (lazy) translated string
    type: str = TEXT
    width: int | None = None  # characters; by default sized to the content


def _date_format(language: str) -> str:
    return "DD.MM.YYYY" if language == "de" else "YYYY-MM-DD"


def add_sheet(workbook: Workbook, title, columns: list[Column], rows, language: str) -> None:
    """A sheet with a bold, frozen header row, filters on, columns sized, values typed."""
    sheet = workbook.create_sheet(_SHEET_NAME.sub(" ", str(title))[:31])
    sheet.sheet_view.rightToLeft = text_direction(language) == "rtl"
    sheet.append([xml_text(str(c.header)) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = _alignment(cell.value, wrap=False)
    widths = [len(str(c.header)) for c in columns]
    date_format = _date_format(language)
    count = 1
    for values in rows:
        count += 1
        lines = 1
        for index, (column, value) in enumerate(zip(columns, values)):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=count, column=index + 1)
            if column.type in (TEXT, LABEL):
                value = xml_text(value)
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever it starts with
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True  # stays text when someone edits the cell
                limit = column.width or WIDE
                wraps = len(value) > limit or "\n" in value
                cell.alignment = _alignment(value, wraps)
                if wraps:
                    lines = max(lines, sum(1 + len(part) // limit for part in value.split("\n")))
                widths[index] = max(widths[index], min(len(value), limit))
            else:
                cell.value = value
                if column.type == DATE:
                    cell.number_format = date_format
                    widths[index] = max(widths[index], 12)
                elif column.type == DATETIME:
                    cell.number_format = date_format + " hh:mm"
                    widths[index] = max(widths[index], 18)
                else:
                    widths[index] = max(widths[index], len(f"{value:g}") if column.type == NUMBER else len(str(value)))
        if lines > 1:  # spreadsheet programs do not always grow rows for wrapped text themselves
            sheet.row_dimensions[count].height = 15 * min(lines, 20)
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = (column.width or widths[index]) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"
    # Printed: landscape, as wide as the paper, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def reads_in_its_direction(cell) -> None:
    """A text cell written outside `add_sheet` (headings, chart data) reads in its own direction."""
    cell.alignment = _alignment(str(cell.value), wrap=False)


def _alignment(text: str, wrap: bool) -> Alignment:
    """Long text wraps and starts at the top; every text reads in its own direction."""
    order = READING_ORDER[direction(text)]
    if wrap:
        return Alignment(wrap_text=True, vertical="top", readingOrder=order)
    return Alignment(readingOrder=order)


def workbook_bytes(sheets, language: str, finish=None) -> bytes:
    """An XLSX file of (title, columns, rows) sheets; `finish(workbook)`, where given, adds what
    tables do not hold (charts) before it is written."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        add_sheet(workbook, title, columns, rows, language)
    if finish is not None:
        finish(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(column: Column, value, language: str) -> str:
    if value is None:
        return ""
    if column.type == DATE:
        return value.isoformat()
    if column.type == DATETIME:
        return value.strftime("%Y-%m-%d %H:%M")
    if column.type in (INT, NUMBER):
        text = f"{value:.15g}" if column.type == NUMBER else str(value)
        return text.replace(".", ",") if language == "de" else text
    return spreadsheet_safe(str(value))


def spreadsheet_safe(text: str) -> str:
    """A text for a CSV cell that no spreadsheet program runs as a formula."""
    text = _AFTER_SEPARATOR.sub(r"\1'\2", text)
    if text.startswith(FORMULA_START):
        return "'" + text  # shown as text, as spreadsheet programs do themselves
    return text


# A program that splits the file on the other separator (or mistakes its quotes) starts a cell
# after a comma or semicolon inside a text: a formula there is marked as text too. "- " and "-1"
# stay as typed (a dash in a list, a number); "-A1" and the like do not.
_AFTER_SEPARATOR = re.compile(r"""([,;][\s"']*)([=+@]|-(?=[^\s\d]))""")


def csv_bytes(columns: list[Column], rows, language: str) -> bytes:
    """CSV in UTF-8 with a byte order mark, so Excel reads umlauts and Arabic.

    German spreadsheets expect semicolons and decimal commas; other languages get commas and
    decimal points. Every field is quoted: a program that splits on the other separator (commas
    in a German file) then still reads one cell, never one that begins after a comma with `=`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if language == "de" else ",", lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL)
    writer.writerow([str(c.header) for c in columns])
    for values in rows:
        writer.writerow([_csv_value(c, v, language) for c, v in zip(columns, values)])
    return buffer.getvalue().encode("utf-8-sig")


def naive(moment: datetime | None) -> datetime | None:
    """Spreadsheets know no time zones: the wall-clock time where the process happens."""
    if moment is None:
        return None
    return to_user_timezone(moment).replace(tzinfo=None)
