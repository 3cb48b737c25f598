"""Hiding ideas and merging duplicates through the moderator's pages; merges undo exactly."""
import pytest

from app.extensions import db
from app.models import CafeTable, Contribution, Event, Merge, Participant, Round, Vote
from app.models.base import utcnow


@pytest.fixture
def cafe(app, make, client, login):
    """An event with round 1 running, three participants and three ideas, and a logged-in moderator."""
    event = make.event(tables=2, rounds=1)
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.state, round_.started_at = "running", utcnow()
        people = [Participant(event_id=event.id, token=f"token-{n}" * 4) for n in range(3)]
        db.session.add_all(people)
        db.session.flush()
        texts = ["Sprachcafé in der Bücherei", "Ein Sprachcafé jede Woche", "Mehr Bänke an der Ruhr"]
        ideas = [Contribution(event_id=event.id, round_id=round_.id, table_id=event.table_ids[0],
                              participant_id=people[n].id, text=text) for n, text in enumerate(texts)]
        db.session.add_all(ideas)
        db.session.commit()
        event.people = [p.id for p in people]
        event.ideas = [(i.id, str(i.uuid)) for i in ideas]
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    return event


def give(app, participant_id, idea_id, dots=1):
    with app.app_context():
        db.session.add_all(Vote(participant_id=participant_id, contribution_id=idea_id) for _ in range(dots))
        db.session.commit()


def all_votes(app):
    with app.app_context():
        return sorted((v.participant_id, v.contribution_id) for v in db.session.scalars(db.select(Vote)))


def idea(app, idea_id):
    with app.app_context():
        row = db.session.get(Contribution, idea_id)
        db.session.expunge(row)
        return row


def merge(client, cafe, keep, *others):
    data = {"target": cafe.ideas[keep][1], "selected": [cafe.ideas[n][1] for n in (keep, *others)]}
    return client.post(f"/moderate/events/{cafe.id}/ideas/merge", data=data, follow_redirects=True)


def test_hidden_idea_leaves_phones_and_wall_but_stays_in_the_record(app, client, cafe):
    phone = app.test_client()
    phone.post(f"/j/{cafe.code}/1", data={"interface_language": "de", "writing_language": "de"})
    assert "Mehr Bänke an der Ruhr" in phone.get(f"/e/{cafe.code}").get_data(as_text=True)
    url = f"/moderate/events/{cafe.id}/ideas/{cafe.ideas[2][1]}/hide"
    refused = client.post(url, data={"reason": "  "}, follow_redirects=True)
    assert "Bitte geben Sie einen Grund an." in refused.get_data(as_text=True)
    assert idea(app, cafe.ideas[2][0]).hidden_at is None
    client.post(url, data={"reason": "Werbung"})
    hidden = idea(app, cafe.ideas[2][0])
    assert hidden.hidden_at is not None and hidden.hidden_reason == "Werbung"
    assert "Mehr Bänke an der Ruhr" not in phone.get(f"/e/{cafe.code}").get_data(as_text=True)
    with app.app_context():
        token = db.session.get(Event, cafe.id).projector_token
    client.post(f"/moderate/events/{cafe.id}/projector/scene", data={"scene": "wall"})
    wall = app.test_client().get(f"/p/{token}").get_data(as_text=True)
    assert "scene-wall" in wall and "Mehr Bänke an der Ruhr" not in wall
    listing = client.get(f"/moderate/events/{cafe.id}/ideas").get_data(as_text=True)
    assert "Mehr Bänke an der Ruhr" in listing and "Werbung" in listing
    client.post(f"/moderate/events/{cafe.id}/ideas/{cafe.ideas[2][1]}/unhide")
    assert "Mehr Bänke an der Ruhr" in phone.get(f"/e/{cafe.code}").get_data(as_text=True)


def test_merge_caps_a_participants_dots_and_undo_restores_every_dot(app, client, cafe):
    p1, p2, p3 = cafe.people
    (a, _), (b, _), (c, _) = cafe.ideas
    give(app, p1, a, 2)
    give(app, p2, a, 1)
    give(app, p1, b, 2)
    give(app, p3, b, 1)
    give(app, p3, c, 1)
    before = all_votes(app)

    page = merge(client, cafe, 1, 0).get_data(as_text=True)  # keep b, merge a into it
    assert "Die Ideen sind zusammengeführt." in page
    on_b = [p for p, i in all_votes(app) if i == b]
    assert sorted(on_b) == [p1, p1, p1, p2, p3]  # p1 capped at 3; one of p1's dots went back
    assert not [i for _, i in all_votes(app) if i == a]
    merged = idea(app, a)
    assert merged.status == "merged" and merged.merged_into_id == b and merged.participant_id == p1

    with app.app_context():
        merge_uuid = db.session.scalar(db.select(Merge)).uuid
    listing = client.get(f"/moderate/events/{cafe.id}/ideas").get_data(as_text=True)
    assert f"/moderate/events/{cafe.id}/merges/{merge_uuid}/undo" in listing
    client.post(f"/moderate/events/{cafe.id}/merges/{merge_uuid}/undo")
    assert all_votes(app) == before
    restored = idea(app, a)
    assert restored.status == "new" and restored.merged_into_id is None
    again = client.post(f"/moderate/events/{cafe.id}/merges/{merge_uuid}/undo", follow_redirects=True)
    assert "schon rückgängig" in again.get_data(as_text=True)


def test_merged_idea_leaves_the_phones_and_its_author_sees_what_happened(app, client, cafe):
    merge(client, cafe, 1, 0)
    phone = app.test_client()
    phone.get("/r/" + "token-0" * 4)
    page = phone.get("/r/" + "token-0" * 4).get_data(as_text=True)
    assert "Sprachcafé in der Bücherei" in page and "Mit einer ähnlichen Idee zusammengeführt" in page


def test_a_chain_of_merges_undoes_from_the_end(app, client, cafe):
    (a, _), (b, _), (c, _) = cafe.ideas
    give(app, cafe.people[0], a, 1)
    before = all_votes(app)
    merge(client, cafe, 1, 0)  # a -> b
    merge(client, cafe, 2, 1)  # b -> c
    assert all_votes(app) == [(cafe.people[0], c)]
    with app.app_context():
        first, second = db.session.scalars(db.select(Merge).order_by(Merge.id)).all()
        first_uuid, second_uuid = first.uuid, second.uuid
    refused = client.post(f"/moderate/events/{cafe.id}/merges/{first_uuid}/undo", follow_redirects=True)
    assert "zuerst diese Zusammenführung" in refused.get_data(as_text=True)
    client.post(f"/moderate/events/{cafe.id}/merges/{second_uuid}/undo")
    client.post(f"/moderate/events/{cafe.id}/merges/{first_uuid}/undo")
    assert all_votes(app) == before


def test_merge_refusals(app, client, make, cafe):
    page = client.post(f"/moderate/events/{cafe.id}/ideas/merge", data={"target": cafe.ideas[0][1]},
                       follow_redirects=True).get_data(as_text=True)
    assert "Bitte wählen Sie die Ideen aus" in page
    merge(client, cafe, 1, 0)
    page = merge(client, cafe, 2, 0).get_data(as_text=True)  # a is merged already
    assert "schon mit einer anderen zusammengeführt" in page
    assert idea(app, cafe.ideas[0][0]).merged_into_id == cafe.ideas[1][0]


def test_ideas_of_another_event_cannot_be_merged_or_hidden(app, client, make, cafe):
    other = make.event(cafe.process_id, tables=1, rounds=1)
    with app.app_context():
        foreign = Contribution(event_id=other.id, text="Fremde Idee")
        db.session.add(foreign)
        db.session.commit()
        foreign_id, foreign_uuid = foreign.id, str(foreign.uuid)
    page = client.post(f"/moderate/events/{cafe.id}/ideas/merge",
                       data={"target": cafe.ideas[0][1], "selected": [foreign_uuid]},
                       follow_redirects=True).get_data(as_text=True)
    assert "gibt es nicht" in page and idea(app, foreign_id).merged_into_id is None
    assert client.post(f"/moderate/events/{cafe.id}/ideas/{foreign_uuid}/hide", data={"reason": "x"}).status_code == 404
    assert idea(app, foreign_id).hidden_at is None


def test_staff_of_another_process_cannot_moderate(app, make, login, cafe):
    stranger = app.test_client()
    other = make.process("Anderer Prozess")
    user = make.user("fremd@example.org", roles=[(other.id, "organiser")])
    stranger.post("/auth/login", data={"email": user.email, "password": user.password})
    assert stranger.get(f"/moderate/events/{cafe.id}/ideas").status_code == 403
    response = stranger.post(f"/moderate/events/{cafe.id}/ideas/{cafe.ideas[0][1]}/hide", data={"reason": "x"})
    assert response.status_code == 403 and idea(app, cafe.ideas[0][0]).hidden_at is None


def test_hosts_merge_within_their_table_only(app, cafe):
    with app.app_context():
        tokens = [db.session.get(CafeTable, t).host_token
                  for t in cafe.table_ids]
        other_table_idea = Contribution(event_id=cafe.id, round_id=cafe.round_ids[0], table_id=cafe.table_ids[1],
                                        text="Am anderen Tisch")
        db.session.add(other_table_idea)
        db.session.commit()
        other_uuid, other_id = str(other_table_idea.uuid), other_table_idea.id
    host = app.test_client()
    page = host.post(f"/h/{tokens[0]}/merge", data={"target": cafe.ideas[1][1], "selected": [cafe.ideas[0][1]]},
                     follow_redirects=True).get_data(as_text=True)
    assert "Die Ideen sind zusammengeführt." in page
    assert idea(app, cafe.ideas[0][0]).merged_into_id == cafe.ideas[1][0]
    refused = host.post(f"/h/{tokens[0]}/merge", data={"target": cafe.ideas[1][1], "selected": [other_uuid]},
                        follow_redirects=True)
    assert idea(app, other_id).merged_into_id is None and "gibt es nicht" in refused.get_data(as_text=True)
    with app.app_context():
        merge_uuid = db.session.scalar(db.select(Merge)).uuid
    assert f"/h/{tokens[0]}/merges/{merge_uuid}/undo" in host.get(f"/h/{tokens[0]}").get_data(as_text=True)
    assert app.test_client().post(f"/h/{tokens[1]}/merges/{merge_uuid}/undo").status_code == 404
    host.post(f"/h/{tokens[0]}/merges/{merge_uuid}/undo")
    assert idea(app, cafe.ideas[0][0]).merged_into_id is None
