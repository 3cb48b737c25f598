"""Stored suggestions on the board: every unsorted idea, accept, reject, accept all, proposed clusters."""
import re
import time

import pytest

from app.extensions import db
from app.models import ActionField, Cluster, ClusterCandidate, Contribution, Process, Suggestion
from app.models.base import utcnow


@pytest.fixture
def demo(runner, app, client):
    output = runner.invoke(args=["demo"]).output
    email = re.search(r"e-mail:\s+(\S+)", output).group(1)
    password = re.search(r"password: (\S+)", output).group(1)
    client.post("/auth/login", data={"email": email, "password": password})
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        return process.id


def suggestion_rows(app):
    with app.app_context():
        return {s.contribution_id: (s.action_field_id, s.confidence, s.runner_up_id, list(s.rejected_field_ids))
                for s in db.session.scalars(db.select(Suggestion))}


def field_ids(app, process_id):
    with app.app_context():
        return {f.name["de"]: f.id for f in db.session.scalars(db.select(ActionField).filter_by(process_id=process_id))}


def test_every_unsorted_demo_idea_gets_a_suggestion(app, client, demo):
    rows = suggestion_rows(app)
    with app.app_context():
        unsorted = set(db.session.scalars(db.select(Contribution.id).where(
            Contribution.action_field_id.is_(None), Contribution.hidden_at.is_(None),
            Contribution.merged_into_id.is_(None))))
    assert len(unsorted) >= 25 and set(rows) == unsorted  # the demo's goal tree has sorted the others
    assert all(0 <= confidence <= 1 for _, confidence, _, _ in rows.values())
    page = client.get(f"/organise/processes/{demo}/board").get_data(as_text=True)
    assert re.search(r"Vorschlag \d+ %: ", page) and "Übernehmen" in page and "Ablehnen" in page
    assert set(field_ids(app, demo).values()) >= {field for field, _, _, _ in rows.values()}


def test_accept_sorts_the_idea_and_reject_moves_the_runner_up_up(app, client, demo):
    rows = suggestion_rows(app)
    with app.app_context():  # an idea still "new": the demo's goal tree has taken up some others
        idea_id = next(i for i in rows if db.session.get(Contribution, i).status == "new")
        field_id = rows[idea_id][0]
        suggestion_id = db.session.scalar(db.select(Suggestion.id).filter_by(contribution_id=idea_id))
        other_id, other = next((s.id, s) for s in db.session.scalars(db.select(Suggestion)) if s.contribution_id != idea_id)
        other_idea, other_field, other_runner = other.contribution_id, other.action_field_id, other.runner_up_id
    client.post(f"/organise/processes/{demo}/suggestions/{suggestion_id}/accept")
    with app.app_context():
        idea = db.session.get(Contribution, idea_id)
        assert idea.action_field_id == field_id and idea.status == "clustered"
    client.post(f"/organise/processes/{demo}/suggestions/{other_id}/reject")
    client.get(f"/organise/processes/{demo}/board")  # the sorting made them stale: recomputed here
    after = suggestion_rows(app)
    assert idea_id not in after
    assert other_field in after[other_idea][3] and after[other_idea][0] != other_field


def test_accept_all_above_a_threshold(app, client, demo):
    rows = suggestion_rows(app)
    confident = [i for i, (_, confidence, _, _) in rows.items() if confidence >= 0.3]
    with app.app_context():  # the demo's cluster for its goal tree
        already = set(db.session.scalars(db.select(Contribution.id).where(Contribution.action_field_id.is_not(None))))
    response = client.post(f"/organise/processes/{demo}/suggestions/accept-all", data={"threshold": "30"},
                           follow_redirects=True)
    assert f"{len(confident)} Ideen einsortiert" in response.get_data(as_text=True)
    with app.app_context():
        sorted_now = {c.id for c in db.session.scalars(db.select(Contribution).where(Contribution.action_field_id.is_not(None)))}
    assert sorted_now - already == set(confident)
    assert client.post(f"/organise/processes/{demo}/suggestions/accept-all", data={"threshold": "0"},
                       follow_redirects=True).status_code == 200


def test_sortings_teach_the_model(app, client, demo):
    fields = field_ids(app, demo)
    with app.app_context():
        housing = db.session.scalars(db.select(Contribution).where(Contribution.text.ilike("%wohnung%"))).all()
        uuids = [str(c.uuid) for c in housing]
        computed = db.session.scalar(db.select(Process)).suggestions_computed_at
    client.post(f"/organise/processes/{demo}/board/move",
                data={"selected": uuids[:2], "to": f"field-{fields['Wohnen und Quartier']}"})
    client.get(f"/organise/processes/{demo}/board")
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        assert process.suggestions_computed_at > computed
        assert not db.session.scalar(db.select(Suggestion).where(
            Suggestion.contribution_id.in_([c.id for c in housing[:2]])))


def test_a_proposed_cluster_is_adopted_with_its_ideas(app, client, demo):
    page = client.get(f"/organise/processes/{demo}/board").get_data(as_text=True)
    assert "Als Cluster anlegen" in page
    with app.app_context():
        candidate = db.session.scalar(db.select(ClusterCandidate))
        members = list(candidate.contribution_ids)
        candidate_id = candidate.id
    field = field_ids(app, demo)["Sprache und Bildung"]
    client.post(f"/organise/processes/{demo}/candidates/{candidate_id}/adopt", data={"field": field, "name": "Sprachcafé"})
    with app.app_context():
        cluster = db.session.scalar(db.select(Cluster).filter_by(name="Sprachcafé"))
        assert cluster.action_field_id == field
        assert {c.id for c in db.session.scalars(db.select(Contribution).filter_by(cluster_id=cluster.id))} == set(members)


def test_suggestions_are_computed_in_the_background_without_inline(app, demo, other_app):
    from app.services.sorting import suggestions

    background = other_app(SUGGESTIONS_INLINE=False)
    with background.app_context():
        process = db.session.get(Process, demo)
        before = process.suggestions_computed_at
        process.suggestions_stale_at = utcnow()
        db.session.execute(db.delete(Suggestion))
        db.session.commit()
        suggestions.refresh_soon(process)  # returns at once; a thread recomputes
        for _ in range(200):
            db.session.expire_all()
            if db.session.get(Process, demo).suggestions_computed_at > before:
                break
            time.sleep(0.05)
        db.session.expire_all()
        assert suggestions.is_current(db.session.get(Process, demo))
        unsorted = db.session.scalar(db.select(db.func.count(Contribution.id)).where(
            Contribution.action_field_id.is_(None), Contribution.hidden_at.is_(None),
            Contribution.merged_into_id.is_(None)))
        assert unsorted >= 25 and db.session.scalar(db.select(db.func.count(Suggestion.id))) == unsorted


def test_other_processes_cannot_touch_the_suggestions(app, make, demo):
    with app.app_context():
        suggestion_id = db.session.scalar(db.select(Suggestion.id))
    other = make.process("Anderer Prozess")
    stranger = app.test_client()
    user = make.user("fremd@example.org", roles=[(other.id, "organiser")])
    stranger.post("/auth/login", data={"email": user.email, "password": user.password})
    assert stranger.post(f"/organise/processes/{demo}/suggestions/{suggestion_id}/accept").status_code == 403
    assert stranger.post(f"/organise/processes/{other.id}/suggestions/{suggestion_id}/accept").status_code == 404
    with app.app_context():
        assert db.session.get(Suggestion, suggestion_id) is not None


def test_the_board_script_accepts_and_rejects_without_a_page(app, client, demo):
    rows = suggestion_rows(app)
    with app.app_context():
        first, second = [db.session.scalar(db.select(Suggestion.id).filter_by(contribution_id=i)) for i in list(rows)[:2]]
        field_id = db.session.get(Suggestion, first).action_field_id
    accepted = client.post(f"/organise/processes/{demo}/suggestions/{first}/accept", headers={"Accept": "application/json"})
    assert accepted.status_code == 200 and accepted.get_json()["target"] == f"field-{field_id}"
    rejected = client.post(f"/organise/processes/{demo}/suggestions/{second}/reject", headers={"Accept": "application/json"})
    assert rejected.get_json() == {"status": "rejected"}
    with app.app_context():
        assert db.session.get(Suggestion, second) is None or db.session.get(Suggestion, second).action_field_id != rows[list(rows)[1]][0]
