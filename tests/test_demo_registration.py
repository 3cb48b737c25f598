"""Issue 20 done: in the demo someone registers in Arabic with an interpretation need, the organisers'
counts show it, they sit with an Arabic-speaking host in every round, and the organiser downloads
the forum's record and the participation report."""
import csv
import io

import pytest
from docx import Document

from app.extensions import db
from app.models import CafeTable, Event, Participant, Round, Seat

JSON = {"Accept": "application/json"}


@pytest.fixture
def demo(runner, app, make, client, login):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        event = db.session.scalar(db.select(Event).order_by(Event.id))  # the demo's forum, made first
        ids = (event.id, event.code, event.process_id, [r.id for r in event.rounds])
    login(make.user("orga@example.org", roles=[(ids[2], "organiser")]))
    return ids


def seat_table(app, name, round_id) -> CafeTable:
    with app.app_context():
        table = db.session.scalar(db.select(CafeTable).join(Seat, Seat.table_id == CafeTable.id)
                                  .join(Participant, Participant.id == Seat.participant_id)
                                  .where(Participant.name == name, Seat.round_id == round_id))
        db.session.expunge(table)
        return table


def test_an_arabic_registration_is_counted_and_sits_with_arabic_in_every_round(app, client, demo):
    event_id, code, _, round_ids = demo
    counts_url = f"/organise/events/{event_id}/registrations"
    assert "3 Personen brauchen Verdolmetschung in: العربية" in client.get(counts_url).get_data(as_text=True)

    phone = app.test_client()
    phone.set_cookie("lang", "ar")
    page = phone.get(f"/e/{code}/register").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page and "Name oder Pseudonym" not in page  # all in Arabic
    response = phone.post(f"/e/{code}/register", data={
        "name": "يوسف", "languages": ["ar"], "interpretation_language": "ar", "needs_consent": "y"})
    assert response.status_code == 303
    assert "4 Personen brauchen Verdolmetschung in: العربية" in client.get(counts_url).get_data(as_text=True)

    join_page = phone.get(f"/j/{code}").get_data(as_text=True)
    assert join_page.count("العربية") >= 2  # the tables where Arabic is spoken say so
    with app.app_context():
        arabic_tables = {t.number for t in db.session.scalars(db.select(CafeTable).where(CafeTable.event_id == event_id))
                         if "ar" in t.host_languages}
    assert arabic_tables == {2, 5}
    phone.post(f"/j/{code}", data={"interface_language": "ar", "writing_language": "ar", "table": "2"})
    assert seat_table(app, "يوسف", round_ids[0]).number == 2

    for round_id in round_ids[1:]:  # the moderator moves on twice; rotation proposes the seats
        assert client.post(f"/moderate/events/{event_id}/next", data={"confirmed": "1"}, headers=JSON).status_code == 200
        with app.app_context():
            assert db.session.get(Round, round_id).state == "running"
        table = seat_table(app, "يوسف", round_id)
        assert "ar" in table.host_languages, (round_id, table.number)


def test_the_organiser_downloads_the_record_and_the_participation_report(app, client, demo):
    event_id, _, process_id, _ = demo
    record = client.get(f"/organise/events/{event_id}/record.docx")
    assert record.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(record.data)).paragraphs)
    assert "Bürgerforum im Werner-Richard-Saal" in text
    for url in (f"/organise/events/{event_id}/participation/download",
                f"/organise/processes/{process_id}/participation/download"):
        csv_file = client.get(url + "?format=csv")
        assert csv_file.status_code == 200
        rows = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8-sig")), delimiter=";"))
        groups = [row for row in rows if row[0].startswith("Selbstauskünfte:")]
        assert groups, sorted({row[0] for row in rows})
        shown = [int(row[2]) for row in groups if row[2].isdigit()]
        assert shown and min(shown) >= 5  # no self-described group under five, anywhere
        report = client.get(url + "?format=docx")
        assert report.status_code == 200 and Document(io.BytesIO(report.data)).inline_shapes  # the charts
