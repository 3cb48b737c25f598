"""The evaluation report as XLSX: the comparison of every node, the indicators before and after,
the decisions of the period, and a sheet of native charts, one per indicator with measured values
(app/exports/indicator_charts.py)."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from app.exports.common import labelled, percent, pick, xml_text
from app.exports.evaluation import CHANGE_LABELS, Evaluation, node_titles
from app.exports.sheets import DATE, LABEL, NUMBER, TEXT, Column, add_sheet
from app.i18n import text_direction
from app.labels import KIND_LABELS, STATUS_LABELS

CHART_ROWS = 18  # where `add_indicator_chart` says nothing of the rows it took

NODE_COLUMNS = [
    Column(_l("Nr."), LABEL), Column(_l("Knoten"), TEXT, 50), Column(_l("Art"), LABEL),
    Column(_l("Veränderung"), LABEL), Column(_l("Status vorher"), LABEL), Column(_l("Status nachher"), LABEL),
    Column(_l("Fortschritt vorher (%)"), NUMBER), Column(_l("Fortschritt nachher (%)"), NUMBER),
    Column(_l("Prozentpunkte"), NUMBER),
]
DECISION_COLUMNS = [
    Column(_l("Datum"), DATE), Column(_l("Sitzung"), TEXT, 30), Column(_l("Beschluss"), TEXT, 60),
    Column(_l("Betroffene Knoten"), TEXT, 50),
]


def _label(labels: dict, key: str | None) -> str:
    return str(labels.get(key, key)) if key else ""


def _progress(value: float | None) -> float | None:
    return percent(value) if value is not None else None


def node_rows(evaluation: Evaluation, language: str):
    for row in evaluation.nodes:
        before, after = _progress(row.progress_before), _progress(row.progress_after)
        yield [row.number, pick(row.title, language), _label(KIND_LABELS, row.kind), str(CHANGE_LABELS[row.change]),
               _label(STATUS_LABELS, row.status_before), _label(STATUS_LABELS, row.status_after), before, after,
               round(after - before, 1) if before is not None and after is not None else None]


def indicator_columns(evaluation: Evaluation) -> list[Column]:
    return [
        Column(_l("Nr."), LABEL), Column(_l("Knoten"), TEXT, 40), Column(_l("Indikator"), TEXT, 40),
        Column(_l("Einheit"), TEXT), Column(_l("Ausgangswert"), NUMBER), Column(_l("Zielwert"), NUMBER),
        # Named "Wert: <state>": a header never starts with what staff typed (it could read as a formula).
        Column(labelled(_("Wert"), evaluation.old.name), NUMBER), Column(labelled(_("Wert"), evaluation.new.name), NUMBER),
        Column(_l("Veränderung"), NUMBER),
    ]


def indicator_rows(evaluation: Evaluation, language: str):
    for row in evaluation.indicators:
        indicator = row.indicator
        yield [row.number, pick(row.node_title, language), pick(indicator.get("name"), language),
               indicator.get("unit") or "", (indicator.get("baseline") or {}).get("value"),
               (indicator.get("target") or {}).get("value"), row.before, row.after, row.delta]


def decision_rows(evaluation: Evaluation, language: str):
    for decision in evaluation.decisions:
        yield [decision.decided_on, decision.meeting, decision.text, node_titles(decision, language)]


def _charts(workbook: Workbook, evaluation: Evaluation, language: str) -> None:
    """One native chart per indicator with measured values, each below the last."""
    from app.exports.indicator_charts import add_indicator_chart

    drawn = [row.indicator for row in evaluation.indicators if row.indicator.get("values")]
    sheet = workbook.create_sheet(_("Diagramme")[:31])
    sheet.sheet_view.rightToLeft = text_direction(language) == "rtl"
    heading = sheet.cell(row=1, column=1, value=xml_text(_("Verlauf der Indikatoren")))
    heading.font = Font(bold=True, size=13)
    if not drawn:
        sheet.cell(row=3, column=1, value=xml_text(_("Noch keine Messwerte.")))
        return
    row = 3
    for indicator in drawn:
        row += (add_indicator_chart(sheet, indicator, f"A{row}", language) or CHART_ROWS) + 1


def workbook(evaluation: Evaluation, language: str) -> bytes:
    """The evaluation report as XLSX bytes, in `language` (inside its `force_locale`)."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = xml_text(f"{_('Evaluationsbericht')}: {evaluation.title}")
    add_sheet(book, _("Vergleich"), NODE_COLUMNS, node_rows(evaluation, language), language)
    add_sheet(book, _("Indikatoren"), indicator_columns(evaluation), indicator_rows(evaluation, language), language)
    add_sheet(book, _("Beschlüsse"), DECISION_COLUMNS, decision_rows(evaluation, language), language)
    _charts(book, evaluation, language)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
