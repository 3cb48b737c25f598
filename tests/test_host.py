"""Table hosts through HTTP: the host link, typing in the tablecloth, editing, round summaries (photos:
tests/test_host_photos.py)."""
import re

import pytest

from app.extensions import db
from app.models import CafeTable, Contribution, Event, RoundSummary
from app.models.base import utcnow
from tests.test_participate import close_round, count, join, post_idea, start_round


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    start_round(app, event.round_ids[0])
    return event


def host_url(event, table_index=0, rest=""):
    return f"/h/{event.host_tokens[table_index]}{rest}"


def capture(client, event, text, key="form-1", table_index=0, **extra):
    return client.post(host_url(event, table_index, "/ideas"), data={"text": text, "key": key, **extra})


def ideas(app, **filters):
    with app.app_context():
        rows = db.session.scalars(db.select(Contribution).filter_by(**filters).order_by(Contribution.id))
        return [(c.text, c.origin, c.table_id, c.round_id, c.language, c.participant_id) for c in rows]


def revision(app, event):
    with app.app_context():
        return db.session.get(Event, event.id).revision


# The host link

def test_a_wrong_token_is_404(client, app, event):
    assert client.get("/h/not-a-token").status_code == 404
    assert client.get(f"/h/{event.host_tokens[0]}x").status_code == 404
    assert capture(client, event, "Eindringling", table_index=0).status_code == 303  # the right one works
    assert client.post("/h/not-a-token/ideas", data={"text": "Eindringling", "key": "x"}).status_code == 404
    assert [text for text, *_ in ideas(app)] == ["Eindringling"]


def test_the_capture_page_shows_the_table_round_and_question(client, app, event):
    page = client.get(host_url(event, 1)).get_data(as_text=True)
    assert "Tisch 2" in page and "Bürgerforum" in page and "Frage 1" in page
    assert "Sie sind als Gastgeber·in dieses Tisches angemeldet." in page
    assert 'name="text"' in page and "Eine Idee pro Zeile" in page
    # Its own secret only: no other table's host link.
    assert event.host_tokens[0] not in page and event.host_tokens[2] not in page
    assert 'dir="ltr" lang="de" selected value="de"' in page  # the page's language (German here)


def test_first_visit_marks_the_host_seen_and_the_console_shows_it(client, app, make, login, event):
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    console = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert console.count("Gastgeber-Link noch nicht geöffnet") == 3
    before = revision(app, event)

    host = app.test_client()
    assert host.get(host_url(event, 1)).status_code == 200
    with app.app_context():
        seen = {t.number: t.host_seen_at for t in db.session.scalars(db.select(CafeTable))}
    assert seen[1] is None and seen[3] is None
    assert (utcnow() - seen[2]).total_seconds() < 60
    assert revision(app, event) == before + 1  # the console learns of it live

    host.get(host_url(event, 1))  # a reload soon after writes nothing and bumps nothing
    assert revision(app, event) == before + 1

    console = client.get(f"/moderate/events/{event.id}/fragment").get_data(as_text=True)
    card = console.split("Tisch 2")[1].split("</li>")[0]
    assert "Gastgeber·in da" in card
    assert console.count("Gastgeber-Link noch nicht geöffnet") == 2


# Typing in the tablecloth

def test_multi_line_capture_stores_one_host_idea_per_line_once(client, app, event):
    text = "Sprachcafé in der Bücherei\n\n   Mehr Bänke an der Ruhr  \r\nPatenschaften für Familien\n   \n"
    response = capture(client, event, text, key="cloth-1")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/h/{event.host_tokens[0]}#capture")
    expected = [(line, "host", event.table_ids[0], event.round_ids[0], "de", None)
                for line in ("Sprachcafé in der Bücherei", "Mehr Bänke an der Ruhr", "Patenschaften für Familien")]
    assert ideas(app) == expected

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 Ideen gespeichert" in page
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*</textarea>', page)  # empty for the next ones
    assert "Mehr Bänke an der Ruhr" in page and "Vom Tischtuch übertragen" in page

    again = capture(client, event, text, key="cloth-1")  # a double tap or a resend
    assert again.status_code == 303
    assert ideas(app) == expected
    assert "3 Ideen gespeichert" in client.get(again.headers["Location"]).get_data(as_text=True)

    capture(client, event, "Noch eine", key="cloth-2")
    assert len(ideas(app)) == 4


def test_one_idea_at_a_time_and_in_a_chosen_language(client, app, event):
    response = capture(client, event, "Türkçe kurslar", key="tr-1", language="tr")
    assert "language=tr" in response.headers["Location"]
    assert ideas(app) == [("Türkçe kurslar", "host", event.table_ids[0], event.round_ids[0], "tr", None)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 Idee gespeichert" in page and 'lang="tr" selected value="tr"' in page


def test_capturing_bumps_the_revision_so_phones_see_it(client, app, event):
    before = revision(app, event)
    capture(client, event, "Eins\nZwei")
    assert revision(app, event) == before + 1


@pytest.mark.parametrize("text, message", [
    ("", "Bitte tragen Sie mindestens eine Idee ein."),
    (" \n \n", "Bitte tragen Sie mindestens eine Idee ein."),
    ("Kurz\n" + "x" * 501 + "\nAuch kurz", "Zeile 2 ist zu lang: höchstens 500 Zeichen pro Idee."),
])
def test_bad_input_is_refused_kept_and_nothing_is_stored(client, app, event, text, message):
    response = capture(client, event, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    if text.strip():
        assert "x" * 501 in page and "Auch kurz" in page  # what was typed is still there
    assert ideas(app) == []


def test_before_any_round_there_is_no_capture_form_and_no_capture(client, app, make):
    event = make.event(tables=2, rounds=2)
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Noch hat keine Runde begonnen" in page and 'id="capture"' not in page
    assert "Frage 1" in page  # what the first round will ask
    assert capture(client, event, "Zu früh").status_code == 409
    assert ideas(app) == []


def test_without_an_open_round_ideas_go_to_the_latest_round_that_began(client, app, event):
    close_round(app, event.round_ids[0])
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Diese Runde ist beendet" in page and "Frage 1" in page
    capture(client, event, "Nachgetragen")
    assert ideas(app)[0][3] == event.round_ids[0]


def test_a_form_typed_in_round_one_lands_there_even_after_round_two_started(client, app, make, event):
    close_round(app, event.round_ids[0])
    start_round(app, event.round_ids[1])
    capture(client, event, "Aus Runde eins", key="r1", round_id=str(event.round_ids[0]))
    other = make.event(tables=1, rounds=1)
    start_round(app, other.round_ids[0])
    capture(client, event, "Fremde Runde ignoriert", key="r2", round_id=str(other.round_ids[0]))
    assert [(text, round_id) for text, _, _, round_id, *_ in ideas(app)] == [
        ("Aus Runde eins", event.round_ids[0]), ("Fremde Runde ignoriert", event.round_ids[1])]
    # Earlier rounds stay reachable from the page.
    page = client.get(host_url(event, rest="?round=1")).get_data(as_text=True)
    assert "Aus Runde eins" in page and "Fremde Runde ignoriert" not in page
    assert client.get(host_url(event, rest="?round=9")).status_code == 404


def test_the_list_shows_all_visible_ideas_of_this_table_and_round_only(client, app, event):
    phone = app.test_client()
    join(phone, event.code, table=1, nickname="Mira")
    post_idea(phone, event.code, "Vom Telefon an Tisch eins", key="p1")
    post_idea(phone, event.code, "Wird ausgeblendet", key="p2")
    capture(client, event, "Vom Tischtuch")
    capture(client, event, "An Tisch zwei", key="t2", table_index=1)
    with app.app_context():
        db.session.scalar(db.select(Contribution).filter_by(text="Wird ausgeblendet")).hidden_at = utcnow()
        db.session.commit()
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Vom Telefon an Tisch eins" in page and "Mira" in page and "Vom Tischtuch" in page
    assert "Wird ausgeblendet" not in page and "An Tisch zwei" not in page
    assert "2 Ideen an diesem Tisch" in page


# Editing

def idea_uuid(app, text):
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=text))
        return idea.uuid, idea.id


def test_the_host_edits_an_idea_of_the_table(client, app, event):
    phone = app.test_client()
    join(phone, event.code, table=1)
    post_idea(phone, event.code, "Sprachkafe", key="p1")
    uuid, idea_id = idea_uuid(app, "Sprachkafe")
    before = revision(app, event)
    response = client.post(host_url(event, rest=f"/ideas/{uuid}"), data={f"idea-{idea_id}-text": " Sprachcafé "})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#idea-{uuid}")
    assert [text for text, *_ in ideas(app)] == ["Sprachcafé"]
    assert ideas(app)[0][1] == "participant"  # still the participant's idea
    assert revision(app, event) == before + 1
    assert "Die Idee wurde geändert." in client.get(response.headers["Location"]).get_data(as_text=True)

    refused = client.post(host_url(event, rest=f"/ideas/{uuid}"), data={f"idea-{idea_id}-text": "x" * 501})
    assert refused.status_code == 400 and "höchstens 500 Zeichen" in refused.get_data(as_text=True)
    assert "x" * 501 in refused.get_data(as_text=True)
    empty = client.post(host_url(event, rest=f"/ideas/{uuid}"), data={f"idea-{idea_id}-text": "  "})
    assert empty.status_code == 400 and "Eine Idee darf nicht leer sein." in empty.get_data(as_text=True)
    assert [text for text, *_ in ideas(app)] == ["Sprachcafé"]


def test_a_host_cannot_read_or_edit_another_tables_or_events_ideas(client, app, make, event):
    capture(client, event, "Geheim an Tisch zwei", key="t2", table_index=1)
    other = make.event(tables=2, rounds=1)
    start_round(app, other.round_ids[0])
    capture(client, other, "Andere Veranstaltung", key="o1")
    for text in ("Geheim an Tisch zwei", "Andere Veranstaltung"):
        uuid, idea_id = idea_uuid(app, text)
        response = client.post(host_url(event, rest=f"/ideas/{uuid}"), data={f"idea-{idea_id}-text": "Überschrieben"})
        assert response.status_code == 404
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Geheim an Tisch zwei" not in page and "Andere Veranstaltung" not in page
    assert sorted(text for text, *_ in ideas(app)) == ["Andere Veranstaltung", "Geheim an Tisch zwei"]


def test_hidden_or_merged_ideas_cannot_be_edited(client, app, event):
    capture(client, event, "Ausgeblendet")
    uuid, idea_id = idea_uuid(app, "Ausgeblendet")
    with app.app_context():
        db.session.get(Contribution, idea_id).hidden_at = utcnow()
        db.session.commit()
    response = client.post(host_url(event, rest=f"/ideas/{uuid}"), data={f"idea-{idea_id}-text": "Neu"})
    assert response.status_code == 404
    assert [text for text, *_ in ideas(app)] == ["Ausgeblendet"]


# Round summaries

def test_the_round_summary_is_saved_and_updated(client, app, event):
    response = client.post(host_url(event, rest="/summary"), data={"text": "Viel über Sprache gesprochen."})
    assert response.status_code == 303 and response.headers["Location"].endswith("#summary")
    client.post(host_url(event, rest="/summary"), data={"text": "  Sprache und Arbeit: Kurse am Abend.  ",
                                                         "round_id": str(event.round_ids[0])})
    with app.app_context():
        rows = [(s.table_id, s.round_id, s.text) for s in db.session.scalars(db.select(RoundSummary))]
    assert rows == [(event.table_ids[0], event.round_ids[0], "Sprache und Arbeit: Kurse am Abend.")]
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Sprache und Arbeit: Kurse am Abend." in page and "Zuletzt gespeichert" in page
    # Another table's summary is its own.
    client.post(host_url(event, 1, "/summary"), data={"text": "Tisch zwei"})
    assert count(app, RoundSummary) == 2
    assert "Tisch zwei" not in client.get(host_url(event)).get_data(as_text=True)


def test_a_too_long_summary_is_refused_and_kept(client, app, event):
    response = client.post(host_url(event, rest="/summary"), data={"text": "y" * 2001})
    assert response.status_code == 400
    assert "höchstens 2000 Zeichen" in response.get_data(as_text=True) and "y" * 2001 in response.get_data(as_text=True)
    assert count(app, RoundSummary) == 0


# The link for staff

def test_staff_get_each_tables_host_link_and_qr(client, app, make, login, event):
    url = f"/moderate/events/{event.id}/tables/{event.table_ids[1]}/host-qr.svg"
    assert client.get(url).status_code == 302
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    for token in event.host_tokens:
        assert f"http://cafe.test/h/{token}" in page
    assert "Gastgeber-Link" in page and url in page
    svg = client.get(url)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    other = make.event(tables=1, rounds=1)
    assert client.get(f"/moderate/events/{event.id}/tables/{other.table_ids[0]}/host-qr.svg").status_code == 404


def test_the_qr_code_holds_the_host_link(client, app, make, login, event):
    from app.services.cafe import qr
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    svg = client.get(f"/moderate/events/{event.id}/tables/{event.table_ids[0]}/host-qr.svg").data
    assert svg == qr.svg(f"http://cafe.test/h/{event.host_tokens[0]}")
    assert "no-store" in client.get(f"/moderate/events/{event.id}/tables/{event.table_ids[0]}/host-qr.svg").headers[
        "Cache-Control"]


def test_participants_never_see_a_host_link(app, event):
    phone = app.test_client()
    join(phone, event.code, table=1)
    page = phone.get(f"/e/{event.code}").get_data(as_text=True) + phone.get(f"/j/{event.code}/1").get_data(as_text=True)
    assert not any(token in page for token in event.host_tokens)
    assert phone.get(f"/moderate/events/{event.id}/tables/{event.table_ids[0]}/host-qr.svg").status_code == 302


def test_host_pages_keep_their_link_out_of_referrers(client, event):
    response = client.get(host_url(event))
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_every_host_form_needs_its_csrf_token(app, event, other_app):
    strict = other_app(WTF_CSRF_ENABLED=True).test_client()
    page = strict.get(host_url(event)).get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert len(tokens) == 3  # capture, photo, summary
    assert strict.post(host_url(event, rest="/ideas"), data={"text": "Ohne Token", "key": "n"}).status_code == 400
    assert strict.post(host_url(event, rest="/summary"), data={"text": "Ohne Token"}).status_code == 400
    response = strict.post(host_url(event, rest="/ideas"), data={"text": "Mit Token", "key": "m", "csrf_token": tokens[0]})
    assert response.status_code == 303
    assert [text for text, *_ in ideas(app)] == ["Mit Token"]


def test_a_key_used_at_another_table_neither_leaks_nor_stores_twice(client, app, event):
    capture(client, event, "Tisch eins", key="same")
    response = capture(client, event, "Tisch zwei", key="same", table_index=1)  # keys are per table
    assert response.status_code == 303
    assert "Tisch eins" not in client.get(host_url(event, 1)).get_data(as_text=True)
    capture(client, event, "Tisch zwei", key="same", table_index=1)  # a resend stores nothing more
    assert [(text, table_id) for text, _, table_id, *_ in ideas(app)] == [
        ("Tisch eins", event.table_ids[0]), ("Tisch zwei", event.table_ids[1])]
