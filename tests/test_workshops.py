"""Workshops bound to an action field (issue 21): the event form binds them, their ideas land in the
field from phones, hosts and the online phase; organisers invite actors of their own register; the
board, the results table and the forum's record say which ideas came from which workshop."""
import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Actor, Contribution, Event, Participant, Process
from tests.exports_helpers import all_text
from tests.test_interpret import phone, post_idea, start_round


@pytest.fixture
def world(app, make, login):
    """Process A with a workshop (two tables, two rounds, languages de and tr) and its organiser logged
    in; process B with its own field and register; a moderator of A."""
    event = make.event(tables=2, rounds=2, languages=("de", "tr"))
    other = make.process("Anderer Prozess")
    organiser = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    make.user("moderation@example.org", roles=[(event.process_id, "moderator")])
    with app.app_context():
        process, elsewhere = db.session.get(Process, event.process_id), db.session.get(Process, other.id)
        field = next(f for f in process.action_fields if f.name["de"] == "Wohnen und Quartier")
        expert = Actor(process_id=process.id, name="Dr. Eva Ort, Stadtplanung", kind="expert", token="t" * 40)
        club = Actor(process_id=process.id, name="Nachbarschaftsverein Ost", kind="association")
        stranger = Actor(process_id=other.id, name="Fremder Verein", kind="association")
        db.session.add_all([expert, club, stranger])
        db.session.commit()
        event.field_id, event.field_name = field.id, field.name["de"]
        event.foreign_field_id = elsewhere.action_fields[0].id
        event.expert_id, event.club_id, event.stranger_id = expert.id, club.id, stranger.id
    login(organiser)
    return event


def _form(**changes):
    return {"title": "Fachworkshop Wohnen", "format": "workshop", "default_language": "de",
            "languages": ["de", "tr"], **changes}


def test_the_event_form_binds_a_field_of_the_process_and_refuses_another_process_s(app, client, world):
    page = client.get(f"/organise/events/{world.id}/edit").get_data(as_text=True)
    assert 'name="action_field_id"' in page and world.field_name in page

    refused = client.post(f"/organise/events/{world.id}/edit", data=_form(action_field_id=world.foreign_field_id))
    assert refused.status_code == 400
    assert "Dieses Handlungsfeld gehört nicht zu diesem Beteiligungsprozess." in refused.get_data(as_text=True)
    nonsense = client.post(f"/organise/events/{world.id}/edit", data=_form(action_field_id="abc"))
    assert nonsense.status_code == 400
    with app.app_context():
        assert db.session.get(Event, world.id).action_field_id is None

    saved = client.post(f"/organise/events/{world.id}/edit", data=_form(action_field_id=world.field_id))
    assert saved.status_code == 303
    hub = client.get(f"/organise/events/{world.id}").get_data(as_text=True)
    assert "Handlungsfeld:" in hub and world.field_name in hub
    with app.app_context():
        assert db.session.get(Event, world.id).action_field_id == world.field_id

    client.post(f"/organise/events/{world.id}/edit", data=_form(action_field_id=""))  # unbound again
    with app.app_context():
        assert db.session.get(Event, world.id).action_field_id is None


def test_a_new_event_is_created_bound_to_a_field(app, client, world):
    created = client.post(f"/organise/processes/{world.process_id}/events/new", data=_form(
        title="Fachworkshop Neu", action_field_id=world.field_id, table_count=1, round_count=1, round_minutes=20))
    assert created.status_code == 303
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(title="Fachworkshop Neu"))
        assert (event.format, event.action_field_id) == ("workshop", world.field_id)
    refused = client.post(f"/organise/processes/{world.process_id}/events/new", data=_form(
        title="Fachworkshop Fremd", action_field_id=world.foreign_field_id, table_count=1, round_count=1,
        round_minutes=20))
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Event).filter_by(title="Fachworkshop Fremd")) is None


def _bind_and_open(app, world, online=True):
    with app.app_context():
        event = db.session.get(Event, world.id)
        event.action_field_id, event.format, event.title = world.field_id, "workshop", "Wohnen und Quartier"
        if online:
            event.online_starts_on, event.online_ends_on = date.today() - timedelta(days=7), date.today() + timedelta(days=7)
        db.session.commit()


def _idea(app, text) -> Contribution:
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=text))
        db.session.expunge(idea)
        return idea


def test_ideas_of_a_bound_event_land_in_its_field_from_phones_hosts_and_online(app, client, world):
    _bind_and_open(app, world)
    start_round(app, world.round_ids[0])
    at_table = phone(app, world.code, 1, "tr")
    post_idea(at_table, world.code, "Kiracılar için danışmanlık", "p1")
    host = client.post(f"/h/{world.host_tokens[1]}/ideas",
                       data={"text": "Hoffest im Sommer\nBänke am Spielplatz", "key": "h" * 20, "language": "de",
                             "round_id": world.round_ids[0]})
    assert host.status_code == 303
    online = app.test_client()
    online.post(f"/j/{world.code}", data={"interface_language": "de", "writing_language": "de"})
    sent = online.post(f"/e/{world.code}/online/ideas",
                       data={"question": world.round_ids[1], "text": "Wohnraumbörse der Stadt", "key": "o1"})
    assert sent.status_code == 303

    for text, origin in (("Kiracılar için danışmanlık", "participant"), ("Hoffest im Sommer", "host"),
                         ("Bänke am Spielplatz", "host"), ("Wohnraumbörse der Stadt", "online")):
        idea = _idea(app, text)
        assert (idea.origin, idea.action_field_id, idea.status, idea.cluster_id) == \
            (origin, world.field_id, "clustered", None), text

    # On the board they stand in the field's column, not among the unsorted ones.
    board = client.get(f"/organise/processes/{world.process_id}/board").get_data(as_text=True)
    column = board.split(f'id="column-field-{world.field_id}"')[1].split('class="board-column"')[0]
    assert all(text in column for text in ("Kiracılar için danışmanlık", "Hoffest im Sommer", "Wohnraumbörse der Stadt"))
    assert "Wohnraumbörse der Stadt" not in board.split('id="column-unsorted"')[1].split('id="column-field-')[0]


def test_an_unbound_event_leaves_its_ideas_unsorted(app, world):
    start_round(app, world.round_ids[0])
    post_idea(phone(app, world.code, 1, "de"), world.code, "Eine Idee ohne Feld", "p1")
    idea = _idea(app, "Eine Idee ohne Feld")
    assert (idea.action_field_id, idea.status) == (None, "new")


def test_organisers_invite_actors_of_their_own_register_only(app, client, world):
    _bind_and_open(app, world, online=False)
    page = client.get(f"/organise/events/{world.id}/invitations").get_data(as_text=True)
    assert page.index("Dr. Eva Ort") < page.index("Nachbarschaftsverein Ost")  # experts first
    assert "Fremder Verein" not in page
    assert "noch keine Online-Phase" in page and f"/organise/events/{world.id}/edit" in page
    assert "Expert·innen einladen" in client.get(f"/organise/events/{world.id}").get_data(as_text=True)

    saved = client.post(f"/organise/events/{world.id}/invitations", data={"actors": [world.expert_id, world.club_id]})
    assert saved.status_code == 303
    page = client.get(saved.location).get_data(as_text=True)
    invited = page.split('id="invited"')[1].split('id="register"')[0]
    assert "Dr. Eva Ort" in invited and "persönlicher Link vorhanden" in invited
    assert "Nachbarschaftsverein Ost" in invited and "noch kein persönlicher Link" in invited

    foreign = client.post(f"/organise/events/{world.id}/invitations",
                          data={"actors": [world.expert_id, world.stranger_id]})
    assert foreign.status_code == 404
    assert "steht nicht im Register dieses Beteiligungsprozesses" in foreign.get_data(as_text=True)
    nonsense = client.post(f"/organise/events/{world.id}/invitations", data={"actors": ["x"]})
    assert nonsense.status_code == 404
    with app.app_context():
        assert {a.id for a in db.session.get(Event, world.id).invited} == {world.expert_id, world.club_id}

    client.post(f"/organise/events/{world.id}/invitations", data={"actors": [world.club_id]})  # unticked
    with app.app_context():
        assert [a.id for a in db.session.get(Event, world.id).invited] == [world.club_id]


def test_moderators_cannot_invite(app, client, world):
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": "moderation@example.org", "password": "correct horse battery"})
    assert client.get(f"/organise/events/{world.id}/invitations").status_code == 403
    assert client.post(f"/organise/events/{world.id}/invitations", data={"actors": [world.expert_id]}).status_code == 403


def _expert_writes_online(app, world, text):
    """The invited expert's phone (as their personal link makes it) writes to the online phase."""
    expert = app.test_client()
    expert.post(f"/j/{world.code}", data={"interface_language": "de", "writing_language": "de"})
    with app.app_context():
        participant = db.session.scalars(db.select(Participant).filter_by(event_id=world.id)
                                         .order_by(Participant.id.desc())).first()
        participant.actor_id = world.expert_id
        db.session.commit()
    assert expert.post(f"/e/{world.code}/online/ideas",
                       data={"question": world.round_ids[0], "text": text, "key": "e1"}).status_code == 303


def test_the_board_names_the_workshop_and_the_expert_and_filters_by_event(app, client, world, make):
    _bind_and_open(app, world)
    _expert_writes_online(app, world, "Lesepatenschaften im Haus")
    cafe = make.event(world.process_id, tables=1, rounds=1)
    start_round(app, cafe.round_ids[0])
    post_idea(phone(app, cafe.code, 1, "de"), cafe.code, "Eine Idee aus dem Café", "c1")

    board = client.get(f"/organise/processes/{world.process_id}/board").get_data(as_text=True)
    expert_card = board.split('id="idea-' + str(_idea(app, "Lesepatenschaften im Haus").uuid))[1].split("</li>")[0]
    assert re.search(r'Workshop: <bdi lang="de" dir="ltr">Wohnen und Quartier</bdi> · von Expert·in', expert_card)
    cafe_card = board.split('id="idea-' + str(_idea(app, "Eine Idee aus dem Café").uuid))[1].split("</li>")[0]
    assert "Workshop:" not in cafe_card and "von Expert·in" not in cafe_card

    assert f'<option value="{world.id}"' in board  # the board's event filter offers the workshop
    only = client.get(f"/organise/processes/{world.process_id}/board", query_string={"event": world.id})
    html = only.get_data(as_text=True)
    assert "Lesepatenschaften im Haus" in html and "Eine Idee aus dem Café" not in html


def test_the_results_table_and_the_record_mark_workshop_and_expert_ideas(app, client, world):
    _bind_and_open(app, world)
    _expert_writes_online(app, world, "Lesepatenschaften im Haus")
    csv_text = all_text("csv", client.get(f"/organise/events/{world.id}/results",
                                          query_string={"format": "csv", "lang": "de"}).data)
    row = next(line for line in csv_text.splitlines() if "Lesepatenschaften im Haus" in line)
    assert "aus der Online-Phase · Workshop: Wohnen und Quartier · von Expert·in" in row
    xlsx_text = all_text("xlsx", client.get(f"/organise/events/{world.id}/results",
                                            query_string={"format": "xlsx", "lang": "de"}).data)
    assert "Workshop: Wohnen und Quartier · von Expert·in" in xlsx_text

    record = client.get(f"/organise/events/{world.id}/record").get_data(as_text=True)
    assert "von Expert·in" in record
    docx_text = all_text("docx", client.get(f"/organise/events/{world.id}/record.docx").data)
    assert "Deutsch · von Expert·in" in docx_text
