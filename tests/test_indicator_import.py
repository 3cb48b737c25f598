"""Indicator values imported from CSV or XLSX through the organiser's pages: a preview of every row,
a message per bad row, nothing stored before the confirmation, and then all rows or none."""
import io
import re
import uuid
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from app.extensions import db
from app.models import AuditEntry, GoalNode, Indicator, IndicatorValue, Process
from app.services.administration import demo_goaltree, demo_monitoring
from app.services.goals import goaltree, indicators

SIGNED = re.compile(r'name="rows" type="hidden" value="([^"]+)"')


@pytest.fixture
def monitored(app, make, login):
    """A process with two indicators (one with a stored value) and its organiser logged in."""
    process = make.process()
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        goal = goaltree.add_node(root.children[0], "ziel", "Sprachcafés in allen Ortsteilen")
        cafes = indicators.add_indicator(goal, "Ortsteile mit Sprachcafé", unit="Ortsteile", baseline_value=1,
                                         baseline_on=date(2025, 1, 1), target_value=6, target_on=date(2027, 12, 31))
        share = indicators.add_indicator(goal, "Anteil belegter Kursplätze", unit="%")
        indicators.record_value(cafes, date(2026, 3, 31), 3)
        db.session.commit()
        return SimpleNamespace(id=process.id, cafes=str(cafes.uuid), share=str(share.uuid))


def url(process_id, rest=""):
    return f"/organise/processes/{process_id}/goal-tree/indicators/import{rest}"


def upload(client, process_id, content: bytes, filename="werte.csv"):
    return client.post(url(process_id), data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def stored(app) -> list[tuple[str, date, float]]:
    with app.app_context():
        return sorted((indicator.name["de"], value.measured_on, value.value) for value, indicator in db.session.execute(
            db.select(IndicatorValue, Indicator).join(Indicator)))


def signed_rows(page: str) -> str:
    match = SIGNED.search(page)
    assert match, "no confirmation form on the page"
    return match.group(1)


def confirm(client, process_id, rows: str):
    return client.post(url(process_id, "/confirm"), data={"rows": rows})


def test_a_csv_file_is_previewed_then_stored_on_confirmation(app, client, monitored):
    before = stored(app)
    content = ("\ufeffIndikator;Datum;Wert;Notiz\n"
               "Ortsteile mit Sprachcafé;30.06.2026;4;neu: Westende\n"
               f"{monitored.share};2026-11-30;87,5;\n"
               "  ortsteile   MIT sprachcafé ;31.03.2026;3;schon gespeichert\n").encode("utf-8")
    response = upload(client, monitored.id, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 neue Werte werden gespeichert, wenn Sie bestätigen." in page
    assert "Eine Zeile ist schon gespeichert (gleicher Tag, gleicher Wert) und wird übersprungen." in page
    assert '<tr id="row-2">' in page and "30.06.2026" in page and "87,5" in page
    assert "schon gespeichert, wird übersprungen" in page
    assert "neu: Westende" not in page  # the note is read over
    assert stored(app) == before  # nothing stored by the preview

    response = confirm(client, monitored.id, signed_rows(page))
    assert response.status_code == 303
    assert "2 Messwerte sind gespeichert." in client.get(response.location).get_data(as_text=True)
    assert stored(app) == sorted(before + [("Ortsteile mit Sprachcafé", date(2026, 6, 30), 4.0),
                                           ("Anteil belegter Kursplätze", date(2026, 11, 30), 87.5)])
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="indicator.import"))
        assert entry.process_id == monitored.id and entry.detail == {"count": 2} and entry.subject == "werte.csv"
    # Sent twice (the back button), the same rows are all stored already: nothing more is stored.
    again = confirm(client, monitored.id, signed_rows(page))
    assert again.status_code == 400 and "keine neuen Werte" in again.get_data(as_text=True)
    assert len(stored(app)) == len(before) + 2


def test_commas_without_a_header_and_numbers_as_spreadsheets_write_them(app, client, monitored):
    content = ('Ortsteile mit Sprachcafé,2026-07-31,5\n'
               f'{monitored.share},1.8.2026,"1.234,5"\n'
               f'{monitored.share},2026-09-01T00:00:00,"1,234.5"\n'
               f'{monitored.share},02.09.2026,−2\n').encode("utf-8")
    page = upload(client, monitored.id, content).get_data(as_text=True)
    assert "4 neue Werte" in page
    assert confirm(client, monitored.id, signed_rows(page)).status_code == 303
    values = [row for row in stored(app) if row[0] == "Anteil belegter Kursplätze"]
    assert values == [("Anteil belegter Kursplätze", date(2026, 8, 1), 1234.5),
                      ("Anteil belegter Kursplätze", date(2026, 9, 1), 1234.5),
                      ("Anteil belegter Kursplätze", date(2026, 9, 2), -2.0)]


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_with_date_and_number_cells(app, client, monitored):
    content = xlsx([["Wert", "Datum", "Indikator", "Bemerkung"],  # columns in any order, by the header
                    [5, datetime(2026, 10, 31), "Ortsteile mit Sprachcafé", "Herbst"],
                    [None, None, None, None],  # an empty row is no row
                    ["12,5", "15.11.2026", monitored.share, None]])
    response = upload(client, monitored.id, content, "monitoring.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 neue Werte" in page
    assert '<tr id="row-2">' in page and '<tr id="row-4">' in page  # rows numbered as in the sheet
    assert confirm(client, monitored.id, signed_rows(page)).status_code == 303
    assert ("Ortsteile mit Sprachcafé", date(2026, 10, 31), 5.0) in stored(app)
    assert ("Anteil belegter Kursplätze", date(2026, 11, 15), 12.5) in stored(app)


def test_each_bad_row_says_why_and_nothing_can_be_stored(app, client, monitored):
    before = stored(app)
    content = ("Indikator;Datum;Wert\n"
               "Ortsteile mit Sprachcafé;30.06.2026;4\n"  # fine, but the file has bad rows
               "Radwege;30.06.2026;4\n"
               "Ortsteile mit Sprachcafé;31.02.2026;4\n"
               "Ortsteile mit Sprachcafé;30.07.2026;zwölf\n"
               "Ortsteile mit Sprachcafé;30.06.2026;5\n"
               "Ortsteile mit Sprachcafé;31.03.2026;2\n"
               ";30.08.2026;\n").encode("utf-8")
    response = upload(client, monitored.id, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "6 Zeilen sind fehlerhaft." in page and "Es wird nichts gespeichert" in page
    assert "Unbekannter Indikator „Radwege“" in page
    assert "Ungültiges Datum „31.02.2026“: erwartet wird TT.MM.JJJJ oder JJJJ-MM-TT." in page
    assert "Ungültige Zahl „zwölf“: erwartet wird zum Beispiel 12,5 oder 12.5." in page
    assert "Doppelt in der Datei: Zeile 2 hat schon einen Wert für diesen Indikator an diesem Tag." in page
    assert "An diesem Tag ist schon ein anderer Wert gespeichert (3). Der Import ersetzt keine Werte" in page
    assert "Der Indikator fehlt." in page and "Der Wert fehlt." in page
    assert not SIGNED.search(page)  # no confirmation while a row is bad
    assert stored(app) == before


def test_two_indicators_of_one_name_need_the_uuid(app, client, monitored):
    with app.app_context():
        node = db.session.scalar(db.select(GoalNode).filter_by(process_id=monitored.id, kind="ziel"))
        with db.session.no_autoflush:  # adding loads the node's indicators, which must not flush the new one yet
            indicators.add_indicator(node, "Anteil belegter Kursplätze")
        db.session.commit()
    page = upload(client, monitored.id, "Anteil belegter Kursplätze;1.1.2026;3\n".encode()).get_data(as_text=True)
    assert "Mehrere Indikatoren heißen „Anteil belegter Kursplätze“: geben Sie die UUID des gemeinten an." in page
    page = upload(client, monitored.id, f"{monitored.share};1.1.2026;3\n".encode()).get_data(as_text=True)
    assert "Ein neuer Wert wird gespeichert" in page


@pytest.mark.parametrize("content,filename,message", [
    (b"", "leer.csv", "Die Datei ist leer."),
    ("Indikator;Datum;Wert\nÖl;1.1.2026;3\n".encode("latin-1"), "alt.csv", "nicht in UTF-8 gespeichert"),
    (b"PK\x03\x04kaputt", "kaputt.xlsx", "Diese Datei lässt sich nicht lesen."),
    ("Indikator;Datum;Notiz\nx;1.1.2026;y\n".encode(), "spalten.csv", "Die Kopfzeile braucht die Spalten"),
    (("Indikator;Datum;Wert\n" + "x;1.1.2026;3\n" * 2001).encode(), "lang.csv", "Die Datei ist zu groß"),
])
def test_a_file_that_cannot_be_read_is_refused_in_words(app, client, monitored, content, filename, message):
    response = upload(client, monitored.id, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_no_file_is_refused_in_words(client, monitored):
    response = client.post(url(monitored.id), data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)


def test_a_row_that_became_wrong_since_the_preview_stores_nothing(app, client, monitored):
    before = stored(app)
    content = ("Indikator;Datum;Wert\nOrtsteile mit Sprachcafé;30.06.2026;4\n"
               f"{monitored.share};30.06.2026;50\n").encode()
    rows = signed_rows(upload(client, monitored.id, content).get_data(as_text=True))
    with app.app_context():  # meanwhile someone types another value for the same day
        indicator = db.session.scalar(db.select(Indicator).filter_by(uuid=uuid.UUID(monitored.share)))
        indicators.record_value(indicator, date(2026, 6, 30), 55)
        db.session.commit()
    response = confirm(client, monitored.id, rows)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nichts wurde gespeichert: seit der Vorschau hat sich etwas geändert." in page
    assert "An diesem Tag ist schon ein anderer Wert gespeichert (55)." in page
    assert stored(app) == sorted(before + [("Anteil belegter Kursplätze", date(2026, 6, 30), 55.0)])


def test_an_indicator_deleted_since_the_preview_stores_nothing(app, client, monitored):
    before = stored(app)
    content = f"Ortsteile mit Sprachcafé;30.06.2026;4\n{monitored.share};30.06.2026;50\n".encode()
    rows = signed_rows(upload(client, monitored.id, content).get_data(as_text=True))
    client.post(f"/organise/processes/{monitored.id}/goal-tree/indicators/{monitored.share}/delete",
                data={"confirm": "yes"})
    response = confirm(client, monitored.id, rows)
    assert response.status_code == 409 and "Unbekannter Indikator" in response.get_data(as_text=True)
    assert stored(app) == before


def test_changed_signed_rows_are_refused(app, client, monitored, make, login):
    before = stored(app)
    rows = signed_rows(upload(client, monitored.id, b"Ortsteile mit Sprachcaf\xc3\xa9;30.06.2026;4\n").get_data(
        as_text=True))
    for changed in (rows[:-2] + ("AA" if not rows.endswith("AA") else "BB"), "", "nicht signiert"):
        response = confirm(client, monitored.id, changed)
        assert response.status_code == 400
        assert "Die Vorschau ist ungültig oder wurde verändert." in response.get_data(as_text=True)
    # Rows signed for one process do not import into another, even for an admin of both.
    other = make.process("Anderer Prozess")
    client.post("/auth/logout")
    login(make.user("admin@example.org", admin=True))
    response = confirm(client, other.id, rows)
    assert response.status_code == 400 and "ungültig oder wurde verändert" in response.get_data(as_text=True)
    assert stored(app) == before


def test_organisers_of_another_process_and_the_steering_group_are_refused(app, client, monitored, make, login):
    other = make.process("Anderer Prozess")
    client.post("/auth/logout")
    login(make.user("orga-b@example.org", roles=[(other.id, "organiser"), (monitored.id, "steering")]))
    assert client.get(url(monitored.id)).status_code == 403
    assert upload(client, monitored.id, b"x;1.1.2026;1\n").status_code == 403
    assert confirm(client, monitored.id, "x").status_code == 403
    assert client.get(url(other.id)).status_code == 200


def test_the_upload_page_explains_the_format_and_lists_the_indicators(client, monitored):
    page = client.get(url(monitored.id)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept=".csv,.xlsx' in page
    assert "TT.MM.JJJJ oder JJJJ-MM-TT" in page
    assert monitored.cafes in page and monitored.share in page
    tree = client.get(f"/organise/processes/{monitored.id}/goal-tree").get_data(as_text=True)
    assert url(monitored.id) in tree
    client.get("/lang/ar")
    page = upload(client, monitored.id, "Radwege;1.1.2026;3\n".encode()).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and '<bdi dir="auto">Radwege</bdi>' in page


def test_the_demo_imports_the_example_file_once(app):
    example = Path(__file__).parent.parent / "docs" / "examples" / "indicator-values.csv"
    assert example.read_text(encoding="utf-8") == demo_monitoring.CSV
    names = [item["name"] for field in demo_goaltree.TREE.values() for spec in field
             for node in [spec, *spec.get("children", ())] for item in node.get("indicators", ())]
    with app.app_context():
        from app.services.administration import processes

        process = processes.create_process("Demo")
        root = goaltree.ensure_tree(process)
        for name in names:
            indicators.add_indicator(root, name)
        assert demo_monitoring.seed(process) == 8
        db.session.commit()
        assert demo_monitoring.seed(process) == 0  # a second run stores nothing
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 8
