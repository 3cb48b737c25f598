"""The participation report of an event and of a process: the figures by language, table, round,
action field, event, format and over time; the page with its SVG charts; CSV and DOCX; who may see it.
(The self-described groups and their suppression: tests/test_participation_suppression.py.)"""
import io
import re
import secrets
from datetime import date, datetime, timedelta, timezone

import docx
import pytest

from app.extensions import db
from app.models import Contribution, Event, Participant, Seat, Vote
from app.models.base import utcnow
from tests.exports_helpers import read_csv

# 10:00 in Berlin on the event's day (summer time: UTC+2).
DAY = date(2030, 6, 15)
TEN = datetime(2030, 6, 15, 8, 0, tzinfo=timezone.utc)


def _person(event_id, language="de", **fields):
    return Participant(event_id=event_id, token=secrets.token_hex(16), writing_language=language,
                       created_at=fields.pop("created_at", TEN), **fields)


@pytest.fixture
def cafe(app, make):
    return build_cafe(app, make)


def build_cafe(app, make):
    """An event on DAY with two tables and two rounds: three people who took part (one registered,
    seated later), one registered who never came and one on the waiting list; visible ideas in German
    and Arabic, a hidden and a merged one; dots. And another event of the process, online only."""
    event = make.event(tables=2, rounds=2, languages=("de", "ar"))
    online = make.event(event.process_id, tables=1, rounds=1, format="online")
    with app.app_context():
        record = db.session.get(Event, event.id)
        record.starts_on = DAY
        db.session.get(Event, online.id).online_starts_on = DAY
        fields = record.process.action_fields
        anna, bilal = _person(event.id), _person(event.id, "ar", created_at=TEN + timedelta(minutes=20))
        carla = _person(event.id, registration_state="registered", created_at=TEN - timedelta(days=5))
        never = _person(event.id, registration_state="registered")
        waiting = _person(event.id, registration_state="waiting")
        remote = _person(online.id, "uk", created_at=TEN + timedelta(days=1))
        db.session.add_all([anna, bilal, carla, never, waiting, remote])
        db.session.flush()
        (t1, t2), (r1, r2) = event.table_ids, event.round_ids
        db.session.add_all([Seat(participant_id=anna.id, table_id=t1, round_id=r1),
                            Seat(participant_id=anna.id, table_id=t2, round_id=r2),
                            Seat(participant_id=bilal.id, table_id=t1, round_id=r1),
                            Seat(participant_id=carla.id, table_id=t2, round_id=r2,
                                 created_at=TEN + timedelta(minutes=50))])

        def idea(text, table, round_, language="de", minutes=30, **more):
            made = Contribution(event_id=more.pop("event_id", event.id), table_id=table, round_id=round_, text=text,
                                language=language, created_at=TEN + timedelta(minutes=minutes), **more)
            db.session.add(made)
            db.session.flush()
            return made

        kept = idea("Mehr Bänke", t1, r1, participant_id=anna.id, action_field_id=fields[0].id)
        arabic = idea("حدائق", t1, r1, "ar", 35, participant_id=bilal.id, action_field_id=fields[0].id)
        idea("Radwege", t2, r2, minutes=70, participant_id=carla.id)
        idea("Ausgeblendet", t2, r2, hidden_at=utcnow())
        idea("Doppelt", t1, r1, merged_into_id=kept.id, status="merged")
        idea("Online", None, None, "uk", 60 * 24 + 5, event_id=online.id, origin="online", participant_id=remote.id)
        for voter, target, minutes in ((anna, kept, 80), (bilal, kept, 81), (carla, arabic, 95)):
            db.session.add(Vote(participant_id=voter.id, contribution_id=target.id,
                                created_at=TEN + timedelta(minutes=minutes)))
        db.session.commit()
    organiser = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    return event, online, organiser


def _table(html: str, heading_id: str) -> list[list[str]]:
    """The rows of the first table after the heading with this id, as texts."""
    part = html[html.index(f'id="{heading_id}"'):]
    body = part[part.index("<tbody>"):part.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_event_page_counts_who_took_part_by_language_table_and_round(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    page = client.get(f"/organise/events/{event.id}/participation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Three took part (the never-come and the waiting registration do not); three visible ideas, three dots.
    assert re.search(r"Teilnehmende:\s*<strong>3</strong>", html)
    assert re.search(r"Ideen:\s*<strong>3</strong>", html)
    assert re.search(r"Abstimmung:\s*<strong>3</strong>", html)
    assert _table(html, "part-language") == [["Deutsch", "2", "2", "2"], ["العربية", "1", "1", "1"]]
    # People seated at a table at least once; dots are those the table's ideas got.
    assert _table(html, "part-table") == [["Tisch 1", "2", "2", "3"], ["Tisch 2", "2", "1", "0"]]
    assert _table(html, "part-round") == [["Runde 1", "2", "2", "3"], ["Runde 2", "2", "1", "0"]]
    fields = _table(html, "part-action_field")
    assert fields[0][1:] == ["2", "3"] and fields[-1] == ["Noch keinem Handlungsfeld zugeordnet", "1", "0"]
    # Per quarter hour of the day (10:00 arrivals, 10:30 ideas, 11:15 … 11:30 dots), Carla when seated.
    assert _table(html, "part-time") == [["10:00", "1", "0", "0"], ["10:15", "1", "0", "0"],
                                         ["10:30", "0", "2", "0"], ["10:45", "1", "0", "0"],
                                         ["11:00", "0", "1", "0"], ["11:15", "0", "0", "2"],
                                         ["11:30", "0", "0", "1"]]
    # The charts are images of their own, one per part; the page itself keeps its strict policy.
    for key in ("language", "table", "round", "action_field", "time"):
        assert f'src="/organise/events/{event.id}/participation/charts/{key}.svg"' in html
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    assert "<style" not in html and " style=" not in html


def test_the_process_page_adds_events_formats_and_days(client, login, cafe):
    event, online, organiser = cafe
    login(organiser)
    html = client.get(f"/organise/processes/{event.process_id}/participation").get_data(as_text=True)
    assert re.search(r"Teilnehmende:\s*<strong>4</strong>", html)
    assert [row[1:] for row in _table(html, "part-event")] == [["3", "3", "3"], ["1", "1", "0"]]
    assert _table(html, "part-format") == [["Bürgerforum (World Café)", "3", "3", "3"], ["Nur online", "1", "1", "0"]]
    assert _table(html, "part-table")[-1] == ["Ohne Tisch (z. B. online)", "1", "1", "0"]
    assert "Tische und Runden mit derselben Nummer" in html
    # Per day, the online idea on the next one.
    assert [row[1:] for row in _table(html, "part-time")] == [["3", "3", "3"], ["1", "1", "0"]]


def test_an_event_with_an_online_phase_is_counted_per_day(client, login, cafe):
    _event, online, organiser = cafe
    login(organiser)
    html = client.get(f"/organise/events/{online.id}/participation").get_data(as_text=True)
    assert _table(html, "part-time") == [["16.06.2030", "1", "1", "0"]]


def test_a_chart_is_svg_with_text_title_and_its_own_policy(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    response = client.get(f"/organise/events/{event.id}/participation/charts/language.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert '<title id="chart-title">Nach Sprache</title>' in svg and "<desc" in svg
    assert re.search(r"<text[^>]*>Deutsch</text>", svg) and "العربية" in svg  # text stays text
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script" not in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]*"|"http://www.w3.org[^"]*"|<metadata>.*</metadata>', "", svg,
                                flags=re.S)  # nothing fetched from elsewhere
    assert client.get(f"/organise/events/{event.id}/participation/charts/nonsense.svg").status_code == 404


def test_the_page_reads_right_to_left_in_arabic(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    client.get("/lang/ar")
    html = client.get(f"/organise/events/{event.id}/participation").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    chart = client.get(f"/organise/events/{event.id}/participation/charts/table.svg")
    assert chart.status_code == 200


def test_csv_has_one_row_per_figure(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    response = client.get(f"/organise/events/{event.id}/participation/download?format=csv&lang=de")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert re.search(rf"filename=teilnahme-buergerforum-{event.code.lower()}-\d{{4}}-\d\d-\d\d-de\.csv",
                     response.headers["Content-Disposition"])
    header, *rows = read_csv(response.data, ";")
    assert header == ["Bereich", "Kategorie", "Teilnehmende", "Ideen", "Punkte", "Verdeckt"]
    assert rows[0] == ["Insgesamt", "Bürgerforum", "3", "3", "3", ""]
    assert ["Nach Sprache", "العربية", "1", "1", "1", ""] in rows
    assert ["Nach Tisch", "Tisch 1", "2", "2", "3", ""] in rows
    assert ["Im Zeitverlauf", "10:30", "0", "2", "0", ""] in rows
    # Two people described themselves nowhere here: every self-described figure is hidden, and marked.
    described = [row for row in rows if row[0].startswith("Selbstauskünfte")]
    assert described and all(row[2] == "" and row[5] == "ja" for row in described)


def test_docx_holds_the_charts_as_png_and_the_figures(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    response = client.get(f"/organise/processes/{event.process_id}/participation/download?format=docx&lang=de")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    pictures = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(document.inline_shapes) >= 6 and len(pictures) == len(document.inline_shapes)
    assert all(shape._inline.docPr.get("descr").startswith("Diagramm:") for shape in document.inline_shapes)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "Teilnahmebericht" and "Nach Format" in texts and "Selbstauskünfte" in texts
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Nur online", "1", "1", "0"] in cells and ["Deutsch", "2", "2", "2"] in cells


def test_the_council_report_ends_with_the_participation(app, client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    response = client.get(f"/organise/processes/{event.process_id}/goal-tree/export?format=docx&lang=de")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Teilnahme" in texts and "Nach Veranstaltung" in texts
    assert len(document.inline_shapes) >= 6
    # The copy on the public results page leaves the participation out (small groups are for staff).
    with app.app_context():
        process = db.session.get(Event, event.id).process
        process.results_public, process.published_formats = True, ["docx"]
        uuid = process.uuid
        db.session.commit()
    public = client.get(f"/results/{uuid}/goal-tree.docx")
    assert public.status_code == 200
    texts = [paragraph.text for paragraph in docx.Document(io.BytesIO(public.data)).paragraphs]
    assert "Zielbaum" in texts and "Teilnahme" not in texts and "Nach Veranstaltung" not in texts


def test_links_from_the_event_and_process_pages(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    assert f'href="/organise/events/{event.id}/participation"' in client.get(
        f"/organise/events/{event.id}").get_data(as_text=True)
    assert f'href="/organise/processes/{event.process_id}/participation"' in client.get(
        f"/organise/processes/{event.process_id}").get_data(as_text=True)


def test_only_staff_of_the_process_see_the_report(client, login, make, cafe):
    event, _online, _organiser = cafe
    urls = [f"/organise/events/{event.id}/participation", f"/organise/events/{event.id}/participation/charts/round.svg",
            f"/organise/events/{event.id}/participation/download?format=csv",
            f"/organise/processes/{event.process_id}/participation",
            f"/organise/processes/{event.process_id}/participation/download?format=docx"]
    for url in urls:  # nobody logged in: to the login page
        assert client.get(url).status_code == 302
    other = make.process("Ein anderer Prozess")
    login(make.user("fremd@example.org", roles=[(other.id, "organiser")]))
    assert all(client.get(url).status_code == 403 for url in urls)
    client.post("/auth/logout")
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 403, 403]


def test_a_wrong_format_is_refused_with_a_message(client, login, cafe):
    event, _online, organiser = cafe
    login(organiser)
    response = client.get(f"/organise/events/{event.id}/participation/download?format=pdf")
    assert response.status_code == 400 and "Dieses Format gibt es nicht." in response.get_data(as_text=True)
