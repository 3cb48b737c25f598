"""Organisers set up an event's tables and rounds: added, renamed, removed, questions in each
language; what a started event keeps. Each change is checked in the database."""
import re

from tests.test_organise import load_event, organiser, set_round_state  # noqa: F401  (organiser is a fixture)

# Tables

def test_tables_are_added_renamed_and_removed_before_the_event(client, app, make, organiser):
    made = make.event(organiser.id, tables=3, rounds=2)
    tokens = set(made.host_tokens)

    response = client.post(f"/organise/events/{made.id}/tables/{made.table_ids[1]}/remove")
    assert response.status_code == 303
    assert [n for n, _name, _t in load_event(app, made.id)["tables"]] == [1, 3]
    assert "Tisch 2 wurde entfernt." in client.get(response.headers["Location"]).get_data(as_text=True)

    # the free number is used again, with a new host link
    assert "Tisch hinzufügen" in client.get(f"/organise/events/{made.id}/tables/new").get_data(as_text=True)
    response = client.post(f"/organise/events/{made.id}/tables/new", data={"name": "am Fenster"})
    assert response.status_code == 303
    client.post(f"/organise/events/{made.id}/tables/new", data={"name": ""})
    tables = load_event(app, made.id)["tables"]
    assert [(n, name) for n, name, _t in tables] == [(1, ""), (2, "am Fenster"), (3, ""), (4, "")]
    assert not {t for n, _name, t in tables if n in (2, 4)} & tokens

    response = client.post(f"/organise/events/{made.id}/tables/{made.table_ids[0]}/rename",
                           data={f"table-{made.table_ids[0]}-name": "  an der Bühne "})
    assert response.status_code == 303
    assert load_event(app, made.id)["tables"][0][:2] == (1, "an der Bühne")
    hub = client.get(f"/organise/events/{made.id}").get_data(as_text=True)
    assert "an der Bühne" in hub and "am Fenster" in hub


def test_a_too_long_table_name_keeps_the_typed_name(client, app, make, organiser):
    made = make.event(organiser.id, tables=2, rounds=1)
    long_name = "Tisch am großen Fenster " * 6
    table_id = made.table_ids[1]
    response = client.post(f"/organise/events/{made.id}/tables/{table_id}/rename",
                           data={f"table-{table_id}-name": long_name})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Höchstens 120 Zeichen." in page and f'value="{long_name}"' in page
    assert load_event(app, made.id)["tables"][1][1] == ""


def test_tables_stay_once_a_round_has_started_but_may_be_renamed(client, app, make, organiser):
    made = make.event(organiser.id, tables=3, rounds=2)
    set_round_state(app, made.round_ids[0], "running")
    before = load_event(app, made.id)["tables"]

    response = client.post(f"/organise/events/{made.id}/tables/{made.table_ids[2]}/remove")
    assert response.status_code == 409
    assert "solange noch keine Runde lief" in response.get_data(as_text=True)
    response = client.post(f"/organise/events/{made.id}/tables/new", data={"name": "Neu"})
    assert response.status_code == 409
    assert "solange noch keine Runde lief" in response.get_data(as_text=True)
    assert load_event(app, made.id)["tables"] == before

    hub = client.get(f"/organise/events/{made.id}").get_data(as_text=True)
    assert "entfernen</button>" not in hub and f"/organise/events/{made.id}/tables/new" not in hub
    response = client.post(f"/organise/events/{made.id}/tables/{made.table_ids[2]}/rename",
                           data={f"table-{made.table_ids[2]}-name": "an der Theke"})
    assert response.status_code == 303
    assert load_event(app, made.id)["tables"][2][1] == "an der Theke"


def test_a_table_of_another_event_is_not_found(client, app, make, organiser):
    ours, theirs = make.event(organiser.id, tables=1, rounds=1), make.event(organiser.id, tables=1, rounds=1)
    response = client.post(f"/organise/events/{ours.id}/tables/{theirs.table_ids[0]}/remove")
    assert response.status_code == 404
    response = client.get(f"/organise/events/{ours.id}/rounds/{theirs.round_ids[0]}/edit")
    assert response.status_code == 404
    assert len(load_event(app, theirs.id)["tables"]) == 1


# Rounds

def test_organiser_writes_the_question_in_each_language(client, app, make, organiser):
    made = make.event(organiser.id, tables=2, rounds=2, languages=("de", "ar", "en"))
    round_id = made.round_ids[0]
    page = client.get(f"/organise/events/{made.id}/rounds/{round_id}/edit").get_data(as_text=True)
    labels = re.findall(r'<label dir="(\w+)" for="question_(\w+)" lang="\w+">([^<]+)</label>', page)
    assert labels == [("ltr", "de", "Deutsch"), ("rtl", "ar", "العربية"), ("ltr", "en", "English")]
    assert "Frage 1" in page and re.search(r'id="duration_minutes"[^>]*value="20"', page)

    revision = load_event(app, made.id)["revision"]
    response = client.post(f"/organise/events/{made.id}/rounds/{round_id}/edit", data={
        "question_de": " Was brauchen Neue in Herdecke? ", "question_ar": "ماذا يحتاج القادمون الجدد؟",
        "question_en": "", "duration_minutes": "30"})
    assert response.status_code == 303
    event = load_event(app, made.id)
    assert event["rounds"][0] == (1, {"de": "Was brauchen Neue in Herdecke?", "ar": "ماذا يحتاج القادمون الجدد؟"},
                                  30, "planned")
    assert event["revision"] > revision
    hub = client.get(f"/organise/events/{made.id}").get_data(as_text=True)
    assert "Was brauchen Neue in Herdecke?" in hub and "30 Minuten" in hub


def test_round_form_errors_keep_the_typed_question(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=1)
    response = client.post(f"/organise/events/{made.id}/rounds/{made.round_ids[0]}/edit", data={
        "question_de": "Meine neue Frage", "question_en": "x" * 1001, "duration_minutes": "300"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Höchstens 1000 Zeichen." in page and "Bitte geben Sie eine Zahl von 1 bis 240 ein." in page
    assert "Meine neue Frage" in page and 'value="300"' in page
    assert load_event(app, made.id)["rounds"][0][1:3] == ({"de": "Frage 1", "en": "Question 1"}, 20)


def test_a_running_round_keeps_its_duration_but_its_question_may_be_corrected(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=2)
    round_id = made.round_ids[0]
    set_round_state(app, round_id, "running")
    page = client.get(f"/organise/events/{made.id}/rounds/{round_id}/edit").get_data(as_text=True)
    assert 'id="duration_minutes"' not in page and re.search(r"Dauer:\s+20 Minuten", page)
    assert "entfernen</button>" not in page

    revision = load_event(app, made.id)["revision"]
    response = client.post(f"/organise/events/{made.id}/rounds/{round_id}/edit",
                           data={"question_de": "Frage eins", "question_en": "Question one"})
    assert response.status_code == 303
    event = load_event(app, made.id)
    assert event["rounds"][0] == (1, {"de": "Frage eins", "en": "Question one"}, 20, "running")
    assert event["revision"] == revision + 1

    # a form sent with a new duration just as the round began is refused, not half saved
    response = client.post(f"/organise/events/{made.id}/rounds/{round_id}/edit",
                           data={"question_de": "Frage EINS", "question_en": "Question one", "duration_minutes": "5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Die Dauer lässt sich nur ändern, solange die Runde geplant ist." in page and "Frage EINS" in page
    assert load_event(app, made.id)["rounds"][0] == (1, {"de": "Frage eins", "en": "Question one"}, 20, "running")


def test_rounds_are_added_and_planned_ones_removed(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=3)
    page = client.get(f"/organise/events/{made.id}/rounds/new").get_data(as_text=True)
    assert "Neue Runde" in page and 'id="question_de"' in page

    response = client.post(f"/organise/events/{made.id}/rounds/new",
                           data={"question_de": "Wer packt mit an?", "question_en": "", "duration_minutes": "15"})
    assert response.status_code == 303
    assert load_event(app, made.id)["rounds"][3] == (4, {"de": "Wer packt mit an?"}, 15, "planned")

    response = client.post(f"/organise/events/{made.id}/rounds/{made.round_ids[1]}/remove")
    assert response.status_code == 303
    rounds = load_event(app, made.id)["rounds"]
    # the rounds after it move up, so the numbers stay 1, 2, 3
    assert [(n, q.get("de")) for n, q, _d, _s in rounds] == [
        (1, "Frage 1"), (2, "Frage 3"), (3, "Wer packt mit an?")]


def test_a_round_that_ran_is_not_removed(client, app, make, organiser):
    made = make.event(organiser.id, tables=1, rounds=2)
    for round_id, state in zip(made.round_ids, ("closed", "running")):
        set_round_state(app, round_id, state)
        response = client.post(f"/organise/events/{made.id}/rounds/{round_id}/remove")
        assert response.status_code == 409
        assert "Nur geplante Runden lassen sich entfernen." in response.get_data(as_text=True)
    assert [state for _n, _q, _d, state in load_event(app, made.id)["rounds"]] == ["closed", "running"]
