"""An event's results as XLSX and CSV; and, where LibreOffice is installed, that it opens the
workbook and the report."""
import io
import re
import secrets
import shutil
import subprocess
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import event as sa_event

from app.exports.results import rows
from app.extensions import db
from app.models import Contribution, ContributionTranslation, Event, Participant, Vote
from app.models.base import utcnow
from tests.exports_helpers import ARABIC, EMOJI, UMLAUTS, build_tree, read_csv


@pytest.fixture
def results(app, make, login):
    """An event with ideas at two tables in two rounds, dots, a translation, a hidden idea and one
    captured by a host; and another event whose ideas must not show."""
    event = make.event(tables=2, rounds=2, languages=("de", "ar"))
    other = make.event(event.process_id)
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    with app.app_context():
        field = db.session.get(Event, event.id).process.action_fields[1]
        ideas = [
            Contribution(event_id=event.id, table_id=event.table_ids[0], round_id=event.round_ids[0], text=UMLAUTS),
            Contribution(event_id=event.id, table_id=event.table_ids[1], round_id=event.round_ids[1], text=ARABIC,
                         language="ar", action_field_id=field.id, status="clustered"),
            Contribution(event_id=event.id, table_id=event.table_ids[1], round_id=event.round_ids[0], text=EMOJI,
                         origin="host"),
            Contribution(event_id=event.id, text="=1+2", hidden_at=utcnow(), hidden_reason="Test"),
            Contribution(event_id=other.id, text="Von einer anderen Veranstaltung"),
        ]
        db.session.add_all(ideas)
        db.session.flush()
        db.session.add(ContributionTranslation(contribution_id=ideas[1].id, language="de",
                                               text="Deutsch lernen"))
        people = [Participant(event_id=event.id, token=secrets.token_hex(16)) for _ in range(3)]
        db.session.add_all(people)
        db.session.flush()
        for person in people:
            db.session.add(Vote(participant_id=person.id, contribution_id=ideas[1].id))
        db.session.add(Vote(participant_id=people[0].id, contribution_id=ideas[2].id))
        db.session.commit()
    return event


def test_results_as_xlsx_one_row_per_idea_most_dots_first(client, results):
    response = client.get(f"/organise/events/{results.id}/results?format=xlsx&lang=de")
    assert response.status_code == 200
    assert re.search(rf'filename=ergebnisse-buergerforum-{results.code.lower()}-\d{{4}}-\d\d-\d\d-de\.xlsx',
                     response.headers["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Ergebnisse"]
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == ["Nr.", "Idee", "Sprache", "Übersetzung", "Sprache der Übersetzung", "Tisch", "Runde",
                      "Handlungsfeld", "Stimmen", "Status", "Herkunft", "Eingegangen am", "UUID"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M5"
    assert [r[1] for r in body] == [ARABIC, EMOJI, UMLAUTS, "=1+2"]
    arabic, emoji, umlauts, hidden = body
    assert arabic[2:10] == ["العربية", "Deutsch lernen", "Deutsch", 2, 2, "Sprache und Bildung", 3,
                            "Einem Handlungsfeld zugeordnet"]
    assert emoji[5:7] == [2, 1] and emoji[8] == 1 and emoji[10] == "von der Tischdecke" and umlauts[10] == "vom Telefon"
    assert umlauts[3] is None and umlauts[9] == "Eingegangen" and isinstance(umlauts[11], datetime)
    assert hidden[9] == "ausgeblendet" and hidden[5] is None and hidden[8] == 0
    assert sheet.cell(row=5, column=2).data_type == "s"  # "=1+2" stays text


def test_results_as_csv_in_arabic(app, client, results):
    response = client.get(f"/organise/events/{results.id}/results?format=csv&lang=ar")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *body = read_csv(response.data, ",")
    assert len(body) == 4 and body[0][1] == ARABIC and body[0][8] == "3"
    assert body[3][1] == "'=1+2"
    assert "Von einer anderen Veranstaltung" not in response.data.decode("utf-8-sig")


def test_results_need_the_steering_role_and_few_queries(app, client, make, login, results):
    assert client.get(f"/organise/events/{results.id}/results?format=pdf").status_code == 400
    client.post("/auth/logout")
    login(make.user("moderation@example.org", roles=[(results.process_id, "moderator")]))
    assert client.get(f"/organise/events/{results.id}/results?format=csv").status_code == 403
    with app.app_context(), app.test_request_context():
        event = db.session.get(Event, results.id)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert len(rows(event, "de")) == 4
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) <= 2  # the ideas with their tables, rounds, fields and dots; translations


@pytest.mark.timeout(240)
def test_libreoffice_opens_the_workbook_and_the_report(app, client, make, login, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the XLSX and DOCX were not converted to PDF")
    process = make.process()
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    build_tree(app, process.id)
    files = []
    for fmt in ("xlsx", "docx"):
        for language in ("de", "ar"):
            path = tmp_path / f"baum-{language}.{fmt}"
            response = client.get(f"/organise/processes/{process.id}/goal-tree/export",
                                  query_string={"format": fmt, "lang": language})
            path.write_bytes(response.data)
            files.append(path)
    out = tmp_path / "pdf"
    for group in (files[:2], files[2:]):  # same stem, so one conversion per format
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out / group[0].suffix[1:]), *map(str, group)],
                       check=True, capture_output=True, timeout=200)
    for path in files:
        pdf = out / path.suffix[1:] / f"{path.stem}.pdf"
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), path.name


def test_the_event_page_links_both_result_files(client, results):
    page = client.get(f"/organise/events/{results.id}").get_data(as_text=True)
    links = re.findall(r'href="([^"]*/results\?format=(?:xlsx|csv))"', page)
    assert len(links) == 2
    assert all(client.get(link).status_code == 200 for link in links)
