"""Organisers set up processes, events, tables and rounds; each change is checked in the database."""
import re
from datetime import date

import pytest

from app.extensions import db
from app.models import CafeTable, Event, Process, Round

FORMATS = {
    "world_cafe": "Bürgerforum (World Café)",
    "workshop": "Fachworkshop",
    "multiplier_round": "Multiplikatorenrunde",
    "interview": "Interview",
    "conference": "Konferenz",
}


def event_data(**overrides):
    data = {"title": "Bürgerforum im Rathaus", "format": "world_cafe", "starts_on": "2030-05-14",
            "venue": "Rathaus Herdecke", "default_language": "de", "languages": ["de", "en"],
            "table_count": "6", "round_count": "3", "round_minutes": "20"}
    data.update(overrides)
    return data


@pytest.fixture
def organiser(make, login):
    """Logs an organiser of a new process in; returns the process."""
    process = make.process()
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    return process


def load_event(app, event_id):
    """The event with its tables and rounds as plain values, read in a fresh session."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        if event is None:
            return None
        return {
            "title": event.title, "format": event.format, "starts_on": event.starts_on, "venue": event.venue,
            "code": event.code, "languages": list(event.languages), "default_language": event.default_language,
            "revision": event.revision, "process_id": event.process_id,
            "tables": [(t.number, t.name, t.host_token) for t in event.tables],
            "rounds": [(r.number, dict(r.question), r.duration_minutes, r.state) for r in event.rounds],
            "round_ids": [r.id for r in event.rounds], "table_ids": [t.id for t in event.tables],
        }


def set_round_state(app, round_id, state):
    with app.app_context():
        db.session.get(Round, round_id).state = state
        db.session.commit()


def event_ids(app):
    with app.app_context():
        return list(db.session.scalars(db.select(Event.id).order_by(Event.id)))


# Processes

def test_organiser_edits_the_process(client, app, organiser):
    page = client.get(f"/organise/processes/{organiser.id}").get_data(as_text=True)
    assert f'/organise/processes/{organiser.id}/edit' in page and "Neue Veranstaltung" in page

    form = client.get(f"/organise/processes/{organiser.id}/edit").get_data(as_text=True)
    assert organiser.title in form
    response = client.post(f"/organise/processes/{organiser.id}/edit",
                           data={"title": " Zusammenleben 2030 ", "description": "Integrationskonzept"})
    assert response.status_code == 302
    with app.app_context():
        process = db.session.get(Process, organiser.id)
        assert (process.title, process.description) == ("Zusammenleben 2030", "Integrationskonzept")


def test_an_empty_process_title_keeps_the_description(client, app, organiser):
    response = client.post(f"/organise/processes/{organiser.id}/edit",
                           data={"title": " ", "description": "Mein neuer Text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte geben Sie einen Titel ein." in page and "Mein neuer Text" in page
    with app.app_context():
        assert db.session.get(Process, organiser.id).title == organiser.title


# Creating events

@pytest.mark.parametrize("format_, tables, rounds", [
    ("world_cafe", 6, 3), ("workshop", 2, 1), ("multiplier_round", 0, 2), ("interview", 1, 0),
    ("conference", 12, 4),
])
def test_organiser_creates_an_event_of_each_format(client, app, organiser, format_, tables, rounds):
    response = client.post(f"/organise/processes/{organiser.id}/events/new", data=event_data(
        format=format_, table_count=str(tables), round_count=str(rounds), round_minutes="25",
        default_language="de", languages=["ar", "en"]))
    assert response.status_code == 303
    [event_id] = event_ids(app)
    assert response.headers["Location"].endswith(f"/organise/events/{event_id}")
    event = load_event(app, event_id)
    assert event["format"] == format_ and event["process_id"] == organiser.id
    assert event["title"] == "Bürgerforum im Rathaus" and event["venue"] == "Rathaus Herdecke"
    assert event["starts_on"] == date(2030, 5, 14)
    assert event["languages"] == ["de", "en", "ar"]  # the default is always in, and first
    assert [number for number, _name, _token in event["tables"]] == list(range(1, tables + 1))
    assert len({token for _n, _name, token in event["tables"]}) == tables
    assert event["rounds"] == [(n, {}, 25, "planned") for n in range(1, rounds + 1)]
    assert re.fullmatch(r"[A-Z0-9]{6}", event["code"])

    hub = client.get(response.headers["Location"]).get_data(as_text=True)
    assert FORMATS[format_] in hub and "Die Veranstaltung wurde angelegt." in hub
    assert hub.count("Runde ") >= rounds and hub.count('class="button-warning"') == tables
    process_page = client.get(f"/organise/processes/{organiser.id}").get_data(as_text=True)
    assert f'href="/organise/events/{event_id}"><bdi lang="de" dir="ltr">Bürgerforum im Rathaus</bdi></a>' in process_page
    assert FORMATS[format_] in process_page


def test_the_new_event_form_offers_every_format_and_the_defaults(client, organiser):
    page = client.get(f"/organise/processes/{organiser.id}/events/new").get_data(as_text=True)
    for value, label in FORMATS.items():
        assert f'<option value="{value}">{label}</option>' in page or f'value="{value}">{label}' in page
    assert re.search(r'id="table_count"[^>]*value="6"', page)
    assert re.search(r'id="round_count"[^>]*value="3"', page)
    assert re.search(r'id="round_minutes"[^>]*value="20"', page)
    # each language named in itself, German ticked
    assert re.search(r'<input checked[^>]*value="de">\s*<span lang="de" dir="ltr">Deutsch</span>', page)
    assert '<span lang="ar" dir="rtl">العربية</span>' in page and '<span lang="tr" dir="ltr">Türkçe</span>' in page


def test_event_form_errors_say_what_is_wrong_and_keep_the_input(client, app, organiser):
    response = client.post(f"/organise/processes/{organiser.id}/events/new", data=event_data(
        title="", venue="Stadthalle am Markt", table_count="61", round_count="drei", round_minutes="0",
        starts_on="2030-02-31", languages=["de", "tr"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte geben Sie einen Titel ein." in page
    assert "Bitte geben Sie eine Zahl von 0 bis 60 ein." in page
    assert "Bitte geben Sie eine ganze Zahl ein." in page
    assert "Bitte geben Sie eine Zahl von 1 bis 240 ein." in page
    assert "Bitte geben Sie ein gültiges Datum an." in page
    # what was typed is still there
    assert 'value="Stadthalle am Markt"' in page
    assert re.search(r'id="table_count"[^>]*value="61"', page)
    assert re.search(r'id="round_count"[^>]*value="drei"', page)
    assert re.search(r'<input checked[^>]*value="tr">', page)
    assert event_ids(app) == []


def test_staff_of_another_process_cannot_create_events_there(client, app, make, login, organiser):
    other = make.process("Anderer Prozess")
    response = client.post(f"/organise/processes/{other.id}/events/new", data=event_data())
    assert response.status_code == 403
    assert event_ids(app) == []


# Editing an event

def test_organiser_edits_the_event(client, app, make, organiser):
    made = make.event(organiser.id, tables=3, rounds=2)
    before = load_event(app, made.id)
    form = client.get(f"/organise/events/{made.id}/edit").get_data(as_text=True)
    assert 'value="Bürgerforum"' in form and "table_count" not in form

    response = client.post(f"/organise/events/{made.id}/edit", data={
        "title": "Fachworkshop Wohnen", "format": "workshop", "starts_on": "2030-06-01", "venue": "Bücherei",
        "default_language": "en", "languages": ["de", "uk"]})
    assert response.status_code == 303
    event = load_event(app, made.id)
    assert (event["title"], event["format"], event["starts_on"], event["venue"]) == (
        "Fachworkshop Wohnen", "workshop", date(2030, 6, 1), "Bücherei")
    assert event["default_language"] == "en" and event["languages"] == ["en", "de", "uk"]
    assert event["tables"] == before["tables"] and event["rounds"] == before["rounds"]
    assert event["code"] == before["code"]
    assert event["revision"] > before["revision"]  # phones show the title
    hub = client.get(f"/organise/events/{made.id}").get_data(as_text=True)
    assert "Fachworkshop Wohnen" in hub and "Bücherei" in hub and "Українська" in hub


def test_event_edit_errors_keep_the_input(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=1)
    response = client.post(f"/organise/events/{made.id}/edit", data={
        "title": "x" * 201, "format": "conference", "venue": "Aula", "default_language": "de",
        "languages": ["de", "pl"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Höchstens 200 Zeichen." in page and 'value="Aula"' in page
    assert re.search(r'<option selected value="conference">', page)
    assert load_event(app, made.id)["title"] == "Bürgerforum"


# Copying

def test_an_event_is_copied_with_its_tables_and_questions(client, app, make, organiser):
    made = make.event(organiser.id, tables=3, rounds=2, languages=("de", "en", "ar"), venue="Rathaus")
    client.post(f"/organise/events/{made.id}/tables/{made.table_ids[0]}/rename",
                data={f"table-{made.table_ids[0]}-name": "am Fenster"})
    client.post(f"/organise/events/{made.id}/rounds/{made.round_ids[1]}/edit",
                data={"question_de": "Frage 2", "question_en": "Question 2", "duration_minutes": "35"})
    set_round_state(app, made.round_ids[0], "closed")

    form = client.get(f"/organise/events/{made.id}/copy").get_data(as_text=True)
    assert 'value="Bürgerforum (Kopie)"' in form
    response = client.post(f"/organise/events/{made.id}/copy",
                           data={"title": "Bürgerforum Nord", "starts_on": "2031-03-01"})
    assert response.status_code == 303
    copy_id = event_ids(app)[-1]
    assert response.headers["Location"].endswith(f"/organise/events/{copy_id}")
    original, copy = load_event(app, made.id), load_event(app, copy_id)
    assert (copy["title"], copy["starts_on"], copy["venue"]) == ("Bürgerforum Nord", date(2031, 3, 1), "Rathaus")
    assert copy["format"] == original["format"] and copy["languages"] == ["de", "en", "ar"]
    assert copy["code"] != original["code"]
    assert [t[:2] for t in copy["tables"]] == [(1, "am Fenster"), (2, ""), (3, "")]
    assert not {t[2] for t in copy["tables"]} & {t[2] for t in original["tables"]}
    assert copy["rounds"] == [(1, {"de": "Frage 1", "en": "Question 1"}, 20, "planned"),
                              (2, {"de": "Frage 2", "en": "Question 2"}, 35, "planned")]
    assert original["rounds"][0][3] == "closed"
    assert "Bürgerforum Nord" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_copy_needs_a_title(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=1)
    response = client.post(f"/organise/events/{made.id}/copy", data={"title": "", "starts_on": "2031-03-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte geben Sie einen Titel ein." in page and 'value="2031-03-01"' in page
    assert event_ids(app) == [made.id]


# Access

def organiser_routes(process_id, event):
    """(method, url, data) of every organiser-only page and action."""
    table, round_ = event.table_ids[0], event.round_ids[0]
    base = f"/organise/events/{event.id}"
    return [
        ("get", f"/organise/processes/{process_id}/edit", None),
        ("post", f"/organise/processes/{process_id}/edit", {"title": "Übernommen"}),
        ("get", f"/organise/processes/{process_id}/events/new", None),
        ("post", f"/organise/processes/{process_id}/events/new", event_data()),
        ("get", f"{base}/edit", None),
        ("post", f"{base}/edit", event_data(title="Übernommen")),
        ("get", f"{base}/copy", None),
        ("post", f"{base}/copy", {"title": "Übernommen"}),
        ("get", f"{base}/tables/new", None),
        ("post", f"{base}/tables/new", {"name": "Übernommen"}),
        ("post", f"{base}/tables/{table}/rename", {f"table-{table}-name": "Übernommen"}),
        ("post", f"{base}/tables/{table}/remove", {}),
        ("get", f"{base}/rounds/new", None),
        ("post", f"{base}/rounds/new", {"question_de": "Übernommen", "duration_minutes": "5"}),
        ("get", f"{base}/rounds/{round_}/edit", None),
        ("post", f"{base}/rounds/{round_}/edit", {"question_de": "Übernommen", "duration_minutes": "5"}),
        ("post", f"{base}/rounds/{round_}/remove", {}),
    ]


def assert_untouched(app, event_id, before):
    assert load_event(app, event_id) == before
    assert event_ids(app) == [event_id]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CafeTable.id))) == len(before["tables"])
        assert "Übernommen" not in {p.title for p in db.session.scalars(db.select(Process))}


def test_an_organiser_of_another_process_is_refused_everywhere(client, app, make, login):
    event = make.event(tables=2, rounds=2)
    other = make.process("Anderer Prozess")
    login(make.user("fremd@example.org", roles=[(other.id, "organiser")]))
    before = load_event(app, event.id)
    for method, url, data in organiser_routes(event.process_id, event):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url)
    assert client.get(f"/organise/events/{event.id}").status_code == 403
    assert_untouched(app, event.id, before)


def test_a_moderator_sees_the_event_but_may_not_change_it(client, app, make, login):
    event = make.event(tables=2, rounds=2)
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    before = load_event(app, event.id)
    for method, url, data in organiser_routes(event.process_id, event):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url)
    assert_untouched(app, event.id, before)

    hub = client.get(f"/organise/events/{event.id}")
    page = hub.get_data(as_text=True)
    assert hub.status_code == 200
    assert "Frage 1" in page and "Tisch 2" in page and event.code in page
    for organiser_only in ("Veranstaltung bearbeiten", "Veranstaltung kopieren", "Plakate drucken",
                           "Runde hinzufügen", "Tisch hinzufügen", "Umbenennen", "entfernen</button>"):
        assert organiser_only not in page
    # the process page is the steering group's; a moderator is not sent there to meet a 403
    assert f'href="/organise/processes/{event.process_id}"' not in page


def test_a_moderator_with_a_seat_in_the_steering_group_opens_events_from_the_process(client, make, login):
    event = make.event(tables=1, rounds=1)
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator"), (event.process_id, "steering")]))
    page = client.get(f"/organise/processes/{event.process_id}").get_data(as_text=True)
    assert f'href="/organise/events/{event.id}"><bdi lang="de" dir="ltr">Bürgerforum</bdi></a>' in page
    assert "Neue Veranstaltung" not in page and "Prozess bearbeiten" not in page


def test_the_steering_group_sees_events_without_links_it_could_not_open(client, make, login):
    event = make.event(tables=1, rounds=1)
    login(make.user("lenkung@example.org", roles=[(event.process_id, "steering")]))
    page = client.get(f"/organise/processes/{event.process_id}").get_data(as_text=True)
    assert "Bürgerforum" in page and f'href="/organise/events/{event.id}"' not in page
