"""A goal tree with umlauts, Arabic, emoji and a formula-like title, and readers that pull every
text back out of each export format with an independent library."""
import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import docx
import openpyxl

from app.extensions import db
from app.models import Contribution, Process
from app.services.cafe import events
from app.services.goals import goaltree, indicators

UMLAUTS = "Größere Übungsräume für Schüler – ä ö ü ß"
ARABIC = "تعلم اللغة الألمانية"
ARABIC_GOAL = "غرف تدريب أكبر للطلاب"
EMOJI = "Begegnung im Park 🌍"
FORMULA = '=HYPERLINK("http://example.org","klick")'
IDEAS = [("Mehr Sprachcafés, bitte! 😊", "de"), ("أريد أن أتعلم الألمانية مع جيراني", "ar"),
         ("Kostenlose Kurse für Mütter", "de")]
NUMBERS = ["", "1", "1.1", "2", "2.1", "2.1.1", "2.1.2", "3", "4"]  # the Leitziel has no number


def build_tree(app, process_id):
    """The test tree in process `process_id`; plain values about it."""
    with app.app_context():
        process = db.session.get(Process, process_id)
        root = goaltree.ensure_tree(process)
        event = events.create_event(process, "Bürgerforum", table_count=2, questions=[{"de": "Frage"}],
                                    languages=["de", "ar"])
        ideas = [Contribution(event_id=event.id, text=text, language=language) for text, language in IDEAS]
        db.session.add_all(ideas)
        db.session.flush()
        formula_goal = goaltree.add_node(root.children[0], "ziel", FORMULA)
        goal = goaltree.node_from_ideas(
            root.children[1], ideas[:2], {"de": UMLAUTS, "ar": ARABIC_GOAL},
            description={"de": "Zeile 1 mit Ümlaut\nZeile 2 🌍"}, responsible=["VHS", "Integrationsrat"],
            starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31), status="in_progress")
        indicator = indicators.add_indicator(goal, "Kursplätze", unit="Plätze", baseline_value=100,
                                           baseline_on=date(2025, 1, 1), target_value=200,
                                           target_on=date(2030, 1, 1), data_source="VHS-Statistik")
        indicators.record_value(indicator, date(2026, 6, 1), 150)
        measure = goaltree.add_node(goal, "massnahme", EMOJI, responsible=["Stadtbibliothek"],
                                    starts_on=date(2026, 3, 1), status="done")
        goaltree.link_ideas(measure, ideas[2:])
        sub = goaltree.add_node(goal, "teilziel", {"de": ARABIC})
        db.session.commit()
        return SimpleNamespace(process_id=process_id, event_id=event.id, goal=str(goal.uuid),
                               measure=str(measure.uuid), sub=str(sub.uuid), formula=str(formula_goal.uuid),
                               indicator=str(indicator.uuid), ideas=[str(i.uuid) for i in ideas])


def read_xlsx(content: bytes) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def read_csv(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a byte order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def docx_texts(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def xml_texts(content: bytes) -> list[str]:
    root = ET.fromstring(content)
    texts = []
    for element in root.iter():
        texts += [element.text or ""] + list(element.attrib.values())
    return texts


def all_text(fmt: str, content: bytes) -> str:
    """Every text of an export, read back by a reader that is not ours."""
    if fmt == "xlsx":
        return "\n".join(str(v) for rows in read_xlsx(content).values() for row in rows for v in row if v is not None)
    if fmt == "docx":
        return "\n".join(docx_texts(content))
    if fmt in ("opml", "mm"):
        return "\n".join(xml_texts(content))
    if fmt == "svg":  # wrapped lines follow each other: joined with spaces they give the title again
        root = ET.fromstring(content)
        return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    return content.decode("utf-8-sig")
