"""The participation report (app/services/reports/participation.py) as charts, CSV and the words
its page and DOCX share. Hidden figures of self-described groups appear only as HIDDEN."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_time, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exports import Download, check_format, check_language
from app.exports.common import slug
from app.exports.sheets import INT, LABEL, TEXT, Column, csv_bytes
from app.languages import locale_for
from app.services.reports.participation import Report
from app.services.reports.participation_time import QUARTER_HOUR, TimePoint

HIDDEN = "–"
HIDDEN_NOTE = _l("„–“: nicht gezeigt, weil weniger als 5 Personen in der Gruppe sind oder weil sich sonst "
                 "eine Gruppe von weniger als 5 Personen aus den anderen Zahlen ausrechnen ließe "
                 "(durch Abziehen von der Summe oder von den Zahlen der anderen Veranstaltungen).")
GROUPS_NOTE = _l("Nur Personen, die einer Selbstauskunft zugestimmt haben, und jedes Merkmal für sich: "
                 "keine Kreuztabellen. Eine Zahl erscheint erst ab 5 Personen.")
LANGUAGES_NOTE = _l("Eine Person kann mehrere Sprachen angeben. Aufgeführt sind Sprachen, die mindestens "
                    "5 Personen im Prozess angegeben haben.")
DOTS_NOTE = _l("Punkte: die Punkte, die die Ideen dieser Zeile bei der Abstimmung bekommen haben.")
TIME_TITLE = _l("Im Zeitverlauf")
GROUPS_TITLE = _l("Selbstauskünfte")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def measures(with_people: bool = True) -> list[tuple[str, str]]:
    """The columns of a dimension: (attribute, name)."""
    names = [("participants", _("Teilnehmende"))] if with_people else []
    return names + [("ideas", _("Ideen")), ("dots", _("Punkte"))]


def time_label(point: TimePoint, step: str) -> str:
    """"10:15" for a quarter hour (local time already), "15.06.2030" for a day."""
    if step == QUARTER_HOUR:
        return format_time(point.start, "HH:mm", rebase=False)
    return format_date(point.start, "medium")


def group_figure(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


@dataclass
class Chart:
    key: str
    title: str
    figure_maker: object  # () -> Figure, so a page can list charts without drawing them

    def description(self) -> str:
        return _("Diagramm: %(title)s. Die Zahlen stehen auch in der Tabelle dazu.", title=self.title)


def _chart_label(row) -> str:
    from app.exports import charts

    label = str(row.label)
    return label if row.language is None or charts.drawable(label) else row.key


def charts_of(report: Report) -> list[Chart]:
    """Every chart the report has data for, in the page's order (matplotlib is loaded when the first
    is drawn, not at start-up)."""
    from app.exports import charts

    found = []
    for dimension in report.dimensions:
        if not dimension.rows:
            continue
        series = [(name, [getattr(row, attribute) for row in dimension.rows])
                  for attribute, name in measures(dimension.counts_people)]
        labels = [_chart_label(row) for row in dimension.rows]
        found.append(Chart(dimension.key, str(dimension.title),
                           lambda labels=labels, series=series: charts.bars(labels, series)))
    points = report.time.points
    if points:
        labels = [time_label(point, report.time.step) for point in points]
        series = [(name, [getattr(point, attribute) for point in points]) for attribute, name in measures()]
        found.append(Chart("time", str(TIME_TITLE),
                           lambda labels=labels, series=series: charts.timeline(labels, series)))
    for table in report.groups:
        if report.described is None or all(row.people is None for row in table.rows):
            continue
        labels = [_chart_label(row) for row in table.rows]
        series = [(_("Personen"), [row.people for row in table.rows])]
        found.append(Chart(f"described-{table.key}", f"{GROUPS_TITLE}: {table.title}",
                           lambda labels=labels, series=series: charts.bars(labels, series, hidden_mark=HIDDEN)))
    return found


def chart_svg(report: Report, key: str) -> bytes | None:
    """One chart of the report as SVG; None where it has no such chart."""
    from app.exports import charts

    chart = next((chart for chart in charts_of(report) if chart.key == key), None)
    if chart is None:
        return None
    return charts.svg(chart.figure_maker(), chart.title, chart.description())


COLUMNS = [Column(_l("Bereich"), LABEL), Column(_l("Kategorie"), TEXT, 50), Column(_l("Teilnehmende"), INT),
           Column(_l("Ideen"), INT), Column(_l("Punkte"), INT), Column(_l("Verdeckt"), LABEL)]


def csv_rows(report: Report) -> list[list]:
    """One row per figure: dimension, category, participants, ideas, dots, whether hidden."""
    rows = [[_("Insgesamt"), report.title, report.participants, report.ideas, report.dots, ""]]
    for dimension in report.dimensions:
        rows += [[str(dimension.title), str(row.label), row.participants, row.ideas, row.dots, ""]
                 for row in dimension.rows]
    rows += [[str(TIME_TITLE), time_label(point, report.time.step), point.participants, point.ideas, point.dots, ""]
             for point in report.time.points if not point.empty]
    hidden = _("ja")
    rows.append([str(GROUPS_TITLE), _("Personen mit Selbstauskunft"), report.described, None, None,
                 hidden if report.described is None else ""])
    for table in report.groups:
        rows += [[f"{GROUPS_TITLE}: {table.title}", str(row.label), row.people, None, None,
                  hidden if row.people is None else ""] for row in table.rows]
    return rows


def _name(report: Report, language: str, extension: str) -> str:
    event = report.event
    parts = ["teilnahme", slug(report.title) or "bericht", event.code.lower() if event is not None else "",
             date.today().isoformat(), language]
    return "-".join(part for part in parts if part) + f".{extension}"


def participation_file(report_for, fmt: str, language: str) -> Download:
    """The report as CSV or DOCX in `language`; `report_for(language)` makes it (inside the locale)."""
    check_format(fmt, FORMATS)
    check_language(language)
    with force_locale(locale_for(language)):
        report = report_for(language)
        if fmt == "csv":
            content = csv_bytes(COLUMNS, csv_rows(report), language)
        else:
            from app.exports.participation_docx import standalone

            content = standalone(report, language)
        return Download(content, FORMATS[fmt], _name(report, language, fmt))
