"""Dot voting through HTTP: the moderator opens and closes it, phones give and take back dots."""
import threading
import uuid as uuid_mod
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Event, Round, Vote
from app.models.base import utcnow
from app.services.cafe import voting

JSON = {"Accept": "application/json"}


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = round_.started_at + timedelta(minutes=20)
        db.session.commit()
    return event


@pytest.fixture
def moderator(client, make, login, event):
    user = make.user("moderation@example.org", roles=[(event.process_id, "moderator")])
    login(user)
    return user


def join(phone, code, table=1):
    response = phone.post(f"/j/{code}/{table}", data={"interface_language": "de", "writing_language": "de"})
    assert response.status_code == 303
    return phone


def ideas_from(phone, code, *texts):
    """The ideas' UUIDs, posted from `phone` (which has joined)."""
    uuids = []
    for n, text in enumerate(texts):
        response = phone.post(f"/e/{code}/ideas", data={"text": text, "key": f"{text}-{n}"}, headers=JSON)
        assert response.status_code == 201, response.get_json()
        uuids.append(response.get_json()["idea"]["uuid"])
    return uuids


def open_vote(client, event, dots=5, max_per_idea=3, headers=JSON):
    return client.post(f"/moderate/events/{event.id}/vote/open",
                       data={"dots": str(dots), "max_per_idea": str(max_per_idea)}, headers=headers)


def close_vote(client, event, headers=JSON):
    return client.post(f"/moderate/events/{event.id}/vote/close", headers=headers)


def give(phone, code, uuid, headers=JSON):
    return phone.post(f"/e/{code}/vote/{uuid}/give", headers=headers)


def take_back(phone, code, uuid, headers=JSON):
    return phone.post(f"/e/{code}/vote/{uuid}/take-back", headers=headers)


def vote_count(app, **filters):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Vote.id)).filter_by(**filters))


def event_row(app, event):
    with app.app_context():
        row = db.session.get(Event, event.id)
        db.session.expunge(row)
        return row


def idea_id(app, uuid):
    with app.app_context():
        return db.session.scalar(db.select(Contribution.id).where(Contribution.uuid == uuid_mod.UUID(uuid)))


@pytest.fixture
def phone(app, event):
    return join(app.test_client(), event.code)


@pytest.fixture
def ideas(phone, event):
    return ideas_from(phone, event.code, "Sprachcafé in der Bücherei", "Patenschaften", "Mehr Bänke an der Ruhr")


# The moderator

def test_moderator_opens_and_closes_the_vote(app, client, event, moderator):
    before = event_row(app, event).revision
    response = open_vote(client, event, dots=7, max_per_idea=2)
    assert response.status_code == 200 and response.get_json() == {"vote_state": "open"}
    row = event_row(app, event)
    assert (row.vote_state, row.vote_dots, row.vote_max_per_idea) == ("open", 7, 2)
    assert row.revision > before
    assert "Abstimmung beenden" in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert open_vote(client, event).status_code == 409  # open already
    assert close_vote(client, event).get_json() == {"vote_state": "closed"}
    assert event_row(app, event).vote_state == "closed"
    response = close_vote(client, event)
    assert response.status_code == 409 and response.get_json()["error"]


def test_plain_forms_redirect_to_the_console_with_a_message(client, event, moderator):
    page = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert 'name="dots"' in page and 'value="5"' in page and "Abstimmung öffnen" in page
    response = open_vote(client, event, headers={})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/moderate/events/{event.id}")
    assert "Die Abstimmung ist geöffnet." in client.get(response.headers["Location"]).get_data(as_text=True)
    response = close_vote(client, event, headers={})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Abstimmung ist beendet." in page and "Abstimmung wieder öffnen" in page


@pytest.mark.parametrize("dots, max_per_idea", [(0, 1), (51, 3), (5, 6), (5, 0), ("viel", 3), (5, "")])
def test_open_refuses_silly_limits(app, client, event, moderator, dots, max_per_idea):
    response = open_vote(client, event, dots=dots, max_per_idea=max_per_idea)
    assert response.status_code == 400 and response.get_json()["error"]
    assert event_row(app, event).vote_state == "none"


def test_reopening_keeps_the_dots_given(app, client, event, moderator, phone, ideas):
    open_vote(client, event, dots=5, max_per_idea=3)
    give(phone, event.code, ideas[0])
    close_vote(client, event)
    assert open_vote(client, event, dots=8, max_per_idea=4).status_code == 200
    assert vote_count(app) == 1
    assert give(phone, event.code, ideas[0]).get_json()["dots_left"] == 6


def test_only_moderators_of_the_process_open_the_vote(app, make, event):
    stranger = make.user("andere@example.org", roles=[(make.process("Anderer Prozess").id, "moderator")])
    staff = app.test_client()
    staff.post("/auth/login", data={"email": stranger.email, "password": stranger.password})
    assert open_vote(staff, event).status_code == 403
    assert close_vote(staff, event).status_code == 403
    participant = join(app.test_client(), event.code)
    response = open_vote(participant, event, headers={})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert event_row(app, event).vote_state == "none"


# Phones

def test_give_and_take_back_dots(app, client, event, moderator, phone, ideas):
    open_vote(client, event, dots=5, max_per_idea=3)
    assert give(phone, event.code, ideas[0]).get_json()["own_dots"] == 1
    answer = give(phone, event.code, ideas[0]).get_json()
    assert answer == {"status": "saved", "idea": ideas[0], "own_dots": 2, "dots_left": 3, "dots": 5}
    assert take_back(phone, event.code, ideas[0]).get_json()["own_dots"] == 1
    response = take_back(phone, event.code, ideas[1])
    assert response.status_code == 409 and "keinen Punkt" in response.get_json()["error"]
    assert vote_count(app) == 1 and vote_count(app, contribution_id=idea_id(app, ideas[0])) == 1
    page = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert "Sie haben noch 4 von 5 Punkten." in page and "Patenschaften" in page
    assert "+ Punkt" in page and "− Punkt" in page


def test_plain_form_taps_return_to_the_idea(phone, client, event, moderator, ideas):
    open_vote(client, event)
    response = give(phone, event.code, ideas[1], headers={})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/e/{event.code}/vote#idea-{ideas[1]}")
    take_back(phone, event.code, ideas[1], headers={})
    refused = take_back(phone, event.code, ideas[1], headers={})
    assert refused.status_code == 303
    assert "keinen Punkt" in phone.get(f"/e/{event.code}/vote").get_data(as_text=True)


def test_no_more_than_n_dots_in_total(app, client, event, moderator, phone, ideas):
    open_vote(client, event, dots=3, max_per_idea=2)
    for uuid in (ideas[0], ideas[0], ideas[1]):
        assert give(phone, event.code, uuid).status_code == 200
    response = give(phone, event.code, ideas[2])
    assert response.status_code == 409 and "alle Ihre Punkte" in response.get_json()["error"]
    assert vote_count(app) == 3
    take_back(phone, event.code, ideas[0])
    assert give(phone, event.code, ideas[2]).status_code == 200  # a dot taken back can go elsewhere


def test_no_more_than_m_dots_on_one_idea(app, client, event, moderator, phone, ideas):
    open_vote(client, event, dots=5, max_per_idea=2)
    give(phone, event.code, ideas[0])
    give(phone, event.code, ideas[0])
    response = give(phone, event.code, ideas[0])
    assert response.status_code == 409 and "höchstens 2" in response.get_json()["error"]
    assert vote_count(app) == 2


def test_no_dot_before_the_vote_opens(app, event, phone, ideas):
    response = give(phone, event.code, ideas[0])
    assert response.status_code == 409 and "noch nicht geöffnet" in response.get_json()["error"]
    assert vote_count(app) == 0
    page = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert "Die Abstimmung ist noch nicht geöffnet." in page and "+ Punkt" not in page
    assert "Jetzt abstimmen" not in phone.get(f"/e/{event.code}").get_data(as_text=True)


def test_no_dot_and_no_take_back_after_the_close(app, client, event, moderator, phone, ideas):
    open_vote(client, event)
    give(phone, event.code, ideas[1])
    close_vote(client, event)
    response = give(phone, event.code, ideas[0])
    assert response.status_code == 409 and "beendet" in response.get_json()["error"]
    assert take_back(phone, event.code, ideas[1]).status_code == 409
    assert vote_count(app) == 1
    page = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert "Die Abstimmung ist beendet." in page and "Patenschaften" in page and "1 Punkt" in page
    assert "+ Punkt" not in page


def test_the_table_page_points_to_the_open_vote(client, event, moderator, phone, ideas):
    open_vote(client, event)
    link = f'href="/e/{event.code}/vote"'
    assert "Jetzt abstimmen" in phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert link in phone.get(f"/e/{event.code}/fragment").get_data(as_text=True)  # the live part
    close_vote(client, event)
    assert link not in phone.get(f"/e/{event.code}/fragment").get_data(as_text=True)


@pytest.mark.parametrize("how", ["hidden", "merged"])
def test_no_dot_on_a_hidden_or_merged_idea(app, client, event, moderator, phone, ideas, how):
    open_vote(client, event)
    with app.app_context():
        idea = db.session.get(Contribution, idea_id(app, ideas[0]))
        if how == "hidden":
            idea.hidden_at = utcnow()
        else:
            idea.merged_into_id, idea.status = idea_id(app, ideas[1]), "merged"
        db.session.commit()
    response = give(phone, event.code, ideas[0])
    assert response.status_code == 409 and response.get_json()["error"]
    assert vote_count(app) == 0
    page = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert "Sprachcafé" not in page and "Patenschaften" in page


def test_no_dot_on_an_idea_of_another_event(app, make, client, event, moderator, phone):
    other = make.event(tables=1, rounds=1)
    with app.app_context():
        round_ = db.session.get(Round, other.round_ids[0])
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = utcnow() + timedelta(minutes=20)
        db.session.get(Event, other.id).vote_state = "open"
        db.session.commit()
    foreign = ideas_from(join(app.test_client(), other.code), other.code, "Fremde Idee")[0]
    open_vote(client, event)
    assert give(phone, event.code, foreign).status_code == 404  # not an idea of this event
    assert give(phone, event.code, foreign, headers={}).status_code == 404
    assert give(phone, other.code, foreign).status_code == 403  # not a participant of the other event
    assert vote_count(app) == 0


def test_only_participants_of_the_event_vote(app, client, event, moderator, ideas):
    open_vote(client, event)
    stranger = app.test_client()
    assert give(stranger, event.code, ideas[0]).status_code == 403
    assert take_back(stranger, event.code, ideas[0]).status_code == 403
    response = stranger.get(f"/e/{event.code}/vote")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/j/{event.code}")
    assert vote_count(app) == 0


# Results

def test_results_most_dots_first_ties_by_the_older_idea(app, client, event, moderator, phone, ideas):
    open_vote(client, event, dots=5, max_per_idea=3)
    second = join(app.test_client(), event.code, table=2)
    for who, uuid in [(phone, ideas[2]), (phone, ideas[2]), (second, ideas[1]), (second, ideas[1]),
                      (phone, ideas[0])]:
        assert give(who, event.code, uuid).status_code == 200
    with app.app_context():
        ranked = [(r.idea.text, r.dots) for r in voting.results(db.session.get(Event, event.id))]
    assert ranked == [("Patenschaften", 2), ("Mehr Bänke an der Ruhr", 2), ("Sprachcafé in der Bücherei", 1)]
    close_vote(client, event)
    page = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert page.index("Patenschaften") < page.index("Mehr Bänke") < page.index("Sprachcafé")


def test_projector_shows_the_results_live(app, client, event, moderator, phone, ideas):
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    projector = app.test_client()
    fragment = projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    assert 'id="vote-results"' not in fragment and "Abstimmung" not in fragment  # the question scene
    open_vote(client, event)  # opening the vote puts the projector on the vote scene
    assert "Noch keine Punkte vergeben." in projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    etag = projector.get(f"/p/{token}/live").headers["ETag"]
    give(phone, event.code, ideas[1])
    give(phone, event.code, ideas[1])
    give(phone, event.code, ideas[0])
    assert projector.get(f"/p/{token}/live", headers={"If-None-Match": etag}).status_code == 200
    fragment = projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    section = fragment.split('id="vote-results"')[1]
    assert "Abstimmung läuft" in section and "2 Punkte" in section and "1 Punkt" in section
    assert section.index("Patenschaften") < section.index("Sprachcafé") and "Mehr Bänke" not in section
    close_vote(client, event)
    assert "Ergebnis der Abstimmung" in projector.get(f"/p/{token}").get_data(as_text=True)


# Concurrency: several workers, one instant

def _at_once(taps):
    """Run each callable in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(taps))
    results = [None] * len(taps)

    def run(i):
        barrier.wait()
        results[i] = taps[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(taps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _phones_of_one_participant(phone, other_app, count):
    """`count` clients on two app instances (two workers), all carrying one participant's cookie."""
    apps = [other_app(), other_app()]
    cookie = phone.get_cookie("session").value
    clients = []
    for i in range(count):
        client = apps[i % 2].test_client()
        client.set_cookie("session", cookie)
        clients.append(client)
    return clients


def test_simultaneous_taps_on_one_idea_stop_at_m(app, client, event, moderator, phone, ideas, other_app):
    open_vote(client, event, dots=5, max_per_idea=3)
    clients = _phones_of_one_participant(phone, other_app, 12)
    statuses = _at_once([lambda c=c: give(c, event.code, ideas[0]).status_code for c in clients])
    assert sorted(statuses) == [200] * 3 + [409] * 9
    assert vote_count(app) == 3


def test_simultaneous_taps_on_many_ideas_stop_at_n(app, client, event, moderator, phone, other_app):
    many = ideas_from(phone, event.code, *[f"Idee {n}" for n in range(10)])
    open_vote(client, event, dots=5, max_per_idea=1)
    clients = _phones_of_one_participant(phone, other_app, 10)
    statuses = _at_once([lambda c=c, u=u: give(c, event.code, u).status_code for c, u in zip(clients, many)])
    assert sorted(statuses) == [200] * 5 + [409] * 5
    assert vote_count(app) == 5


def test_a_tap_racing_with_the_close_never_lands_after_it(app, client, event, moderator, ideas, other_app):
    open_vote(client, event, dots=50, max_per_idea=50)
    apps = [other_app(), other_app()]
    phones = [join(apps[i % 2].test_client(), event.code, table=1 + i % 3) for i in range(6)]
    closed = threading.Event()
    late = []  # answers to taps sent after the close was answered: each must be a refusal
    stored = []

    def tapper(phone):
        for n in range(200):
            after_close = closed.is_set()
            response = give(phone, event.code, ideas[n % 3])
            if response.status_code == 200:
                stored.append(1)
            if after_close:
                late.append((response.status_code, response.get_json()["error"]))
                return

    def closer():
        status = close_vote(client, event).status_code
        closed.set()
        return status, vote_count(app)

    results = _at_once([closer] + [lambda p=p: tapper(p) for p in phones])
    status, dots_at_close = results[0]
    assert status == 200
    assert len(late) == len(phones)
    assert all(status == 409 and "beendet" in error for status, error in late)
    assert vote_count(app) == len(stored) == dots_at_close  # nothing landed after the close
