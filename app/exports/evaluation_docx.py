"""The evaluation report as DOCX: the two states compared, what changed in the tree, each indicator
before and after with its chart (app/exports/indicator_charts.py), and the steering group's
decisions of the period. Built with the council report's blocks (app/exports/docx_report.Report)."""
from __future__ import annotations

import io

from docx.shared import Cm, Pt
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports.common import labelled, number_text, percent, percent_text, pick
from app.exports.docx_report import Report
from app.exports.decisions_docx import decisions_table
from app.exports.evaluation import CHANGE_LABELS, Evaluation, IndicatorRow
from app.labels import KIND_LABELS, STATUS_LABELS

CHART_WIDTH = Cm(12)  # as the council report's charts


def _status(status: str | None) -> str:
    return str(STATUS_LABELS.get(status, status)) if status else "–"


def _percent(progress: float | None) -> str:
    return percent_text(progress) if progress is not None else "–"


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + number_text(value)


def _node_title(row, language: str) -> str:
    """"1.2 Title" of a node row, or of an indicator row's node."""
    title = row.node_title if isinstance(row, IndicatorRow) else row.title
    return " ".join(part for part in (row.number, pick(title, language)) if part)


def _state_line(label, state) -> str:
    return labelled(label, f"{state.name} ({format_datetime(state.taken_at, 'medium')})")


def _overview(out: Report, evaluation: Evaluation) -> None:
    out.paragraph(_state_line(_("Früherer Stand"), evaluation.old))
    out.paragraph(_state_line(_("Späterer Stand"), evaluation.new))
    out.table([_("Veränderung"), _("Knoten")],
              [[str(label), str(evaluation.count(change))] for change, label in CHANGE_LABELS.items()])
    out.paragraph(ngettext("%(num)d Beschluss der Steuerungsgruppe in diesem Zeitraum",
                           "%(num)d Beschlüsse der Steuerungsgruppe in diesem Zeitraum", len(evaluation.decisions)),
                  rtl=out.rtl)


def _changes(out: Report, evaluation: Evaluation) -> None:
    language = out.language
    out.heading(_("Was sich im Zielbaum verändert hat"), 1)
    rows = [row for row in evaluation.nodes if row.change != "unchanged"]
    if not rows:
        out.paragraph(_("Zwischen den beiden Ständen hat sich nichts verändert."), rtl=out.rtl)
        return
    out.table([_("Knoten"), _("Art"), _("Veränderung"), _("Status vorher"), _("Status nachher"),
               _("Fortschritt vorher"), _("Fortschritt nachher"), _("Prozentpunkte")], [
        [_node_title(row, language), str(KIND_LABELS.get(row.kind, row.kind)), str(CHANGE_LABELS[row.change]),
         _status(row.status_before), _status(row.status_after), _percent(row.progress_before),
         _percent(row.progress_after),
         _signed(round(percent(row.progress_after) - percent(row.progress_before), 1))
         if row.progress_before is not None and row.progress_after is not None else ""]
        for row in rows])


def _indicator_text(row: IndicatorRow, language: str) -> str:
    name = pick(row.indicator.get("name"), language)
    return f"{name} ({row.indicator['unit']})" if row.indicator.get("unit") else name


def _picture(out: Report, indicator: dict) -> None:
    """The indicator's chart as a PNG, named for screen readers."""
    from app.exports.indicator_charts import indicator_png

    shape = out.doc.add_picture(io.BytesIO(indicator_png(indicator, out.language)), width=CHART_WIDTH)
    shape._inline.docPr.set("title", pick(indicator.get("name"), out.language))
    shape._inline.docPr.set("descr", _("Verlauf des Indikators: Ausgangswert, Zielwert und Messwerte"))


def _indicators(out: Report, evaluation: Evaluation) -> None:
    language = out.language
    out.heading(_("Indikatoren"), 1)
    if not evaluation.indicators:
        out.paragraph(_("Der Zielbaum hat keine Indikatoren."), rtl=out.rtl)
        return
    out.table([_("Knoten"), _("Indikator"), evaluation.old.name, evaluation.new.name, _("Veränderung")], [
        [_node_title(row, language), _indicator_text(row, language), number_text(row.before) or "–",
         number_text(row.after) or "–", _signed(row.delta)] for row in evaluation.indicators])
    for row in evaluation.indicators:
        indicator = row.indicator
        out.heading(_indicator_text(row, language), 2)
        out.paragraph(labelled(_("Knoten"), _node_title(row, language)), italic=True)
        baseline, target = indicator.get("baseline") or {}, indicator.get("target") or {}
        out.paragraph(" · ".join((labelled(_("Ausgangswert"), number_text(baseline.get("value")) or "–"),
                                  labelled(_("Zielwert"), number_text(target.get("value")) or "–"),
                                  labelled(evaluation.old.name, number_text(row.before) or "–"),
                                  labelled(evaluation.new.name, number_text(row.after) or "–"))), rtl=out.rtl)
        if indicator.get("values"):
            _picture(out, indicator)
        else:
            out.paragraph(_("Noch keine Messwerte."), rtl=out.rtl)


def report(evaluation: Evaluation, language: str) -> bytes:
    """The evaluation report as DOCX bytes, in `language` (inside its `force_locale`)."""
    out = Report(language)
    title = _("Evaluationsbericht")
    out.doc.core_properties.title = f"{title}: {evaluation.title}"
    out.doc.core_properties.language = language
    out.footer(f"{title}: {evaluation.title}")
    out.paragraph(title, "Title", rtl=out.rtl)
    out.paragraph(evaluation.title, "Subtitle")
    _overview(out, evaluation)
    _changes(out, evaluation)
    _indicators(out, evaluation)
    out.heading(_("Beschlüsse der Steuerungsgruppe zwischen den beiden Ständen"), 1)
    decisions_table(out, evaluation.decisions, _("In diesem Zeitraum wurden keine Beschlüsse eingetragen."))
    for style in ("Normal", "List Bullet"):
        out.styles[style].font.size = Pt(11)
    return out.bytes()
