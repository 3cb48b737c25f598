"""The participant's journey through HTTP: join, sit, write, follow live, come back, leave."""
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Participant, Round, Seat
from app.models.base import utcnow


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    start_round(app, event.round_ids[0])
    return event


def start_round(app, round_id, minutes=20):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = round_.started_at + timedelta(minutes=minutes)
        round_.event.revision += 1
        db.session.commit()


def close_round(app, round_id):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.state = "closed"
        round_.event.revision += 1
        db.session.commit()


def join(client, code, table=None, **choices):
    """Join by a table's QR URL (`table`), or by the event code, picking a table in the form."""
    data = {"interface_language": "de", "writing_language": "de", **choices}
    url = f"/j/{code}/{table}" if table else f"/j/{code}"
    return client.post(url, data=data)


def post_idea(client, code, text, key="k-1", **extra):
    return client.post(f"/e/{code}/ideas", data={"text": text, "key": key, **extra},
                       headers={"Accept": "application/json"})


def count(app, model, **filters):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


def test_join_page_by_code_is_case_insensitive(client, event):
    response = client.get(f"/j/{event.code.lower()}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mitmachen" in page and event.code in page
    assert f"/e/{event.code}/qr.svg" in page  # the neighbour can scan it from this screen


def test_unknown_code_is_a_friendly_404_with_the_code_box_to_type_it_again(client, event):
    response = client.get("/join?code=zzzzzz", follow_redirects=True)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "keine Veranstaltung" in page
    form = re.search(r'<form method="get" action="/join"[^>]*>.*?</form>', page, re.S)
    assert form and 'value="ZZZZZZ"' in form.group(0) and "Code vom Plakat" in form.group(0)
    # Typed again, right this time: the join page.
    assert client.get(f"/join?code={event.code}", follow_redirects=True).status_code == 200
    # Other 404s have no code box; the JSON answer is unchanged.
    assert 'action="/join"' not in client.get(f"/j/{event.code}/99").get_data(as_text=True)
    assert client.get("/j/ZZZZZZ", headers={"Accept": "application/json"}).get_json()["status"] == 404


def test_start_page_code_box_leads_to_the_join_page(client, event):
    response = client.get(f"/join?code= {event.code.lower()} ")
    assert response.headers["Location"].endswith(f"/j/{event.code}")


def test_join_by_table_qr_seats_at_that_table(client, app, event):
    response = join(client, event.code, table=2)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/e/{event.code}")
    with app.app_context():
        seat = db.session.scalar(db.select(Seat))
        assert seat.table_id == event.table_ids[1] and seat.round_id == event.round_ids[0]
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert "Tisch 2" in page and "Frage 1" in page


def test_join_by_event_code_lets_them_pick_a_table(client, app, event):
    page = client.get(f"/j/{event.code}").get_data(as_text=True)
    assert "An welchem Tisch sitzen Sie?" in page
    client.post(
        f"/j/{event.code}", data={"interface_language": "de", "writing_language": "de", "table": "3"})
    with app.app_context():
        assert db.session.scalar(db.select(Seat)).table_id == event.table_ids[2]


def test_join_by_event_code_preselects_no_table(client, app, event):
    page = client.get(f"/j/{event.code}").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?[^>]*>([^<]*)</option>', page.split('name="table"')[1])
    assert options[0][0] == "0" and options[0][2] == "Bitte Tisch wählen"
    assert not any(selected for _value, selected, _label in options)  # the browser shows the first: no table
    client.post(f"/j/{event.code}", data={"interface_language": "de", "writing_language": "de", "table": "0"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Seat.id))) == 0
    assert "An welchem Tisch sitzen Sie?" in client.get(f"/e/{event.code}").get_data(as_text=True)


def test_the_table_page_lists_the_phones_own_ideas_first_newest_on_top(client, app, event):
    neighbour = app.test_client()
    join(neighbour, event.code, table=1)
    join(client, event.code, table=1)
    post_idea(neighbour, event.code, "Erst der Nachbar", key="n1")
    post_idea(client, event.code, "Meine erste", key="m1")
    post_idea(neighbour, event.code, "Dann wieder der Nachbar", key="n2")
    post_idea(client, event.code, "Meine zweite", key="m2")
    def order(page):  # the four texts as the list shows them (a missing one fails the test)
        ideas = page.split('id="ideas"')[1].split("</ul>")[0]
        return sorted(("Meine zweite", "Meine erste", "Erst der Nachbar", "Dann wieder der Nachbar"), key=ideas.index)
    assert order(client.get(f"/e/{event.code}").get_data(as_text=True)) == [
        "Meine zweite", "Meine erste", "Erst der Nachbar", "Dann wieder der Nachbar"]
    assert order(client.get(f"/e/{event.code}/fragment").get_data(as_text=True)) == [
        "Meine zweite", "Meine erste", "Erst der Nachbar", "Dann wieder der Nachbar"]
    assert order(neighbour.get(f"/e/{event.code}").get_data(as_text=True)) == [
        "Dann wieder der Nachbar", "Erst der Nachbar", "Meine erste", "Meine zweite"]


def test_before_round_one_the_seat_is_for_round_one(client, app, make):
    event = make.event(tables=2, rounds=2)  # nothing started yet
    join(client, event.code, table=1)
    with app.app_context():
        assert db.session.scalar(db.select(Seat)).round_id == event.round_ids[0]
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert "beginnt gleich" in page
    assert 'id="idea-form"' in page and "hidden" in page.split('id="idea-form"')[1].split(">")[0]


def test_joining_twice_from_one_phone_is_one_participant(client, app, event):
    join(client, event.code, table=1)
    join(client, event.code, table=2, nickname="Mira")
    assert count(app, Participant) == 1
    with app.app_context():
        participant = db.session.scalar(db.select(Participant))
        assert participant.nickname == "Mira"
        assert db.session.scalar(db.select(Seat)).table_id == event.table_ids[1]


def test_join_remembers_the_chosen_languages(client, app, event):
    response = join(client, event.code, table=1, interface_language="ar", writing_language="tr")
    assert "lang=ar" in response.headers["Set-Cookie"]
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    post_idea(client, event.code, "Türkçe kurs")
    with app.app_context():
        assert db.session.scalar(db.select(Contribution)).language == "tr"


def test_submit_is_idempotent(client, app, event):
    join(client, event.code, table=1)
    first = post_idea(client, event.code, "Ein Sprachcafé in der Stadtbücherei", key="same")
    again = post_idea(client, event.code, "Ein Sprachcafé in der Stadtbücherei", key="same")
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["idea"]["uuid"] == again.get_json()["idea"]["uuid"]
    assert count(app, Contribution) == 1


def test_plain_form_submit_redirects_and_shows_the_idea(client, event):
    join(client, event.code, table=1)
    response = client.post(f"/e/{event.code}/ideas", data={"text": "Patenschaften für Familien", "key": "a"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Ihre Idee ist gespeichert" in page and "Patenschaften für Familien" in page


@pytest.mark.parametrize("text, message", [
    ("", "Bitte schreiben Sie zuerst Ihre Idee."),
    ("   \n\t ", "Bitte schreiben Sie zuerst Ihre Idee."),
    ("x" * 501, "höchstens 500 Zeichen"),
])
def test_bad_ideas_are_refused_with_a_message_and_kept(client, app, event, text, message):
    join(client, event.code, table=1)
    response = client.post(f"/e/{event.code}/ideas", data={"text": text, "key": "b"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    if text.strip():
        assert text in page  # what was typed is still in the box
    assert post_idea(client, event.code, text, key="c").get_json()["error"]
    assert count(app, Contribution) == 0


def test_validation_messages_are_translated(client, event):
    join(client, event.code, table=1, interface_language="en")
    response = post_idea(client, event.code, "x" * 600)
    assert "at most 500 characters" in response.get_json()["error"]


def test_form_is_closed_while_no_round_runs(client, app, event):
    join(client, event.code, table=1)
    close_round(app, event.round_ids[0])
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert "beginnt gleich" in page  # round 2 is next
    response = post_idea(client, event.code, "Zu spät", key="late-new")
    assert response.status_code == 409 and "keine Runde" in response.get_json()["error"]


def test_an_idea_typed_before_the_round_closed_still_lands_in_it(client, app, event):
    join(client, event.code, table=1)
    close_round(app, event.round_ids[0])
    response = post_idea(client, event.code, "Offline geschrieben", key="offline-1", round_id=str(event.round_ids[0]))
    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(Contribution)).round_id == event.round_ids[0]


def test_ideas_attach_to_the_running_round_and_the_participants_table(client, app, event):
    join(client, event.code, table=3)
    post_idea(client, event.code, "Mehr Bänke an der Ruhr")
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        assert (idea.round_id, idea.table_id, idea.origin) == (event.round_ids[0], event.table_ids[2], "participant")


def test_live_state_and_304(client, event):
    join(client, event.code, table=1)
    first = client.get(f"/e/{event.code}/live")
    assert first.status_code == 200
    state = first.get_json()
    assert state["round"]["number"] == 1 and state["round"]["state"] == "running"
    assert 0 < state["round"]["seconds_left"] <= 20 * 60
    assert state["table"] == {"number": 1, "name": "", "idea_count": 0}
    etag = first.headers["ETag"]
    unchanged = client.get(f"/e/{event.code}/live", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    post_idea(client, event.code, "Neue Idee")
    changed = client.get(f"/e/{event.code}/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["table"]["idea_count"] == 1
    assert changed.headers["ETag"] != etag and changed.get_json()["fragment_url"] != state["fragment_url"]


def test_live_state_is_the_same_from_a_second_app_instance(client, event, other_app):
    """No per-process memory: another worker (another app object) answers alike."""
    join(client, event.code, table=1)
    etag = client.get(f"/e/{event.code}/live").headers["ETag"]
    other = other_app().test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    assert other.get(f"/e/{event.code}/live", headers={"If-None-Match": etag}).status_code == 304


def test_fragment_shows_the_tables_ideas(client, event):
    join(client, event.code, table=1)
    post_idea(client, event.code, "Hausaufgabenhilfe")
    fragment = client.get(f"/e/{event.code}/fragment").get_data(as_text=True)
    assert "Hausaufgabenhilfe" in fragment and "<html" not in fragment


def test_participant_sees_only_their_own_table(app, event):
    alice, bob = app.test_client(), app.test_client()
    join(alice, event.code, table=1)
    join(bob, event.code, table=2)
    post_idea(alice, event.code, "Idee von Tisch eins", key="a1")
    assert "Idee von Tisch eins" not in bob.get(f"/e/{event.code}").get_data(as_text=True)
    assert "Idee von Tisch eins" in alice.get(f"/e/{event.code}").get_data(as_text=True)


def test_a_participant_of_one_event_cannot_read_or_post_into_another(app, make, event):
    other = make.event(tables=2, rounds=1)
    start_round(app, other.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    assert phone.get(f"/e/{other.code}/live").status_code == 403
    assert phone.get(f"/e/{other.code}/fragment").status_code == 403
    assert post_idea(phone, other.code, "Eindringling").status_code == 403
    assert phone.get(f"/e/{other.code}").headers["Location"].endswith(f"/j/{other.code}")
    assert count(app, Contribution) == 0


def test_a_posted_table_or_round_of_another_event_is_ignored(app, make, event):
    other = make.event(tables=2, rounds=1)
    start_round(app, other.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    response = post_idea(phone, event.code, "Bleibt bei uns", round_id=str(other.round_ids[0]),
                         table_id=str(other.table_ids[0]))
    assert response.status_code == 201
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        assert (idea.event_id, idea.round_id, idea.table_id) == (event.id, event.round_ids[0], event.table_ids[0])


def test_return_link_shows_my_ideas_and_wrong_token_is_404(app, client, event):
    join(client, event.code, table=2)
    post_idea(client, event.code, "Willkommensmappe in vielen Sprachen")
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    link = re.search(r'href="(/r/[^"]+)"', page).group(1)
    other_phone = app.test_client()
    mine = other_phone.get(link).get_data(as_text=True)
    assert "Willkommensmappe in vielen Sprachen" in mine and "Tisch 2" in mine and "Runde 1" in mine
    assert "Eingegangen" in mine
    assert app.test_client().get("/r/not-a-real-token").status_code == 404


def test_delete_own_idea_while_the_round_is_open_only(client, app, event):
    join(client, event.code, table=1)
    uuid = post_idea(client, event.code, "Doch nicht").get_json()["idea"]["uuid"]
    assert client.post(f"/e/{event.code}/ideas/{uuid}/delete").status_code == 303
    assert count(app, Contribution) == 0
    uuid = post_idea(client, event.code, "Bleibt", key="k-2").get_json()["idea"]["uuid"]
    close_round(app, event.round_ids[0])
    assert client.post(f"/e/{event.code}/ideas/{uuid}/delete").status_code == 409
    assert count(app, Contribution) == 1


def test_nobody_deletes_another_participants_idea(app, event):
    alice, bob = app.test_client(), app.test_client()
    join(alice, event.code, table=1)
    join(bob, event.code, table=1)
    uuid = post_idea(alice, event.code, "Von Alice").get_json()["idea"]["uuid"]
    assert bob.post(f"/e/{event.code}/ideas/{uuid}/delete").status_code == 404
    assert count(app, Contribution) == 1


@pytest.mark.parametrize("choice, ideas_left", [("keep", 1), ("delete", 0)])
def test_leaving_keeps_ideas_anonymously_or_deletes_them(client, app, event, choice, ideas_left):
    join(client, event.code, table=1)
    post_idea(client, event.code, "Meine Idee")
    with app.app_context():
        token = db.session.scalar(db.select(Participant)).token
    refused = client.post(f"/r/{token}/leave", data={"keep_ideas": choice})
    assert refused.status_code == 400 and count(app, Participant) == 1  # not confirmed
    response = client.post(f"/r/{token}/leave", data={"keep_ideas": choice, "confirm": "y"})
    assert response.status_code == 303
    assert count(app, Participant) == 0 and count(app, Contribution) == ideas_left
    if ideas_left:
        with app.app_context():
            assert db.session.scalar(db.select(Contribution)).participant_id is None
    assert client.get(f"/r/{token}").status_code == 404


def test_event_default_language_serves_phones_in_unshipped_languages(client, make):
    event = make.event(tables=1, rounds=1, default_language="en", languages=("en", "de"))
    page = client.get(f"/j/{event.code}", headers={"Accept-Language": "so"}).get_data(as_text=True)
    assert '<html lang="en"' in page


def test_question_falls_back_to_german_and_says_so(client, app, event):
    join(client, event.code, table=1, interface_language="ar")
    page = client.get(f"/e/{event.code}").get_data(as_text=True)
    assert 'lang="de"' in page and "Frage 1" in page
    assert "بالألمانية" in page  # the note that the question is shown in German


def test_offline_resend_gets_a_fresh_csrf_token(app, make, other_app):
    """With CSRF on: a token from the csrf endpoint lets a kept idea through."""
    event = make.event(tables=1, rounds=1)
    start_round(app, event.round_ids[0])
    strict = other_app(WTF_CSRF_ENABLED=True).test_client()
    page = strict.get(f"/j/{event.code}/1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    strict.post(f"/j/{event.code}/1", data={"csrf_token": token, "interface_language": "de", "writing_language": "de"})
    refused = strict.post(f"/e/{event.code}/ideas", data={"text": "Ohne Token", "key": "x"},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 400
    fresh = strict.get(f"/e/{event.code}/csrf").get_json()["csrf_token"]
    accepted = strict.post(f"/e/{event.code}/ideas", data={"text": "Mit Token", "key": "x"},
                           headers={"Accept": "application/json", "X-CSRFToken": fresh})
    assert accepted.status_code == 201
