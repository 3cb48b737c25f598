"""Indicator charts in a DOCX report: one PNG picture per indicator with measured values, drawn as the
indicator page's SVG is (app/exports/indicator_charts.py), and named for screen readers the same way.

`add_indicator_pictures(out, indicators)` takes the report (`docx_report.Report`, or anything with
`.doc` and `.language`) and indicator dicts of a tree document; the council's report calls it below
each node's indicator table, and the evaluation report can do the same.
"""
from __future__ import annotations

import io

from docx.shared import Cm

from app.exports.common import pick

CHART_WIDTH = Cm(12)  # as the participation charts: their 12-point text prints at about 13 points


def add_indicator_picture(out, indicator: dict) -> None:
    """The indicator's chart as a PNG picture, with its name as title and its values as description."""
    from app.exports import indicator_charts

    picture = indicator_charts.indicator_png(indicator, out.language)
    shape = out.doc.add_picture(io.BytesIO(picture), width=CHART_WIDTH)
    shape._inline.docPr.set("title", pick(indicator.get("name"), out.language))
    shape._inline.docPr.set("descr", indicator_charts.describe(indicator, out.language))


def add_indicator_pictures(out, indicators: list[dict]) -> None:
    """A picture for each of `indicators` that has measured values; none for the others."""
    from app.exports.indicator_charts import has_values

    for indicator in indicators:
        if has_values(indicator):
            add_indicator_picture(out, indicator)
