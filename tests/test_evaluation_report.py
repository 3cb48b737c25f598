"""The evaluation report through HTTP, on the demo with its steering data: two snapshots compared as
DOCX and XLSX, with what changed, the decisions dated between the two and a chart per indicator."""
import io
import re
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import docx
import openpyxl
import pytest

from app.extensions import db
from app.models import Comment, Decision, Process, Snapshot
from app.services.administration import demo, demo_steering
from app.services.goals import decisions
from tests.conftest import PASSWORD

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_of(app, email):
    client = app.test_client()
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def demo_world(app, make):
    """The demo with its steering data, a decision before and one after the compared period; an
    organiser and a steering member of it."""
    with app.app_context():
        process = demo.seed_demo("").process
        demo_steering.seed(process)
        decisions.add_decision(process, date(2025, 6, 1), "", "Vor dem Zeitraum beschlossen.", [])
        decisions.add_decision(process, date.today() + timedelta(days=30), "", "Nach dem Zeitraum beschlossen.", [])
        by_name = {s.name: s for s in db.session.scalars(db.select(Snapshot).filter_by(process_id=process.id))}
        old, new = by_name[demo_steering.EARLIER_NAME], by_name["Evaluation 2026"]
        drawn = [i for i in _indicators(new.document) if i["values"]]
        db.session.commit()
        world = SimpleNamespace(process_id=process.id, old=str(old.uuid), new=str(new.uuid), drawn=len(drawn),
                                names=[i["name"]["de"] for i in drawn])
    make.user("orga@example.org", roles=[(world.process_id, "organiser")])
    make.user("steuerung@example.org", roles=[(world.process_id, "steering")])
    world.base = f"/organise/processes/{world.process_id}/goal-tree"
    world.report = f"{world.base}/compare/report?old={world.old}&new={world.new}"
    return world


def _indicators(document):
    todo, found = list(document["nodes"]), []
    while todo:
        node = todo.pop(0)
        found.extend(node["indicators"])
        todo[:0] = node["children"]
    return found


def texts_of(document) -> str:
    texts = [p.text for p in document.paragraphs]
    texts += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(texts)


def test_the_compare_page_offers_the_report(app, demo_world):
    page = client_of(app, "steuerung@example.org").get(
        f"{demo_world.base}/compare?old={demo_world.old}&new={demo_world.new}").get_data(as_text=True)
    assert f'action="{demo_world.base}/compare/report"' in page
    assert f'name="old" value="{demo_world.old}"' in page and f'name="new" value="{demo_world.new}"' in page
    assert 'value="docx"' in page and 'value="xlsx"' in page


def test_the_docx_has_the_changes_the_decisions_between_and_a_chart_per_indicator(app, demo_world):
    response = client_of(app, "steuerung@example.org").get(demo_world.report + "&fmt=docx&lang=de")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert re.search(r"filename=evaluation-wie-leben-wir-2030-zusammen-2025-12-31-\d{4}-\d\d-\d\d-de\.docx",
                     response.headers["Content-Disposition"])
    document = docx.Document(io.BytesIO(response.data))
    text = texts_of(document)
    assert "Evaluationsbericht" in text and "Ausgangslage 2025" in text and "Evaluation 2026" in text
    rows = text.splitlines()
    # A measure done since, one dropped since, one new since.
    assert any("Deutschkurse mit Kinderbetreuung" in row and "in Arbeit | erledigt" in row for row in rows)
    assert any("Eigene Willkommens-App" in row and "verworfen" in row for row in rows)
    assert any("Fortbildung und Dankeschön-Abend für Ehrenamtliche" in row and "| neu |" in row for row in rows)
    # Indicators before and after with the change: the measured values of 2026 came after the earlier state.
    [row] = [row for row in rows if "Ortsteile mit wöchentlichem Sprachcafé" in row and "|" in row]
    assert row.endswith("2 | 3 | +1")
    # The decisions dated between the two states, and not the others.
    assert "Maßnahme „Deutschkurse mit Kinderbetreuung“ beschlossen" in text
    assert "Die eigene Willkommens-App wird nicht weiterverfolgt" in text
    assert "Vor dem Zeitraum beschlossen." not in text and "Nach dem Zeitraum beschlossen." not in text
    # One PNG per indicator with values, named by the indicator.
    shapes = document.inline_shapes
    assert len(shapes) == demo_world.drawn >= 5
    assert all(shape._inline.graphic.graphicData.pic.blipFill is not None for shape in shapes)
    titles = [shape._inline.docPr.get("title") for shape in shapes]
    assert titles == demo_world.names
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert images and all(part.blob.startswith(b"\x89PNG") for part in images)


def test_the_xlsx_has_the_comparison_the_decisions_and_native_charts(app, demo_world):
    response = client_of(app, "orga@example.org").get(demo_world.report + "&fmt=xlsx&lang=de")
    assert response.status_code == 200 and response.mimetype == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[:3] == ["Vergleich", "Indikatoren", "Beschlüsse"]
    comparison = [list(row) for row in workbook["Vergleich"].iter_rows(values_only=True)]
    assert comparison[0][:4] == ["Nr.", "Knoten", "Art", "Veränderung"]
    changes = {row[1]: row for row in comparison[1:]}
    assert list(changes["Deutschkurse mit Kinderbetreuung"][3:6]) == ["verändert", "in Arbeit", "erledigt"]
    assert changes["Fortbildung und Dankeschön-Abend für Ehrenamtliche"][3] == "neu"
    assert changes["Eigene Willkommens-App"][3] == "verworfen"
    indicators = [list(row) for row in workbook["Indikatoren"].iter_rows(values_only=True)]
    assert "Wert: Ausgangslage 2025" in indicators[0] and "Wert: Evaluation 2026" in indicators[0]
    [sprachcafe] = [row for row in indicators if row[2] == "Ortsteile mit wöchentlichem Sprachcafé"]
    assert sprachcafe[-3:] == [2, 3, 1]
    decided = [row[2] for row in workbook["Beschlüsse"].iter_rows(min_row=2, values_only=True)]
    assert len(decided) == 2 and decided[0].startswith("Maßnahme „Deutschkurse")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        charts = [name for name in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", name)]
    assert len(charts) == demo_world.drawn


def test_a_snapshot_against_today_and_in_arabic(app, demo_world):
    client = client_of(app, "orga@example.org")
    response = client.get(f"{demo_world.base}/compare/report?old={demo_world.new}&new=today&fmt=docx&lang=ar")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    assert document.paragraphs[0]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
    # Values measured since the evaluation snapshot: today differs from it.
    assert "+" in texts_of(document)


def test_bad_requests_get_clear_answers(app, demo_world, make):
    client = client_of(app, "orga@example.org")
    response = client.get(demo_world.report + "&fmt=pdf")
    assert response.status_code == 400 and "DOCX oder XLSX" in response.get_data(as_text=True)
    assert client.get(demo_world.report + "&fmt=docx&lang=xx").status_code == 400
    assert client.get(f"{demo_world.base}/compare/report?old=kein-stand&fmt=docx").status_code == 404
    other = make.process("Anderer Prozess")
    make.user("orga-b@example.org", roles=[(other.id, "organiser")])
    stranger = client_of(app, "orga-b@example.org")
    assert stranger.get(demo_world.report + "&fmt=docx").status_code == 403
    response = stranger.get(f"/organise/processes/{other.id}/goal-tree/compare/report?old={demo_world.old}&fmt=docx")
    assert response.status_code == 404


def test_the_demo_seed_is_idempotent(app, demo_world):
    with app.app_context():
        process = db.session.get(Process, demo_world.process_id)

        def counts():
            return tuple(db.session.scalar(db.select(db.func.count(model.id)).filter_by(process_id=process.id))
                         for model in (Snapshot, Decision, Comment))

        before = counts()
        demo_steering.seed(process)
        assert counts() == before and before[:2] == (2, 4)  # two snapshots; the demo's two decisions and the test's
        concern = db.session.scalar(db.select(Comment).filter_by(process_id=process.id, text=demo_steering.NODE_CONCERN[1]))
        assert concern.user.email == demo_steering.STEERING_EMAIL and concern.node is not None
        assert [answer.user.email for answer in concern.answers] == [demo.DEMO_EMAIL]
