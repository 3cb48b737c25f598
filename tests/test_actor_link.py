"""An actor's personal link /a/<token> (issue 21): feedback on the draft goal tree per node, the
organisers' answers, and contributing to an invited workshop's online phase as that actor."""
import re
import uuid

import pytest

from app.extensions import db
from app.models import Actor, Comment, Contribution, Event, GoalNode, Participant
from tests.actor_helpers import ORGANISER, add_actor, build_register, client_of, new_link


@pytest.fixture
def register(app, make):
    return build_register(app, make)


def _linked_actor(app, register, name="Moscheegemeinde Herdecke"):
    """An actor of A with a personal link: (its id, the link's path, the organiser's browser)."""
    organiser = client_of(app, register.users[ORGANISER])
    actor_id = add_actor(organiser, register.a.id, name=name)
    return actor_id, new_link(organiser, register.a.id, actor_id), organiser


def _comments(app, **filters):
    with app.app_context():
        return [(c.node_id, c.actor_id, c.kind, c.text) for c in db.session.scalars(
            db.select(Comment).filter_by(**filters).order_by(Comment.id))]


def _node_id(app, node_uuid):
    with app.app_context():
        return db.session.scalar(db.select(GoalNode.id).filter_by(uuid=uuid.UUID(node_uuid)))


def test_an_actor_gives_feedback_per_node_and_reads_the_answers(app, register):
    actor_id, link, organiser = _linked_actor(app, register)
    phone = client_of(app)
    page = phone.get(link).get_data(as_text=True)
    assert "Sprachcafés in allen Ortsteilen" in page and "Ausbildung und Arbeit" in page  # the draft tree
    assert f'id="node-{register.goal}"' in page and "geplant" in page  # with its kinds and states
    url = f"{link}/nodes/{register.goal}/feedback"

    refused = phone.post(url, data={"kind": "concern", "text": "  "})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Bitte schreiben Sie, was Sie bedenken oder anmerken möchten." in html
    assert re.search(r'<details class="feedback-form" open>\s*<summary>', html.split(f'id="node-{register.goal}"')[1])
    assert phone.post(url, data={"kind": "maybe", "text": "x"}).status_code == 400
    assert _comments(app) == []

    answer = phone.post(url, data={"kind": "agree", "text": ""})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"{link}#node-{register.goal}")
    text = "Abends können viele Mütter nicht kommen. Bitte auch vormittags."
    assert phone.post(url, data={"kind": "concern", "text": text}).status_code == 303
    assert phone.post(url, data={"kind": "concern", "text": text}).status_code == 303  # sent twice: kept once
    node_id = _node_id(app, register.goal)
    assert _comments(app) == [(node_id, actor_id, "agree", ""), (node_id, actor_id, "concern", text)]
    with app.app_context():
        assert {c.process_id for c in db.session.scalars(db.select(Comment))} == {register.a.id}

    entry = organiser.get(f"/organise/processes/{register.a.id}/actors/{actor_id}").get_data(as_text=True)
    assert text in entry and "Bedenken" in entry and "Zustimmung" in entry  # organisers see it
    listing = organiser.get(f"/organise/processes/{register.a.id}/actors").get_data(as_text=True)
    assert "2 Rückmeldungen" in listing

    with app.app_context():  # an organiser's answer, as the staff side stores it
        concern = db.session.scalar(db.select(Comment).filter_by(kind="concern"))
        db.session.add(Comment(process_id=concern.process_id, node_id=concern.node_id, parent_id=concern.id,
                               kind="answer", text="Wir fragen die Stadtbücherei nach Vormittagen."))
        db.session.commit()
    page = phone.get(link).get_data(as_text=True)
    node_part = page.split(f'id="node-{register.goal}"')[1]
    assert text in node_part and "Wir fragen die Stadtbücherei nach Vormittagen." in node_part

    # A node of another process: not found, nothing stored.
    foreign = phone.post(f"{link}/nodes/{register.foreign_goal}/feedback", data={"kind": "agree"})
    assert foreign.status_code == 404
    assert phone.post(f"{link}/nodes/{uuid.uuid4()}/feedback", data={"kind": "agree"}).status_code == 404
    assert len(_comments(app)) == 3


def test_the_page_speaks_the_chosen_language_and_falls_back_to_the_process(app, register):
    _actor_id, link, _organiser = _linked_actor(app, register)
    phone = client_of(app)
    assert '<html lang="de" dir="ltr">' in phone.get(link).get_data(as_text=True)
    switch = phone.get("/lang/ar", query_string={"next": link})
    assert switch.status_code == 302 and switch.headers["Location"].endswith(link)
    assert '<html lang="ar" dir="rtl">' in phone.get(link).get_data(as_text=True)


def test_an_invited_actor_contributes_to_the_workshop_online_as_itself(app, register):
    actor_id, link, _organiser = _linked_actor(app, register, name="Dr. Aylin Kaya, Sprachförderung")
    with app.app_context():
        actor = db.session.get(Actor, actor_id)
        for event in db.session.scalars(db.select(Event).where(
                Event.id.in_([register.event.id, register.closed_event.id]))).all():
            event.invited.append(actor)
        db.session.commit()
    phone = client_of(app)
    page = phone.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    workshops = page.split('id="workshops"')[1].split("</section>")[0]
    assert workshops.count('class="button') == 0 and workshops.count("<button") == 1  # only the open one
    assert f"/events/{register.event.id}/contribute" in workshops

    answer = phone.post(f"{link}/events/{register.event.id}/contribute", headers={"Accept-Language": "en"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/e/{register.event.code}/online")
    online = phone.get(answer.headers["Location"])
    assert online.status_code == 200
    with app.app_context():
        question = db.session.get(Event, register.event.id).rounds[0].id
    sent = phone.post(f"/e/{register.event.code}/online/ideas",
                      data={"question": question, "text": "Herkunftssprachen einbeziehen", "key": "a" * 20})
    assert sent.status_code == 303
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text="Herkunftssprachen einbeziehen"))
        assert (idea.origin, idea.participant.actor_id, idea.participant.interface_language) == ("online", actor_id, "en")
    # Again, from another phone: the same participant, remembered there too.
    other_phone = client_of(app)
    assert other_phone.post(f"{link}/events/{register.event.id}/contribute").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id)).filter_by(actor_id=actor_id)) == 1

    # Not open yet, not invited, or another process's event: refused in words, nobody joins.
    for event_id, status, message in (
            (register.closed_event.id, 409, "Die Online-Phase dieser Veranstaltung ist gerade nicht offen."),
            (register.other_event.id, 403, "Zu dieser Veranstaltung sind Sie nicht eingeladen."),
            (999999, 403, "Zu dieser Veranstaltung sind Sie nicht eingeladen.")):
        refused = phone.post(f"{link}/events/{event_id}/contribute")
        assert refused.status_code == status and message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id)).filter_by(actor_id=actor_id)) == 1


def test_an_actor_not_invited_is_refused(app, register):
    _actor_id, link, _organiser = _linked_actor(app, register)
    phone = client_of(app)
    assert 'id="workshops"' not in phone.get(link).get_data(as_text=True)
    refused = phone.post(f"{link}/events/{register.event.id}/contribute")
    assert refused.status_code == 403 and "nicht eingeladen" in refused.get_data(as_text=True)
    assert phone.get(f"/e/{register.event.code}/online").status_code == 302  # this phone is nobody there
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id)).filter_by(event_id=register.event.id)) == 0
