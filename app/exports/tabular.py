"""The goal tree as tables: an XLSX workbook (nodes, indicators, measured values, ideas) and the
nodes as CSV, one row per node with its path number."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.styles import Font

from app.labels import KIND_LABELS, STATUS_LABELS
from app.exports.common import (Entry, day, idea_text, language_name, latest, original_language, percent, pick,
                                walk)
from app.exports.sheets import DATE, INT, LABEL, NUMBER, TEXT, Column, csv_bytes, reads_in_its_direction, workbook_bytes

NODE_COLUMNS = [
    Column(_l("Nr."), LABEL), Column(_l("Ebene"), INT), Column(_l("Art"), LABEL),
    Column(_l("Titel"), TEXT, 50), Column(_l("Beschreibung"), TEXT, 60), Column(_l("Handlungsfeld"), TEXT),
    Column(_l("Verantwortlich"), TEXT), Column(_l("Beginn"), DATE), Column(_l("Ende"), DATE),
    Column(_l("Status"), LABEL), Column(_l("Gewicht"), NUMBER), Column(_l("Fortschritt (%)"), NUMBER),
    Column(_l("Indikatoren"), INT), Column(_l("Ideen"), INT), Column(_l("UUID"), LABEL, 36),
]
INDICATOR_COLUMNS = [
    Column(_l("Nr."), LABEL), Column(_l("Knoten"), TEXT, 40), Column(_l("Indikator"), TEXT, 40),
    Column(_l("Einheit"), TEXT), Column(_l("Ausgangswert"), NUMBER), Column(_l("Ausgangsdatum"), DATE),
    Column(_l("Zielwert"), NUMBER), Column(_l("Zieldatum"), DATE), Column(_l("Letzter Wert"), NUMBER),
    Column(_l("Gemessen am"), DATE), Column(_l("Fortschritt (%)"), NUMBER), Column(_l("Datenquelle"), TEXT),
    Column(_l("UUID"), LABEL, 36),
]
VALUE_COLUMNS = [
    Column(_l("Nr."), LABEL), Column(_l("Indikator"), TEXT, 40), Column(_l("Gemessen am"), DATE),
    Column(_l("Wert"), NUMBER), Column(_l("Einheit"), TEXT),
]
IDEA_COLUMNS = [
    Column(_l("Nr."), LABEL), Column(_l("Knoten"), TEXT, 40), Column(_l("Idee"), TEXT, 60),
    Column(_l("Original"), TEXT, 60), Column(_l("Sprache des Originals"), LABEL), Column(_l("Herkunft"), LABEL),
    Column(_l("UUID"), LABEL, 36),
]


def node_row(entry: Entry, language: str) -> list:
    node = entry.node
    return [
        entry.number, entry.level, str(KIND_LABELS.get(node["kind"], node["kind"])),
        pick(node.get("title"), language), pick(node.get("description"), language),
        pick(entry.field["name"], language) if entry.field else "",
        ", ".join(node.get("responsible") or []), day(node.get("starts_on")), day(node.get("ends_on")),
        str(STATUS_LABELS.get(node["status"], node["status"])), node.get("weight"), percent(node.get("progress")),
        len(node.get("indicators") or []), len(entry.ideas), node["uuid"],
    ]


def indicator_rows(entries: list[Entry], language: str):
    for entry in entries:
        for indicator in entry.node.get("indicators") or []:
            value, measured = latest(indicator)
            baseline, target = indicator.get("baseline") or {}, indicator.get("target") or {}
            yield [
                entry.number, pick(entry.node.get("title"), language), pick(indicator.get("name"), language),
                indicator.get("unit") or "", baseline.get("value"), day(baseline.get("date")),
                target.get("value"), day(target.get("date")), value, day(measured),
                percent(indicator.get("progress")), indicator.get("data_source") or "", indicator["uuid"],
            ]


def value_rows(entries: list[Entry], language: str):
    for entry in entries:
        for indicator in entry.node.get("indicators") or []:
            name = pick(indicator.get("name"), language)
            for value in indicator.get("values") or []:
                yield [entry.number, name, day(value["date"]), value["value"], indicator.get("unit") or ""]


def idea_rows(entries: list[Entry], language: str):
    linked, quoted = _("verknüpft"), _("Zitat")
    for entry in entries:
        title = pick(entry.node.get("title"), language)
        for idea in entry.node.get("ideas") or []:
            text, original, machine = idea_text(idea, language)
            yield [entry.number, title, text, original, original_language(idea, machine), linked, idea["uuid"]]
        for quote in entry.node.get("quotes") or []:
            yield [entry.number, title, quote["text"], "", language_name(quote.get("language")), quoted,
                   quote.get("uuid") or ""]


def nodes_xlsx(document: dict, language: str) -> bytes:
    """Nodes, indicators, measured values and linked ideas, one sheet each; below the indicators'
    table, a native chart of each indicator that has measured values."""
    entries = walk(document)
    return workbook_bytes([
        (_("Zielbaum"), NODE_COLUMNS, (node_row(e, language) for e in entries)),
        (_("Indikatoren"), INDICATOR_COLUMNS, indicator_rows(entries, language)),
        (_("Messwerte"), VALUE_COLUMNS, value_rows(entries, language)),
        (_("Ideen"), IDEA_COLUMNS, idea_rows(entries, language)),
    ], language, finish=lambda workbook: _indicator_charts(workbook.worksheets[1], entries, language))


def _indicator_charts(sheet, entries: list[Entry], language: str) -> None:
    from app.exports.indicator_charts import add_indicator_charts, has_values

    drawn = [i for entry in entries for i in entry.node.get("indicators") or [] if has_values(i)]
    if drawn:
        heading = sheet.cell(row=sheet.max_row + 3, column=1, value=_("Verlauf der Indikatoren"))
        heading.font = Font(bold=True, size=13)
        reads_in_its_direction(heading)
        add_indicator_charts(sheet, drawn, heading.row + 2, language)


def nodes_csv(document: dict, language: str) -> bytes:
    """One row per node, the columns of the workbook's first sheet."""
    return csv_bytes(NODE_COLUMNS, (node_row(e, language) for e in walk(document)), language)
