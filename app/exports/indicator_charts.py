"""One chart per indicator: its measured values over time, with its baseline and its target.

The indicator is the dict of the tree document (`services.goals.snapshots.tree_document`, or a
snapshot's), so the page, the council's DOCX, the XLSX export and the evaluation report draw the
same thing from the same data. `indicator_figure` draws it with matplotlib (through the helpers
of `app.exports.charts`: its fonts, colours, lock and settings); `indicator_svg` and
`indicator_png` write that one drawing; `add_indicator_chart` puts the same series as a native
chart into an openpyxl worksheet, beside the cells it draws from.

Call these inside an app context with the language's locale (`force_locale`), as every export does.
"""
from __future__ import annotations

import math
import textwrap
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask_babel import gettext as _
from matplotlib.dates import AutoDateLocator, YearLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from app.exports import charts
from app.exports.common import day, pick, xml_text

HEIGHT = 3.2  # inches, at the charts' common width
TITLE_WIDTH = 40  # characters before the title wraps
VALUES, BASELINE, TARGET = charts.COLOURS[0], charts.COLOURS[1], charts.COLOURS[2]
CHART_ROWS = 16  # the rows a native chart covers in a sheet (7.5 cm at the default row height)


def _locale(language: str) -> str:
    try:
        Locale.parse(language)
        return language
    except (ValueError, UnknownLocaleError):
        return "de"


def _number(value: float, language: str) -> str:
    return format_decimal(value, locale=_locale(language), decimal_quantization=False, group_separator=False)


def _points(indicator: dict) -> list[tuple[date, float]]:
    """The measured values in date order, as (date, value); rows without either are left out."""
    points = [(day(v.get("date")), v.get("value")) for v in indicator.get("values") or []]
    return sorted((when, float(value)) for when, value in points if when and value is not None)


def has_values(indicator: dict) -> bool:
    """Whether the indicator has a measured value to draw (the exports leave out empty charts)."""
    return bool(_points(indicator))


def _mark(indicator: dict, key: str) -> tuple[float | None, date | None]:
    mark = indicator.get(key) or {}
    value = mark.get("value")
    return (float(value) if value is not None else None), day(mark.get("date"))


def _title(indicator: dict, language: str) -> str:
    name = pick(indicator.get("name"), language) or _("Indikator")
    return "\n".join(textwrap.wrap(charts._printable(name), TITLE_WIDTH)[:3])


def _unit_label(indicator: dict) -> str:
    return charts._printable(indicator.get("unit") or "")


def indicator_figure(indicator: dict, language: str) -> Figure:
    """The indicator's values as a line with markers over time; its baseline and its target each as
    a point at their date (where they have one) and as a dashed level line; the unit on the value
    axis, the name (in `language`, else German) as the title."""
    points = _points(indicator)
    baseline, baseline_on = _mark(indicator, "baseline")
    target, target_on = _mark(indicator, "target")
    with charts._settings():
        figure = charts._figure(HEIGHT)
        axes = figure.add_subplot()
        axes.set_title(_title(indicator, language), fontsize=charts.FONT_SIZE, loc="left")
        for value, when, colour, marker, label in ((baseline, baseline_on, BASELINE, "s", _("Ausgangswert")),
                                                   (target, target_on, TARGET, "D", _("Zielwert"))):
            if value is None:
                continue
            axes.axhline(value, color=colour, linestyle="--", linewidth=1.2)
            # A single point: its dashed style shows only in the legend, beside the marker.
            axes.plot([when] if when else [], [value] if when else [], linestyle="--", marker=marker if when else None,
                      markersize=7, color=colour, label=charts._printable(label))
        if points:
            axes.plot([when for when, _value in points], [value for _when, value in points], color=VALUES,
                      linewidth=2, marker="o", markersize=5, label=charts._printable(_("Messwerte")))
            last_on, last = points[-1]
            axes.annotate(_number(last, language), (last_on, last), textcoords="offset points", xytext=(0, 7),
                          ha="center", fontsize=charts.FONT_SIZE - 2, color=VALUES)
        dates = [when for when, _value in points] + [d for d in (baseline_on, target_on) if d]
        if not dates and not points and baseline is None and target is None:
            axes.text(0.5, 0.5, charts._printable(_("Noch keine Messwerte.")), transform=axes.transAxes,
                      ha="center", va="center")
            axes.set_xticks([])
            axes.set_yticks([])
        else:
            _date_axis(axes, dates, language)
            axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: _number(value, language)))
            axes.margins(x=0.08, y=0.15)
        if _unit_label(indicator):
            axes.set_ylabel(_unit_label(indicator), fontsize=charts.FONT_SIZE - 1)
        if axes.get_legend_handles_labels()[0]:
            charts._legend(figure, len(axes.get_legend_handles_labels()[0]))
    return figure


def _date_axis(axes, dates: list[date], language: str) -> None:
    """Years where the dates span several, else months ("03.2026" in German, "2026-03" elsewhere)."""
    if not dates:
        axes.set_xticks([])
        return
    if (max(dates) - min(dates)).days > 3 * 365:
        years = (max(dates) - min(dates)).days / 365
        axes.xaxis.set_major_locator(YearLocator(base=max(1, math.ceil(years / 4))))
        pattern = "%Y"
    else:
        axes.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=4))
        pattern = "%m.%Y" if language.startswith("de") else "%Y-%m"
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: num2date(value).strftime(pattern)))
    if min(dates) == max(dates):  # one date: half a year either side, not a day
        middle = date2num(min(dates))
        axes.set_xlim(middle - 200, middle + 200)


def describe(indicator: dict, language: str) -> str:
    """What the chart shows, in words: for screen readers and as the image's alternative text."""
    points = _points(indicator)
    unit = indicator.get("unit") or ""
    parts = []
    for key, label in (("baseline", _("Ausgangswert")), ("target", _("Zielwert"))):
        value, when = _mark(indicator, key)
        if value is not None:
            text = f"{label} {_number(value, language)} {unit}".strip()
            parts.append(_("%(mark)s am %(date)s", mark=text, date=when.isoformat()) if when else text)
    if points:
        parts.append(", ".join(f"{when.isoformat()}: {_number(value, language)} {unit}".strip()
                               for when, value in points))
    else:
        parts.append(_("Noch keine Messwerte."))
    return ". ".join(parts)


def indicator_svg(indicator: dict, language: str) -> str:
    """The chart as SVG text, named by a <title> (the indicator's name) and described by a <desc>."""
    name = pick(indicator.get("name"), language) or _("Indikator")
    return charts.svg(indicator_figure(indicator, language), name, describe(indicator, language)).decode("utf-8")


def indicator_png(indicator: dict, language: str) -> bytes:
    """The same chart as PNG, for DOCX."""
    return charts.png(indicator_figure(indicator, language))


# Native charts in XLSX

def add_indicator_chart(worksheet, indicator: dict, anchor: str, language: str) -> int:
    """The indicator's data cells written at `anchor` (a heading row with the name and unit, a header
    row, then one row per date: date, measured value, baseline, target) and a native scatter chart
    of them right below those cells, in the same column: whatever the widths of the sheet's
    columns, the chart stays beside nothing else.

    A baseline or target with a date is a single marked point at that date; one without a date is
    repeated on every row, a dashed level line. Returns the rows the block takes, so that the next
    block can go below it.
    """
    from openpyxl.chart import Reference, ScatterChart, Series
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    from app.exports.sheets import reads_in_its_direction

    column_letter, top = coordinate_from_string(anchor)
    left = column_index_from_string(column_letter)
    points = _points(indicator)
    baseline, baseline_on = _mark(indicator, "baseline")
    target, target_on = _mark(indicator, "target")
    rows: dict[date, list] = {}
    for when, value in points:
        rows.setdefault(when, [None, None, None])[0] = value
    for index, (value, when) in ((1, (baseline, baseline_on)), (2, (target, target_on))):
        if value is not None and when:
            rows.setdefault(when, [None, None, None])[index] = value
    for index, (value, when) in ((1, (baseline, baseline_on)), (2, (target, target_on))):
        if value is not None and not when:
            for cells in rows.values():
                cells[index] = value

    name = xml_text(pick(indicator.get("name"), language)) or _("Indikator")
    unit = xml_text(indicator.get("unit") or "")
    heading = worksheet.cell(row=top, column=left, value=f"{name} ({unit})" if unit else name)
    heading.data_type = "s"  # a name is never a formula
    heading.font = Font(bold=True)
    reads_in_its_direction(heading)
    headers = [_("Datum"), _("Messwert"), _("Ausgangswert"), _("Zielwert")]
    for offset, header in enumerate(headers):
        cell = worksheet.cell(row=top + 1, column=left + offset, value=header)
        cell.font = Font(bold=True)
        reads_in_its_direction(cell)
    date_format = "DD.MM.YYYY" if language.startswith("de") else "YYYY-MM-DD"
    for number, when in enumerate(sorted(rows), start=top + 2):
        worksheet.cell(row=number, column=left, value=when).number_format = date_format
        for offset, value in enumerate(rows[when], start=1):
            if value is not None:
                worksheet.cell(row=number, column=left + offset, value=value)
    for offset in range(4):
        dimension = worksheet.column_dimensions[get_column_letter(left + offset)]
        dimension.width = max(dimension.width or 0, 13)
    data_rows = len(rows)
    if not data_rows:
        worksheet.cell(row=top + 2, column=left, value=_("Noch keine Messwerte."))
        return 3

    chart = ScatterChart()
    chart.title = name[:250]
    chart.style = 13
    chart.display_blanks = "span"  # the values' line goes on past a row with only the baseline or target
    chart.x_axis.title = _("Datum")
    chart.y_axis.title = unit or _("Wert")
    chart.x_axis.number_format = date_format
    chart.x_axis.majorTickMark = chart.y_axis.majorTickMark = "out"
    chart.x_axis.delete = chart.y_axis.delete = False  # else newer Excel hides both axes
    chart.legend.position = "b"
    dates = Reference(worksheet, min_col=left, min_row=top + 2, max_row=top + 1 + data_rows)
    for offset, colour, symbol, dashed in ((1, VALUES, "circle", False), (2, BASELINE, "square", True),
                                           (3, TARGET, "diamond", True)):
        if all(cells[offset - 1] is None for cells in rows.values()):
            continue
        values = Reference(worksheet, min_col=left + offset, min_row=top + 1, max_row=top + 1 + data_rows)
        series = Series(values, dates, title_from_data=True)
        series.marker.symbol = symbol
        series.marker.size = 7
        series.marker.graphicalProperties.solidFill = colour[1:]
        series.marker.graphicalProperties.line.solidFill = colour[1:]
        series.graphicalProperties.line.solidFill = colour[1:]
        series.graphicalProperties.line.width = 28575  # 2.25 pt in EMU
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
        series.smooth = False
        chart.series.append(series)
    worksheet.add_chart(chart, f"{column_letter}{top + 2 + data_rows}")
    return 2 + data_rows + CHART_ROWS


def add_indicator_charts(worksheet, indicators: list[dict], first_row: int, language: str,
                         column: str = "A") -> int:
    """One block of `add_indicator_chart` per indicator from `first_row` down, each below the last
    with an empty row between; returns the first free row after them."""
    row = first_row
    for indicator in indicators:
        row += add_indicator_chart(worksheet, indicator, f"{column}{row}", language) + 1
    return row
