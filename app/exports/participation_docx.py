"""The participation report in DOCX: a section (figures, tables and charts as PNG, drawn as the page's
SVG charts are) that stands alone as a document, and closes the council's report of a process."""
from __future__ import annotations

import io
import uuid

from docx.shared import Cm
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports import charts
from app.exports.common import labelled
from app.exports.participation import (DOTS_NOTE, GROUPS_NOTE, GROUPS_TITLE, HIDDEN_NOTE, LANGUAGES_NOTE,
                                       TIME_TITLE, charts_of, group_figure, measures, time_label)
from app.extensions import db
from app.models import Process
from app.services.reports.participation import Report, process_report

CHART_WIDTH = Cm(12)  # drawn 10.7 cm wide: its 12-point text prints at about 13 points


def _figure(out, chart) -> None:
    """The chart as a PNG picture, named for screen readers as the page's SVG is."""
    shape = out.doc.add_picture(io.BytesIO(charts.png(chart.figure_maker())), width=CHART_WIDTH)
    shape._inline.docPr.set("descr", chart.description())
    shape._inline.docPr.set("title", chart.title)


def _number(value) -> str:
    return "" if value is None else str(value)


def summary(report: Report) -> str:
    return " · ".join((ngettext("%(num)d Teilnehmende", "%(num)d Teilnehmende", report.participants),
                       ngettext("%(num)d Idee", "%(num)d Ideen", report.ideas),
                       ngettext("%(num)d Punkt", "%(num)d Punkte", report.dots)))


def section(out, report: Report, level: int = 1) -> None:
    """The report's figures into `out` (app.exports.docx_report.Report), headings from `level`."""
    rtl = out.rtl
    drawn = {chart.key: chart for chart in charts_of(report)}
    out.paragraph(summary(report), bold=True, rtl=rtl)
    out.paragraph(str(DOTS_NOTE), rtl=rtl)
    for dimension in report.dimensions:
        out.heading(str(dimension.title), level + 1)
        if not dimension.rows:
            out.paragraph(_("Noch keine Zahlen."), rtl=rtl)
            continue
        if dimension.key in drawn:
            _figure(out, drawn[dimension.key])
        names = measures(dimension.counts_people)
        out.table([_("Kategorie"), *(name for _attribute, name in names)],
                  [[str(row.label), *(_number(getattr(row, attribute)) for attribute, _name in names)]
                   for row in dimension.rows])
        if dimension.note:
            out.paragraph(str(dimension.note), italic=True, rtl=rtl)
    out.heading(str(TIME_TITLE), level + 1)
    if "time" in drawn:
        _figure(out, drawn["time"])
        out.table([_("Zeitraum"), *(name for _attribute, name in measures())],
                  [[time_label(point, report.time.step), str(point.participants), str(point.ideas), str(point.dots)]
                   for point in report.time.points if not point.empty])
        if report.time.outside:
            out.paragraph(_("%(count)d Einträge von anderen Tagen als dem der Veranstaltung sind nicht dabei.",
                            count=report.time.outside), italic=True, rtl=rtl)
    else:
        out.paragraph(_("Noch keine Zahlen."), rtl=rtl)
    _groups(out, report, level + 1, drawn)


def _groups(out, report: Report, level: int, drawn: dict) -> None:
    rtl = out.rtl
    out.heading(str(GROUPS_TITLE), level)
    out.paragraph(str(GROUPS_NOTE), rtl=rtl)
    out.paragraph(labelled(_("Personen mit Selbstauskunft"), group_figure(report.described)), bold=True, rtl=rtl)
    for table in report.groups:
        out.heading(str(table.title), level + 1)
        if f"described-{table.key}" in drawn:
            _figure(out, drawn[f"described-{table.key}"])
        if table.rows:
            out.table([_("Kategorie"), _("Personen")],
                      [[str(row.label), group_figure(row.people)] for row in table.rows])
        if table.multiple:
            out.paragraph(str(LANGUAGES_NOTE), italic=True, rtl=rtl)
    if report.anything_hidden:
        out.paragraph(str(HIDDEN_NOTE), italic=True, rtl=rtl)


def standalone(report: Report, language: str) -> bytes:
    """The report as a document of its own."""
    from app.exports.docx_report import Report as Document

    out = Document(language)
    title = _("Teilnahmebericht")
    out.doc.core_properties.title = f"{title}: {report.title}"
    out.doc.core_properties.language = language
    out.footer(f"{title}: {report.title}")
    out.paragraph(title, "Title", rtl=out.rtl)
    out.paragraph(report.title, "Subtitle")
    if report.event is not None:
        out.paragraph(report.process.title)
    # Translators: "as of" a date and time.
    out.paragraph(_("Stand: %(date)s", date=format_datetime(report.generated_at, "medium")), rtl=out.rtl)
    section(out, report)
    return out.bytes()


def council_section(out, document: dict) -> None:
    """The participation of the process the goal-tree document is of, as the council report's last
    part; nothing for a document of a process this installation does not have (an imported file)."""
    key = (document.get("process") or {}).get("uuid")
    process = _process(key) if key else None
    if process is None or not process.events:
        return
    report = process_report(process, out.language)
    out.page_break()
    out.heading(_("Teilnahme"), 1)
    out.paragraph(_("Stand: %(date)s", date=format_date(report.generated_at, "long")), rtl=out.rtl)
    section(out, report, 1)


def _process(value: str) -> Process | None:
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return db.session.scalar(db.select(Process).filter_by(uuid=key))
