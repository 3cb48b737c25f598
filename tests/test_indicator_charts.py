"""Each indicator drawn as a chart (values over time, baseline, target): an SVG image on the indicator's
page, a PNG picture in the council's DOCX report and a native chart in the XLSX export."""
import io
import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import docx
import openpyxl
import pytest

from app.exports.indicator_charts import add_indicator_chart, indicator_png, indicator_svg
from app.extensions import db
from app.models import Process
from app.security import IMAGE_POLICY
from app.services.goals import goaltree, indicators

SVG = "{http://www.w3.org/2000/svg}"
NAME = "Ortsteile mit wöchentlichem Sprachcafé"


@pytest.fixture
def charted(app, make, login):
    """An indicator with a baseline, a target and three values; another without values."""
    process = make.process()
    user = make.user("orga@example.org", roles=[(process.id, "organiser")])
    login(user)
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        goal = goaltree.add_node(root.children[1], "ziel", "Sprachcafés in allen Ortsteilen")
        drawn = indicators.add_indicator(goal, {"de": NAME, "en": "Districts with a weekly language café"},
                                         unit="Ortsteile", baseline_value=1, baseline_on=date(2025, 1, 1),
                                         target_value=6, target_on=date(2027, 12, 31))
        for day, value in ((date(2025, 12, 31), 2), (date(2026, 3, 31), 3.5), (date(2026, 10, 15), 4)):
            indicators.record_value(drawn, day, value)
        empty = indicators.add_indicator(goal, "Besuche je Monat", unit="Besuche")
        db.session.commit()
        return SimpleNamespace(id=process.id, uuid=str(drawn.uuid), empty=str(empty.uuid))


def page_url(process_id, indicator_uuid, rest=""):
    return f"/organise/processes/{process_id}/goal-tree/indicators/{indicator_uuid}{rest}"


def svg_texts(root) -> list[str]:
    return [" ".join("".join(element.itertext()).split()) for element in root.iter(f"{SVG}text")]


def test_the_indicator_page_shows_the_chart_and_the_numbers(client, charted):
    page = client.get(page_url(charted.id, charted.uuid)).get_data(as_text=True)
    chart_url = page_url(charted.id, charted.uuid, "/chart.svg")
    assert f'<img class="chart" src="{chart_url}"' in page
    # The image's alternative text says what it shows; the table has the same numbers.
    assert 'alt="Ausgangswert 1 Ortsteile am 2025-01-01. Zielwert 6 Ortsteile am 2027-12-31. ' in page
    assert "2026-03-31: 3,5 Ortsteile" in page
    assert "31.03.2026" in page and "3,5" in page

    response = client.get(chart_url)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == IMAGE_POLICY
    assert "no-store" in response.headers["Cache-Control"]
    root = ET.fromstring(response.data)  # well-formed SVG
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == NAME
    description = root.find(f"{SVG}desc").text
    assert "2025-12-31: 2 Ortsteile" in description and "2026-10-15: 4 Ortsteile" in description
    texts = svg_texts(root)
    assert "Ortsteile" in texts  # the unit on the value axis
    assert {"Ausgangswert", "Zielwert", "Messwerte"} <= set(texts)  # the legend
    assert "4" in texts  # the last value written at its point
    assert any(NAME.split()[0] in text for text in texts)  # the title


def test_the_chart_speaks_the_readers_language_and_falls_back_to_german(client, charted):
    client.get("/lang/en")
    root = ET.fromstring(client.get(page_url(charted.id, charted.uuid, "/chart.svg")).data)
    assert root.find(f"{SVG}title").text == "Districts with a weekly language café"
    assert "3.5" in root.find(f"{SVG}desc").text  # a decimal point in English
    client.get("/lang/ar")
    root = ET.fromstring(client.get(page_url(charted.id, charted.uuid, "/chart.svg")).data)
    assert root.find(f"{SVG}title").text == NAME  # no Arabic name: the German one


def test_an_indicator_without_values_has_no_chart_on_its_page_but_draws_a_note(client, charted):
    page = client.get(page_url(charted.id, charted.empty)).get_data(as_text=True)
    assert "chart.svg" not in page and "Noch keine Messwerte." in page
    root = ET.fromstring(client.get(page_url(charted.id, charted.empty, "/chart.svg")).data)
    assert "Noch keine Messwerte." in svg_texts(root)


def test_the_steering_group_sees_the_chart_other_processes_do_not(app, client, charted, make, login):
    other = make.process("Anderer Prozess")
    client.post("/auth/logout")
    login(make.user("steering@example.org", roles=[(charted.id, "steering"), (other.id, "organiser")]))
    assert client.get(page_url(charted.id, charted.uuid, "/chart.svg")).status_code == 200
    assert client.get(page_url(other.id, charted.uuid, "/chart.svg")).status_code == 404  # not in that process
    client.post("/auth/logout")
    login(make.user("orga-b@example.org", roles=[(other.id, "organiser")]))
    assert client.get(page_url(charted.id, charted.uuid, "/chart.svg")).status_code == 403


def download(client, process_id, fmt, lang="de"):
    response = client.get(f"/organise/processes/{process_id}/goal-tree/export?format={fmt}&lang={lang}")
    assert response.status_code == 200
    return response.data


def test_the_council_report_has_a_picture_per_indicator_with_values(client, charted):
    document = docx.Document(io.BytesIO(download(client, charted.id, "docx")))
    pictures = [shape for shape in document.inline_shapes if shape._inline.docPr.get("title") == NAME]
    assert len(pictures) == 1  # the indicator without values has none
    picture = pictures[0]
    assert "2026-10-15: 4 Ortsteile" in picture._inline.docPr.get("descr")
    blob = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG")
    assert round(picture.width.cm) == 12
    assert not any(shape._inline.docPr.get("title") == "Besuche je Monat" for shape in document.inline_shapes)


def test_the_xlsx_export_has_a_native_chart_below_the_indicators_table(client, charted):
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, charted.id, "xlsx")))
    sheet = workbook["Indikatoren"]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "scatterChart" and len(chart.series) == 3  # values, baseline, target
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][2] == NAME  # the table stays first
    start = next(number for number, row in enumerate(rows) if row[0] == "Verlauf der Indikatoren")
    assert rows[start + 2][0] == f"{NAME} (Ortsteile)"
    assert rows[start + 3][:4] == ["Datum", "Messwert", "Ausgangswert", "Zielwert"]
    data = [row[:4] for row in rows[start + 4:start + 9]]
    assert [row[0].date() for row in data] == [date(2025, 1, 1), date(2025, 12, 31), date(2026, 3, 31),
                                               date(2026, 10, 15), date(2027, 12, 31)]
    assert [row[1] for row in data] == [None, 2, 3.5, 4, None]
    assert data[0][2] == 1 and data[-1][3] == 6
    assert sheet.cell(row=start + 5, column=1).number_format == "DD.MM.YYYY"


INDICATOR = {"uuid": "x", "name": {"de": "Aktive Patenschaften"}, "unit": "Anzahl",
             "baseline": {"value": 12, "date": None}, "target": {"value": 60, "date": "2030-12-31"},
             "values": [{"date": "2025-12-31", "value": 21.0}, {"date": "2026-09-30", "value": 29.0}]}


def test_the_chart_functions_for_other_reports(app):
    """What the evaluation report calls: one drawing as SVG and PNG, and a native chart with its cells."""
    with app.test_request_context():
        svg = indicator_svg(INDICATOR, "de")
        assert isinstance(svg, str) and "<title" in svg and "Aktive Patenschaften" in svg
        assert indicator_png(INDICATOR, "de").startswith(b"\x89PNG")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        used = add_indicator_chart(sheet, INDICATOR, "C5", "de")
    assert sheet["C5"].value == "Aktive Patenschaften (Anzahl)"
    assert [sheet.cell(row=r, column=5).value for r in (7, 8, 9)] == [12, 12, 12]  # no date: a level line
    assert sheet["F9"].value == 60 and sheet["D7"].value == 21
    assert len(sheet._charts) == 1 and used == 2 + 3 + 16
    assert sheet._charts[0].anchor == "C10"  # right below the cells, in their column
