"""The forum's record through HTTP: the printable page and the DOCX hold the programme, each table's
ideas per round with German translations beside the originals, the hosts' summaries and photos,
the vote and the figures; the organiser's event page shows summaries and photos; only the
steering group of the event's process (and organisers) may read any of it."""
import io
import re
from datetime import date

import docx
from babel.dates import format_date
import pytest
from docx.shared import Mm
from sqlalchemy import event as sa_event

from app.extensions import db
from app.models import Contribution, ContributionTranslation, Event, Participant, Vote
from app.models.base import utcnow
from app.services.reports.record import event_record
from tests.test_host import capture, host_url
from tests.test_host_photos import image_bytes, upload
from tests.test_participate import close_round, join, post_idea, start_round

ARABIC_IDEA = "نريد دروس لغة في المساء"
ARABIC_GERMAN = "Wir wollen Sprachkurse am Abend"
ARABIC_HOST_IDEA = "ملعب للأطفال قرب المدرسة"
HOST_GERMAN = "Ein Spielplatz nahe der Schule"
GERMAN_IDEA = "Mehr Bänke im Stadtpark"
SUMMARY = "Sprache verbindet: Kurse am Abend und Treffpunkte im Viertel."


@pytest.fixture
def forum(app, make, login):
    """An event with two tables and two rounds: a German idea from a phone and an Arabic one
    (machine-translated) at table 1 in round 1, an Arabic idea captured by table 2's host in round 2
    (translated by a person), a summary and a photo of table 1, dots, an action field, a hidden and
    a merged idea; logged in as an organiser of its process."""
    event = make.event(tables=2, rounds=2, languages=("de", "ar"))
    with app.app_context():
        row = db.session.get(Event, event.id)
        row.venue, row.starts_on = "Bürgerhaus Mitte", date.today()  # a past date would close the event
        row.rounds[0].question = {"de": "Was brauchen wir zum Zusammenleben?", "ar": "ماذا نحتاج للعيش معا؟"}
        row.rounds[1].question = {"de": "Was tun wir als Erstes?"}
        tables = row.tables
        tables[0].name, tables[0].host_name = "Sprachcafé", "Leyla Demir"
        db.session.commit()
    start_round(app, event.round_ids[0])
    phones = [app.test_client(), app.test_client()]
    join(phones[0], event.code, table=1)
    join(phones[1], event.code, table=1, writing_language="ar")
    assert post_idea(phones[0], event.code, GERMAN_IDEA, key="de-1").status_code in (200, 201)
    assert post_idea(phones[1], event.code, ARABIC_IDEA, key="ar-1").status_code in (200, 201)
    host = app.test_client()
    assert host.post(host_url(event, rest="/summary"), data={"text": SUMMARY}).status_code == 303
    assert upload(host, event, image_bytes((120, 80))).status_code == 303
    close_round(app, event.round_ids[0])
    start_round(app, event.round_ids[1])
    assert capture(host, event, ARABIC_HOST_IDEA, key="h-1", table_index=1, language="ar").status_code == 303
    assert capture(host, event, "Verborgene Idee", key="h-2", table_index=1).status_code == 303
    assert capture(host, event, "Doppelte Idee", key="h-3", table_index=1).status_code == 303
    with app.app_context():
        ideas = {c.text: c for c in db.session.scalars(db.select(Contribution).filter_by(event_id=event.id))}
        db.session.add(ContributionTranslation(contribution_id=ideas[ARABIC_IDEA].id, language="de",
                                               text=ARABIC_GERMAN, machine=True, made_by="test-engine"))
        db.session.add(ContributionTranslation(contribution_id=ideas[ARABIC_HOST_IDEA].id, language="de",
                                               text=HOST_GERMAN, made_by="host:2"))
        ideas["Verborgene Idee"].hidden_at = utcnow()
        ideas["Doppelte Idee"].merged_into_id, ideas["Doppelte Idee"].status = ideas[GERMAN_IDEA].id, "merged"
        field = db.session.get(Event, event.id).process.action_fields[1]
        ideas[ARABIC_IDEA].action_field_id, ideas[ARABIC_IDEA].status = field.id, "clustered"
        people = db.session.scalars(db.select(Participant).filter_by(event_id=event.id)).all()
        for person, idea in [(people[0], ARABIC_IDEA), (people[1], ARABIC_IDEA), (people[1], GERMAN_IDEA),
                             (people[0], ARABIC_HOST_IDEA), (people[1], ARABIC_HOST_IDEA),
                             (people[0], "Verborgene Idee")]:
            db.session.add(Vote(participant_id=person.id, contribution_id=ideas[idea].id))
        db.session.commit()
        event.field_name = field.name["de"]
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    return event


def record_page(client, event):
    response = client.get(f"/organise/events/{event.id}/record")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows_of(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)]


def test_the_page_shows_programme_tables_summary_photo_vote_and_figures(client, forum):
    page = record_page(client, forum)
    assert "Dokumentation des Forums" in page and "Bürgerhaus Mitte" in page
    assert format_date(date.today(), "full", locale="de") in page
    # The programme: both rounds in order, the Arabic question beside the German, durations, start.
    programme = page[page.index('id="programme"'):page.index('class="record-table"')]
    assert programme.index("Was brauchen wir zum Zusammenleben?") < programme.index("ماذا نحتاج للعيش معا؟") \
        < programme.index("Was tun wir als Erstes?")
    assert programme.count("20 Minuten") == 2 and programme.count("Beginn:") == 2
    # Table 1: name, host, round 1 with both ideas, the translation in the row of its original.
    first = page[page.index('id="table-1"'):page.index('id="table-2"')]
    assert "Sprachcafé" in first and "Leyla Demir" in first and SUMMARY in first
    assert GERMAN_IDEA in first and ARABIC_HOST_IDEA not in first
    [arabic_row] = [row for row in rows_of(first) if ARABIC_IDEA in row]
    assert ARABIC_GERMAN in arabic_row and "maschinell übersetzt" in arabic_row and "العربية" in arabic_row
    [photo_url] = re.findall(r'<img src="([^"]+/record/photos/[^"]+)"', first)
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    # Table 2: the host's idea in round 2, translated by a person; hidden and merged ideas are left out.
    second = page[page.index('id="table-2"'):page.index('id="vote"')]
    [host_row] = [row for row in rows_of(second) if ARABIC_HOST_IDEA in row]
    assert HOST_GERMAN in host_row and "Deutsch · übersetzt" in host_row and "maschinell" not in host_row
    assert "Runde 2" in second and "Was tun wir als Erstes?" in second
    assert "Verborgene Idee" not in page and "Doppelte Idee" not in page
    # The vote: most dots first, with the counts; the field's ideas; the figures.
    vote = rows_of(page[page.index('id="vote"'):page.index('id="fields"')])[1:]
    assert [row.split(" ")[0] for row in vote] == ["1", "1", "3"]
    assert ARABIC_IDEA in vote[0] and vote[0].endswith("1 2") and GERMAN_IDEA in vote[2]
    fields = page[page.index('id="fields"'):page.index('id="figures"')]
    assert forum.field_name in fields and ARABIC_IDEA in fields
    assert "Noch keinem Handlungsfeld zugeordnet" in fields and GERMAN_IDEA in fields
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index('id="figures"'):]))
    assert "Teilnehmende 2 " in figures and "Ideen 3 " in figures and "Vergebene Punkte 5 " in figures
    assert "العربية 2" in figures and "Deutsch 1" in figures


def test_the_page_prints_on_a4_and_reads_right_to_left_in_arabic(client, forum):
    page = record_page(client, forum)
    assert re.search(r'<link rel="stylesheet" href="/static/record[^"]*\.css">', page)
    assert 'style="' not in page and "<script>" not in page
    client.get("/lang/ar?next=/")
    arabic = record_page(client, forum)
    assert '<html lang="ar" dir="rtl">' in arabic and ARABIC_GERMAN in arabic


def docx_texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.append(" | ".join(cell.text for cell in row.cells))
    return texts


def test_the_docx_holds_the_same_texts_and_the_photo_inline(client, forum):
    response = client.get(f"/organise/events/{forum.id}/record.docx?lang=de")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert re.search(rf"filename=dokumentation-buergerforum-{forum.code.lower()}-\d{{4}}-\d\d-\d\d-de\.docx",
                     response.headers["Content-Disposition"])
    document = docx.Document(io.BytesIO(response.data))
    texts = docx_texts(document)
    joined = "\n".join(texts)
    for text in ("Dokumentation des Forums", "Bürgerhaus Mitte", "Was brauchen wir zum Zusammenleben?",
                 "ماذا نحتاج للعيش معا؟", "Was tun wir als Erstes?", "Tisch 1 · Sprachcafé", "Leyla Demir",
                 SUMMARY, GERMAN_IDEA, "Ergebnis der Abstimmung", forum.field_name, "Zahlen zur Beteiligung"):
        assert text in joined, text
    [arabic_row] = [t for t in texts if t.startswith(ARABIC_IDEA) and "|" in t and "maschinell" in t][:1]
    assert ARABIC_GERMAN in arabic_row
    assert any(t.startswith(ARABIC_HOST_IDEA) and HOST_GERMAN in t and "Deutsch · übersetzt" in t for t in texts)
    assert "Verborgene Idee" not in joined and "Doppelte Idee" not in joined
    vote = [t for t in texts if t.split(" | ")[0] in ("1", "3") and t.count("|") == 4]
    assert [t.split(" | ")[-1] for t in vote] == ["2", "2", "1"]
    assert "Teilnehmende | 2" in texts and "Vergebene Punkte | 5" in texts
    # The photo: inline, as wide as the page between its margins, on A4.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    [image] = document.inline_shapes
    assert image.width == section.page_width - section.left_margin - section.right_margin
    assert abs(image.height - image.width * 80 / 120) < Mm(1)


def test_the_docx_in_arabic_runs_right_to_left(client, forum):
    response = client.get(f"/organise/events/{forum.id}/record.docx?lang=ar")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    assert document.core_properties.language == "ar"
    assert ARABIC_GERMAN in "\n".join(docx_texts(document)) and len(document.inline_shapes) == 1
    assert client.get(f"/organise/events/{forum.id}/record.docx?lang=xx").status_code == 400


def test_the_event_page_shows_summaries_photos_and_links_the_record(client, forum):
    page = client.get(f"/organise/events/{forum.id}").get_data(as_text=True)
    harvest = page[page.index('id="harvest"'):]
    assert SUMMARY in harvest and "Runde 1" in harvest
    [full, thumb] = re.findall(r'(?:href|src)="(/moderate/events/\d+/photos/[^"]+)"', harvest)
    assert thumb == f"{full}?size=thumb"
    assert client.get(thumb).status_code == 200 and client.get(full).status_code == 200
    links = re.findall(r'href="(/organise/events/\d+/record(?:\.docx)?)"', page)
    assert links == [f"/organise/events/{forum.id}/record", f"/organise/events/{forum.id}/record.docx"]


def test_an_event_without_anything_recorded_still_has_a_record(client, app, make, login):
    event = make.event(tables=1, rounds=1)
    login(make.user("steering@example.org", roles=[(event.process_id, "steering")]))
    page = record_page(client, event)
    assert "Keine Idee hat Punkte bekommen." in page and "An diesem Tisch wurde nichts festgehalten." in page
    assert "Zurück zur Veranstaltung" not in page  # the steering group has no event page
    response = client.get(f"/organise/events/{event.id}/record.docx")
    assert response.status_code == 200 and len(docx.Document(io.BytesIO(response.data)).inline_shapes) == 0


def test_participants_hosts_moderators_and_other_processes_are_refused(app, client, make, login, forum):
    urls = [f"/organise/events/{forum.id}/record", f"/organise/events/{forum.id}/record.docx"]
    photo_url = re.findall(r'<img src="([^"]+)"', record_page(client, forum))[0]
    urls.append(photo_url)
    client.post("/auth/logout")
    phone = app.test_client()
    join(phone, forum.code, table=1)
    host = app.test_client()
    host.get(host_url(forum))
    for visitor in (client, phone, host):
        for url in urls:
            response = visitor.get(url)
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
    other = make.process("Ein anderer Prozess")
    for email, process_id, role in (("moderation@example.org", forum.process_id, "moderator"),
                                    ("fremd@example.org", other.id, "organiser")):
        staff = app.test_client()
        user = make.user(email, roles=[(process_id, role)])
        staff.post("/auth/login", data={"email": user.email, "password": user.password})
        assert all(staff.get(url).status_code == 403 for url in urls)
    # Another event's photo is not found through this event's record.
    mine = make.event(forum.process_id, tables=1, rounds=1)
    login(make.user("orga2@example.org", roles=[(forum.process_id, "organiser")]))
    assert client.get(photo_url.replace(f"/events/{forum.id}/", f"/events/{mine.id}/")).status_code == 404


def test_the_record_is_gathered_in_a_few_queries(app, forum):
    with app.app_context():
        row = db.session.get(Event, forum.id)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            record = event_record(row)
            [table.sittings for table in record.tables]
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        assert len(record.results) == 3 and len(statements) <= 12
