"""The live path through HTTP: cheap 304s, revisions per table, one shared fragment per view."""
import re
from uuid import UUID

import pytest
from sqlalchemy import event as sa_event

from app.extensions import db
from app.models import Contribution, Event, Participant
from app.services.cafe import live

JSON = {"Accept": "application/json"}


@pytest.fixture
def event(app, make, client, login):
    """Round 1 of 2 running, three tables; the test client is logged in as the moderator."""
    event = make.event(tables=3, rounds=2, languages=("de", "en"))
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    assert client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start", headers=JSON).status_code == 200
    return event


def phone(app, event, table, nickname="", language="de"):
    client = app.test_client()
    response = client.post(f"/j/{event.code}/{table}", data={"interface_language": language,
                                                              "writing_language": language, "nickname": nickname})
    assert response.status_code == 303
    return client


def post_idea(client, event, text, key):
    response = client.post(f"/e/{event.code}/ideas", data={"text": text, "key": key}, headers=JSON)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["idea"]["uuid"]


def poll(client, event, etag=None):
    return client.get(f"/e/{event.code}/live", headers={"If-None-Match": etag} if etag else {})


class Statements(list):
    """The SQL statements the app runs from now until `stop()`: through SQLAlchemy, and the polls'
    prepared reads, which go to the driver's cursor directly."""

    def __init__(self, app, monkeypatch):
        super().__init__()
        with app.app_context():
            self.engine = db.engine
        sa_event.listen(self.engine, "before_cursor_execute", self.remember)
        rows = live.Prepared.rows

        def counted(prepared, read, **params):
            self.append(str(prepared.statement))
            return rows(prepared, read, **params)

        monkeypatch.setattr(live.Prepared, "rows", counted)

    def remember(self, _connection, _cursor, statement, *_args):
        self.append(statement)

    def stop(self):
        sa_event.remove(self.engine, "before_cursor_execute", self.remember)


def test_an_unchanged_poll_is_a_304_after_one_read_without_the_session(app, event, monkeypatch):
    ada = phone(app, event, 1)
    first = poll(ada, event)
    assert first.status_code == 200
    run = Statements(app, monkeypatch)
    try:
        again = poll(ada, event, first.headers["ETag"])
    finally:
        run.stop()
    assert again.status_code == 304 and again.data == b""
    assert len(run) == 1  # one indexed read of three revisions
    assert "Set-Cookie" not in again.headers  # the session was never opened


def test_an_idea_at_one_table_leaves_the_other_tables_phones_on_304(app, event):
    ada, ben, cem = phone(app, event, 1), phone(app, event, 1), phone(app, event, 2)
    etags = {name: poll(client, event).headers["ETag"] for name, client in (("ada", ada), ("ben", ben), ("cem", cem))}
    post_idea(ada, event, "Ein Sprachcafé in der Bücherei", "a1")
    assert poll(cem, event, etags["cem"]).status_code == 304  # table 2 saw nothing
    changed = poll(ben, event, etags["ben"])
    assert changed.status_code == 200 and changed.get_json()["table"]["idea_count"] == 1
    assert changed.headers["ETag"] != etags["ben"]


def test_the_fragment_is_shared_by_the_table_and_only_the_own_ideas_differ(app, event):
    ada, ben = phone(app, event, 1, "Ada"), phone(app, event, 1, "Ben")
    ada_idea = post_idea(ada, event, "Patenschaften für Neuzugezogene", "a1")
    ben_idea = post_idea(ben, event, "Ein Willkommensfest im Park", "b1")
    ada_state, ben_state = poll(ada, event).get_json(), poll(ben, event).get_json()
    assert ada_state["fragment_url"] == ben_state["fragment_url"]
    assert (ada_state["own"], ben_state["own"]) == ([ada_idea], [ben_idea])
    for key in ("vote_state", "accepting_ideas", "round", "table"):
        assert ada_state[key] == ben_state[key]
    url = ada_state["fragment_url"]
    first, second = ada.get(url), ben.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data  # byte for byte, whoever asks
    assert "Set-Cookie" not in second.headers  # the second answer is the kept one, no phone's cookie in it
    html = first.get_data(as_text=True)
    assert "Patenschaften für Neuzugezogene" in html and "Ein Willkommensfest im Park" in html
    assert "idea-own" not in html and "Ihre Idee" not in html.replace('data-own-label="Ihre Idee"', "")
    assert f'data-idea="{ada_idea}"' in html and f'data-idea="{ben_idea}"' in html


def test_a_phone_never_gets_another_ones_delete_form(app, event):
    ada, ben = phone(app, event, 1, "Ada"), phone(app, event, 1, "Ben")
    ada_idea = post_idea(ada, event, "Mehr Bänke an der Ruhr", "a1")
    delete = f"/e/{event.code}/ideas/{ada_idea}/delete"
    shared = ben.get(poll(ben, event).get_json()["fragment_url"]).get_data(as_text=True)
    assert "<form" not in shared and delete not in shared
    for page in (ben.get(f"/e/{event.code}"), ben.get(f"/e/{event.code}/fragment")):
        assert delete not in page.get_data(as_text=True)
    assert poll(ben, event).get_json()["own"] == []
    assert delete in ada.get(f"/e/{event.code}/fragment").get_data(as_text=True)
    assert ben.post(delete).status_code == 404  # and the server refuses it anyway
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Contribution.id))) == 1


def test_a_change_makes_a_new_fragment_url_with_the_new_content(app, event):
    ada, ben = phone(app, event, 1), phone(app, event, 1)
    before = poll(ada, event).get_json()["fragment_url"]
    assert ada.get(before).status_code == 200  # kept by the gate from now on
    post_idea(ben, event, "Ein Repair-Café im Rathaus", "b1")
    after = poll(ada, event).get_json()["fragment_url"]
    assert after != before
    assert "Ein Repair-Café im Rathaus" in ada.get(after).get_data(as_text=True)


def test_a_made_up_or_foreign_tag_is_refused(app, event, client):
    ada = phone(app, event, 1)
    state = poll(ada, event)
    url = state.get_json()["fragment_url"]
    forged = re.sub(r"t(\d+)-(\d+)", lambda m: f"t{m.group(1)}-{int(m.group(2)) + 5}", url)
    assert ada.get(forged).status_code == 404
    assert ada.get(url.replace("/view/de/", "/view/xx/")).status_code == 404
    # A phone's tag is no tag of the console's URL, and a changed tag is no tag at all.
    console = client.get(f"/moderate/events/{event.id}/live", headers={"If-None-Match": state.headers["ETag"]})
    assert console.status_code == 200
    tampered = state.headers["ETag"].replace("p", "P", 1)
    assert poll(ada, event, tampered).status_code == 200


def test_phones_see_rounds_moves_translations_and_the_vote(app, event, client):
    ada, ben, cem = phone(app, event, 1, "Ada"), phone(app, event, 2, "Ben"), phone(app, event, 2, "Cem", "en")
    idea = post_idea(ben, event, "Ein Sprachcafé in der Bücherei", "b1")
    etags = {}

    def snapshot():
        for name, who in (("ada", ada), ("ben", ben), ("cem", cem)):
            etags[name] = poll(who, event).headers["ETag"]

    def changed():
        return {name for name, who in (("ada", ada), ("ben", ben), ("cem", cem))
                if poll(who, event, etags[name]).status_code == 200}

    snapshot()
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/extend", data={"minutes": 5}, headers=JSON)
    assert changed() == {"ada", "ben", "cem"}  # every phone counts down to the new end

    snapshot()
    with app.app_context():
        idea_id = db.session.scalar(db.select(Contribution.id).filter_by(uuid=UUID(idea)))
    host = app.test_client()
    response = host.post(f"/h/{event.host_tokens[1]}/ideas/{idea}/translation",
                         data={f"translation-{idea_id}-language": "en", f"translation-{idea_id}-text": "A language café"})
    assert response.status_code == 303
    assert changed() == {"ben", "cem"}  # table 2 only
    english = cem.get(poll(cem, event).get_json()["fragment_url"]).get_data(as_text=True)
    assert "A language café" in english and 'lang="en"' in english

    snapshot()
    with app.app_context():
        ada_id = db.session.scalar(db.select(Participant.id).filter_by(nickname="Ada"))
    client.post(f"/moderate/events/{event.id}/rotation/rounds/{event.round_ids[0]}/move",
                data={"participant": ada_id, "table": event.table_ids[2]})
    assert "ada" in changed()
    moved = poll(ada, event).get_json()
    assert moved["table"]["number"] == 3

    snapshot()
    assert client.post(f"/moderate/events/{event.id}/vote/open", data={"dots": 5, "max_per_idea": 2},
                       headers=JSON).status_code == 200
    assert changed() == {"ada", "ben", "cem"}
    assert poll(ada, event).get_json()["vote_state"] == "open"

    snapshot()
    assert client.post(f"/moderate/events/{event.id}/next", data={"confirmed": "1"}, headers=JSON).status_code == 200
    assert changed() == {"ada", "ben", "cem"}
    assert poll(ben, event).get_json()["round"]["number"] == 2


def test_a_dot_changes_the_projector_but_no_phone(app, event, client):
    ada = phone(app, event, 1)
    idea = post_idea(ada, event, "Ein Sprachcafé in der Bücherei", "a1")
    client.post(f"/moderate/events/{event.id}/vote/open", data={"dots": 5, "max_per_idea": 2}, headers=JSON)
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    projector = app.test_client()
    projector_etag = projector.get(f"/p/{token}/live").headers["ETag"]
    etag = poll(ada, event).headers["ETag"]
    assert ada.post(f"/e/{event.code}/vote/{idea}/give", headers=JSON).status_code == 200
    assert poll(ada, event, etag).status_code == 304
    assert projector.get(f"/p/{token}/live", headers={"If-None-Match": projector_etag}).status_code == 200


def test_the_console_304_is_one_read(app, event, client, monkeypatch):
    etag = client.get(f"/moderate/events/{event.id}/live").headers["ETag"]
    run = Statements(app, monkeypatch)
    try:
        again = client.get(f"/moderate/events/{event.id}/live", headers={"If-None-Match": etag})
    finally:
        run.stop()
    assert again.status_code == 304 and len(run) == 1


def test_a_poll_answered_before_flask_says_what_the_route_says(app, event, request):
    ada = phone(app, event, 1, "Ada", "uk")
    post_idea(ada, event, "Мовне кафе в бібліотеці", "a1")
    by_gate = poll(ada, event)  # makes and keeps the shared parts itself
    request.getfixturevalue("polls_to_flask")
    by_route = poll(ada, event)
    assert "Set-Cookie" in by_route.headers and "Set-Cookie" not in by_gate.headers  # the gate answered
    assert by_gate.headers["ETag"] == by_route.headers["ETag"]
    first, second = by_route.get_json(), by_gate.get_json()
    for moving in ("server_time", "round"):
        first.pop(moving), second.pop(moving)
    assert first == second and "/view/uk/" in first["fragment_url"]


def test_the_page_names_the_view_its_first_poll_names(app, event):
    """So the small JS fetches no fragment while nothing changed since the page was made."""
    for language in ("de", "ar"):
        who = phone(app, event, 2, language=language)
        page = who.get(f"/e/{event.code}").get_data(as_text=True)
        view = re.search(r'data-view="([^"]+)"', page).group(1)
        assert view == poll(who, event).get_json()["fragment_url"]
        assert f"/view/{language}/" in view
