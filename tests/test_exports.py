"""Goal-tree downloads: who may fetch them, and every format read back by an independent reader."""
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import docx
import openpyxl
import pytest
from flask_babel import force_locale, gettext

from app.exports import FORMATS, WRITERS
from app.extensions import db
from app.models import GoalNode, Process
from app.services.goals import goaltree, snapshots
from tests.exports_helpers import (ARABIC, ARABIC_GOAL, EMOJI, FORMULA, IDEAS, NUMBERS, UMLAUTS, all_text,
                                   build_tree, docx_texts, read_csv, read_xlsx)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def tree(app, make, login):
    """The test tree, and its organiser logged in."""
    process = make.process("Wie leben wir 2030 zusammen? Größe zählt")
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    return build_tree(app, process.id)


def download(client, process_id, fmt, lang="de", **params):
    response = client.get(f"/organise/processes/{process_id}/goal-tree/export",
                          query_string={"format": fmt, "lang": lang, **params})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def in_language(app, language, message):
    with app.test_request_context(), force_locale(language):
        return gettext(message)


def test_formats_are_offered_in_order_with_labels(app):
    assert [key for key, _label in FORMATS] == ["xlsx", "docx", "svg", "csv", "md", "opml", "mm", "json"]
    assert set(WRITERS) == {key for key, _label in FORMATS}
    with app.test_request_context():
        assert all(str(label) for _key, label in FORMATS)


def test_only_steering_and_organisers_of_the_process_download(app, client, make, login):
    process, other = make.process(), make.process("Anderer Prozess")
    url = f"/organise/processes/{process.id}/goal-tree/export?format=csv&lang=de"
    assert client.get(url).status_code == 302  # to the login
    event = make.event(process.id)
    phone = app.test_client()  # a participant of the process's event: no staff login
    joined = phone.post(f"/j/{event.code}/1", data={"interface_language": "de", "writing_language": "de"})
    assert joined.status_code in (302, 303)
    assert phone.get(url).status_code == 302
    assert phone.get(f"/organise/events/{event.id}/results?format=csv").status_code == 302
    for email, role_in, role, status in [("fremd@example.org", other, "organiser", 403),
                                         ("moderation@example.org", process, "moderator", 403),
                                         ("lenkung@example.org", process, "steering", 200)]:
        client.post("/auth/logout")
        login(make.user(email, roles=[(role_in.id, role)]))
        assert client.get(url).status_code == status, email
    assert client.get(f"/organise/processes/{other.id}/goal-tree/export?format=csv").status_code == 403
    assert client.get("/organise/processes/99999/goal-tree/export?format=csv").status_code == 404


def test_bad_requests_are_refused_in_words(client, tree, make):
    base = f"/organise/processes/{tree.process_id}/goal-tree/export"
    for query, status in [({"format": "exe"}, 400), ({"format": "csv", "lang": "xx"}, 400), ({}, 400),
                          ({"format": "csv", "snapshot": "not-a-uuid"}, 404),
                          ({"format": "csv", "snapshot": "00000000-0000-0000-0000-000000000000"}, 404)]:
        response = client.get(base, query_string=query, headers={"Accept": "application/json"})
        assert response.status_code == status, query
        assert response.get_json()["error"]


def test_file_names_and_types(client, tree):
    for fmt, mimetype in [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                          ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                          ("csv", "text/csv"), ("svg", "image/svg+xml"), ("json", "application/json"),
                          ("mm", "application/x-freemind"), ("opml", "text/x-opml"), ("md", "text/markdown")]:
        response = download(client, tree.process_id, fmt, "ar")
        assert response.mimetype == mimetype
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert re.search(rf"zielbaum-wie-leben-wir-2030-zusammen-groesse-zaehlt-\d{{4}}-\d\d-\d\d(-ar)?\.{fmt}",
                         disposition), disposition
        assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("fmt", [key for key, _label in FORMATS])
def test_umlauts_arabic_and_emoji_survive_every_format(client, tree, fmt):
    text = all_text(fmt, download(client, tree.process_id, fmt).data)
    for expected in (UMLAUTS, ARABIC, EMOJI, "Wie leben wir 2030 zusammen? Größe zählt"):
        assert expected in text, (fmt, expected)
    arabic = all_text(fmt, download(client, tree.process_id, fmt, "ar").data)
    assert ARABIC_GOAL in arabic and ARABIC in arabic and EMOJI in arabic


def test_xlsx_has_typed_cells_frozen_headers_filters_and_three_sheets(app, client, tree):
    content = download(client, tree.process_id, "xlsx").data
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Zielbaum", "Indikatoren", "Messwerte", "Ideen"]
    nodes = workbook["Zielbaum"]
    assert nodes.freeze_panes == "A2" and nodes.auto_filter.ref == "A1:O10"
    assert nodes.column_dimensions["D"].width > nodes.column_dimensions["B"].width
    rows = read_xlsx(content)
    header, *body = rows["Zielbaum"]
    assert header[:4] == ["Nr.", "Ebene", "Art", "Titel"]
    assert [r[0] or "" for r in body] == NUMBERS
    assert [r[1] for r in body] == [1, 2, 3, 2, 3, 4, 4, 2, 2]
    goal = body[4]
    assert goal[2:4] == ["Ziel", UMLAUTS]
    assert goal[4] == "Zeile 1 mit Ümlaut\nZeile 2 🌍" and goal[5] == "Sprache und Bildung"
    assert goal[6] == "VHS, Integrationsrat"
    assert goal[7] == datetime(2026, 1, 1) and goal[8] == datetime(2028, 12, 31)
    assert goal[9] == "in Arbeit" and goal[10] == 1 and goal[11] == 50 and goal[12:14] == [1, 2]
    assert body[0][11] == 12.5 and body[5][9] == "erledigt" and body[6][3] == ARABIC
    # A title that looks like a formula stays text, exactly as typed.
    formula = nodes.cell(row=4, column=4)
    assert formula.value == FORMULA and formula.data_type == "s"

    header, indicator = rows["Indikatoren"][:2]  # below the table: the charts and their data
    assert indicator[:5] == ["2.1", UMLAUTS, "Kursplätze", "Plätze", 100]
    assert indicator[5] == datetime(2025, 1, 1) and indicator[6] == 200 and indicator[8] == 150
    assert indicator[9] == datetime(2026, 6, 1) and indicator[10] == 50 and indicator[11] == "VHS-Statistik"
    assert rows["Messwerte"][1][:4] == ["2.1", "Kursplätze", datetime(2026, 6, 1), 150]
    ideas = rows["Ideen"][1:]
    assert [(r[0], r[2]) for r in ideas] == [("2.1", IDEAS[0][0]), ("2.1", IDEAS[1][0]), ("2.1.1", IDEAS[2][0])]
    assert ideas[1][4] == "العربية" and not ideas[1][3] and ideas[0][6] == tree.ideas[0]

    arabic = openpyxl.load_workbook(io.BytesIO(download(client, tree.process_id, "xlsx", "ar").data))
    first = arabic.worksheets[0]
    assert first.sheet_view.rightToLeft
    assert first.cell(row=1, column=4).value == in_language(app, "ar", "Titel")
    assert first.cell(row=6, column=4).value == ARABIC_GOAL


def test_csv_numbers_nodes_and_keeps_formulas_out(client, tree):
    header, *rows = read_csv(download(client, tree.process_id, "csv").data, ";")
    assert header[0] == "Nr." and len(header) == 15
    assert [r[0] for r in rows] == NUMBERS
    assert rows[2][3] == "'" + FORMULA  # shown as text by spreadsheet programs
    assert rows[4][3] == UMLAUTS and rows[4][7] == "2026-01-01" and rows[0][11] == "12,5"
    header, *rows = read_csv(download(client, tree.process_id, "csv", "en").data, ",")
    assert rows[0][11] == "12.5" and rows[6][3] == ARABIC


def test_docx_report_has_title_page_numbered_headings_measure_tables_and_the_annex(client, tree):
    content = download(client, tree.process_id, "docx").data
    document = docx.Document(io.BytesIO(content))
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)  # A4, not US Letter
    assert (round(page.left_margin.cm, 1), round(page.right_margin.cm, 1)) == (2.5, 2.0)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "Wie leben wir 2030 zusammen? Größe zählt")
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Wie leben wir 2030 zusammen? Größe zählt")  # the Leitziel, unnumbered
    assert [text.split(" ")[0] for style, text in headings[1:len(NUMBERS)]] == NUMBERS[1:]
    assert ("Heading 3", f"2.1 {UMLAUTS}") in headings
    assert ("Heading 4", f"2.1.1 {EMOJI}") in headings
    assert ("Heading 1", "Anhang: Ideen der Bürgerinnen und Bürger") in headings
    assert ("Heading 2", "Sprache und Bildung (3 Ideen)") in headings
    texts = docx_texts(content)
    assert "Zeile 1 mit Ümlaut" in texts and "Verantwortlich: VHS, Integrationsrat" in texts
    measure = next(t for t in document.tables if t.rows[0].cells[1].text == "Stadtbibliothek")
    assert [row.cells[0].text for row in measure.rows] == [
        "Verantwortlich", "Zeitraum", "Status", "Fortschritt", "Indikatoren"]
    assert measure.rows[2].cells[1].text == "erledigt"
    indicators = next(t for t in document.tables if t.rows[0].cells[0].text == "Indikator")
    assert [c.text for c in indicators.rows[1].cells] == ["Kursplätze (Plätze)", "100", "150", "200", "50"]
    annex = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert annex == [IDEAS[0][0], IDEAS[1][0] + " (العربية)", IDEAS[2][0]]
    # Arabic text runs right to left.
    arabic = next(p for p in document.paragraphs if p.text.startswith("2.1.2"))
    assert arabic._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None


def test_markdown_is_a_nested_list(client, tree):
    lines = download(client, tree.process_id, "md").data.decode().splitlines()
    assert lines[0] == "# Zielbaum: Wie leben wir 2030 zusammen? Größe zählt"
    assert any(line.startswith("- Wie leben wir 2030 zusammen? Größe zählt — *Leitziel") for line in lines)
    items = [line for line in lines if line.lstrip().startswith("- **")]
    assert [re.match(r"( *)- \*\*([\d.]+)\*\*", line).groups() for line in items] == [
        (" " * (2 * number.count(".") + 2), number) for number in NUMBERS[1:]]
    assert f"    - **2.1** {UMLAUTS} — *Ziel · in Arbeit · 50\u00a0%*" in lines
    assert "\\=HYPERLINK" not in "\n".join(lines) and r"\"" not in "\n".join(lines)


def outline_tree(element, child_tag, text_attribute, number_of):
    """(number, text) of every node below `element`, depth first."""
    found = []
    for child in element.findall(child_tag):
        found.append((number_of(child), child.get(text_attribute)))
        found += outline_tree(child, child_tag, text_attribute, number_of)
    return found


def test_opml_outlines_follow_the_tree(client, tree):
    root = ET.fromstring(download(client, tree.process_id, "opml").data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text == "Zielbaum: Wie leben wir 2030 zusammen? Größe zählt"
    found = outline_tree(root.find("body"), "outline", "text", lambda e: e.get("number"))
    assert [number for number, _text in found] == NUMBERS
    assert dict(found)["2.1"] == UMLAUTS and dict(found)["2.1.2"] == ARABIC
    goal = root.find("body/outline/outline[2]/outline")
    assert goal.get("status") == "in_progress" and goal.get("progress") == "0.5"
    assert goal.get("_note").startswith("Zeile 1 mit Ümlaut\nZeile 2 🌍\n")


def test_freemind_map_has_nodes_attributes_and_notes(client, tree):
    content = download(client, tree.process_id, "mm").data
    assert content.startswith(b'<map version="1.0.1">')  # as FreeMind 1.0.1 writes it
    content.decode("ascii")  # everything else as character references, as FreeMind writes
    root = ET.fromstring(content)
    assert root.tag == "map" and root.get("version") == "1.0.1"

    def number_of(node):
        return next(a.get("VALUE") for a in node.findall("attribute") if a.get("NAME") == "Nr.")

    found = outline_tree(root, "node", "TEXT", number_of)
    assert [number for number, _text in found] == NUMBERS
    assert dict(found)["2.1.1"] == EMOJI
    fields = root.findall("node/node")
    assert [f.get("POSITION") for f in fields] == ["right", "right", "left", "left"]
    goal = fields[1].find("node")
    attributes = {a.get("NAME"): a.get("VALUE") for a in goal.findall("attribute")}
    assert attributes["Status"] == "in Arbeit" and attributes["Fortschritt"] == "50\u00a0%"
    assert [p.text for p in goal.findall("richcontent/html/body/p")] == ["Zeile 1 mit Ümlaut", "Zeile 2 🌍"]
    assert len({n.get("ID") for n in root.iter("node")}) == len(NUMBERS)


def svg_pages(content):
    root = ET.fromstring(content)
    assert root.get("width") == "420mm"
    height = float(root.get("height").removesuffix("mm"))
    assert root.get("viewBox") == f"0 0 420 {height:g}"
    pages = root.findall(f"{SVG}g[@class='page']")
    assert height == 297 * len(pages)
    return root, pages


def test_svg_pages_are_a3_landscape_with_readable_text(client, tree):
    root, pages = svg_pages(download(client, tree.process_id, "svg").data)
    assert len(pages) == 1  # a small tree fits on one sheet
    texts = list(root.iter(f"{SVG}text"))
    assert min(float(t.get("font-size")) for t in texts) >= 9 * 25.4 / 72 - 1e-9  # 9 pt in millimetres
    numbers = [t.text.split(" · ")[0] for t in texts if t.text and " · " in t.text and t.text[0].isdigit()]
    assert numbers == NUMBERS[1:]  # every node below the Leitziel, each action field with its subtree
    page = " ".join(t.text for t in texts)
    assert UMLAUTS in page and EMOJI in page
    assert FORMULA in page.replace(" ", "")  # one long word, cut to fit its box
    arabic = next(t for t in texts if t.text == ARABIC)
    assert arabic.get("direction") == "rtl"
    german = next(t for t in texts if t.text == EMOJI)
    assert german.get("direction") is None

    # In Arabic the drawing runs from the right: the heading's anchor moves to the right edge.
    root, pages = svg_pages(download(client, tree.process_id, "svg", "ar").data)
    heading = next(pages[0].iter(f"{SVG}text"))
    assert "Wie leben wir 2030 zusammen? Größe zählt" in heading.text and float(heading.get("x")) > 400
    assert next(t for t in root.iter(f"{SVG}text") if t.text == ARABIC_GOAL).get("direction") == "rtl"


def test_json_is_the_tree_document(app, client, tree):
    document = json.loads(download(client, tree.process_id, "json").data)
    with app.app_context():
        expected = snapshots.tree_document(db.session.get(Process, tree.process_id))
    document.pop("generated_at"), expected.pop("generated_at")
    assert document == expected


def test_a_snapshot_exports_as_it_was(app, client, tree):
    with app.app_context():
        process = db.session.get(Process, tree.process_id)
        snapshot = snapshots.freeze(process, "Ratssitzung 2026")
        snapshot_uuid = str(snapshot.uuid)
        goaltree.update_node(goaltree.node_of_process(process, tree.goal), title="Später umbenannt")
        db.session.commit()
    frozen = read_xlsx(download(client, tree.process_id, "xlsx", snapshot=snapshot_uuid).data)
    today = read_xlsx(download(client, tree.process_id, "xlsx").data)
    assert frozen["Zielbaum"][5][3] == UMLAUTS and today["Zielbaum"][5][3] == "Später umbenannt"


def test_an_empty_tree_exports_in_every_format(client, make, login):
    process = make.process("Leerer Prozess")
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    for fmt, _label in FORMATS:
        content = download(client, process.id, fmt, "ar").data
        assert content
    assert read_xlsx(download(client, process.id, "xlsx").data)["Zielbaum"] == [[
        "Nr.", "Ebene", "Art", "Titel", "Beschreibung", "Handlungsfeld", "Verantwortlich", "Beginn", "Ende",
        "Status", "Gewicht", "Fortschritt (%)", "Indikatoren", "Ideen", "UUID"]]
    assert len(read_csv(download(client, process.id, "csv").data, ";")) == 1
    assert "Der Zielbaum ist noch leer." in docx_texts(download(client, process.id, "docx").data)
    assert len(svg_pages(download(client, process.id, "svg").data)[1]) == 1
    assert ET.fromstring(download(client, process.id, "opml").data).find("body/outline") is None


def test_a_tree_of_500_nodes_exports_in_every_format(app, client, make, login):
    process = make.process()
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        fields = list(root.children)
        for n in range(99):
            goal = goaltree.add_node(fields[n % 4], "ziel", f"Ziel {n}: mehr Begegnung, Sprache und Arbeit für alle")
            for m in range(4):
                goaltree.add_node(goal, "massnahme", f"Maßnahme {n}.{m}", responsible=["Stadt"], status="in_progress")
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(GoalNode.id))) == 500
    rows = read_xlsx(download(client, process.id, "xlsx").data)["Zielbaum"]
    assert len(rows) == 501 and rows[-1][0] == "4.24.4"
    assert len(read_csv(download(client, process.id, "csv", "en").data, ",")) == 501
    texts = docx_texts(download(client, process.id, "docx").data)
    assert sum(1 for t in texts if re.fullmatch(r"\d\.\d+\.\d Maßnahme \d+\.\d", t)) == 99 * 4
    root, pages = svg_pages(download(client, process.id, "svg").data)
    assert len(pages) > 5  # the first page with the goals that fit, then pages per action field
    assert any((t.text or "").startswith("… und ") for t in pages[0].iter(f"{SVG}text"))
    numbers = [t.text.split(" · ")[0] for page in pages[1:] for t in page.iter(f"{SVG}text")
               if t.text and " · " in t.text and t.text[0].isdigit()]
    assert len(numbers) == 500 - 5 and numbers[0] == "1.1" and numbers[-1] == "4.24.4"
    outline = ET.fromstring(download(client, process.id, "opml").data)
    assert len(outline.findall(".//outline")) == 500
    assert len(ET.fromstring(download(client, process.id, "mm").data).findall(".//node")) == 500


def test_control_characters_do_not_break_the_xml_formats(app, client, make, login):
    process = make.process("Steuerzeichen")
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        goaltree.add_node(root.children[0], "massnahme", "Glocke\x07 und Escape\x1b", description="Zeile\x01",
                          responsible=["Amt\x02"])
        db.session.commit()
    for fmt, _label in FORMATS:
        text = all_text(fmt, download(client, process.id, fmt).data)
        assert "Glocke" in text and "\x07" not in text.replace("\\u0007", "")
