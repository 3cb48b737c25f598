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


def sorted_ids(app):
    with app.app_context():
        return set(db.session.scalars(db.select(Contribution.id).where(Contribution.action_field_id.is_not(None))))


def test_accept_all_says_how_many_per_field_first_and_is_undone_as_one_step(app, client, demo):
    rows = suggestion_rows(app)
    confident = {i for i, (_, confidence, _, _) in rows.items() if confidence >= 0.3}
    fifty = sum(1 for _, confidence, _, _ in rows.values() if confidence >= 0.5)
    board = client.get(f"/organise/processes/{demo}/board").get_data(as_text=True)
    assert f"50 % ({fifty} Idee" in board  # each threshold says how many it takes
    already = sorted_ids(app)
    url = f"/organise/processes/{demo}/suggestions/accept-all"

    asked = client.post(url, data={"threshold": "30"}).get_data(as_text=True)
    assert f"{len(confident)} Ideen einsortieren?" in asked and sorted_ids(app) == already  # nothing moved yet
    per_field = [int(n) for n in re.findall(r"<strong>(\d+) Ideen?</strong>", asked)]
    assert sum(per_field) == len(confident) and len(per_field) >= 2

    done = client.post(url, data={"threshold": "30", "confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    assert f"{len(confident)} Ideen einsortiert" in done and "Zuletzt übernommen" in done
    assert sorted_ids(app) - already == confident

    # One of them sorted again by hand stays where it was put; the rest go back to unsorted.
    kept = sorted(confident)[0]
    fields = field_ids(app, demo)
    with app.app_context():
        idea = db.session.get(Contribution, kept)
        other = next(f for f in fields.values() if f != idea.action_field_id)
        kept_uuid = str(idea.uuid)
    client.post(f"/organise/processes/{demo}/board/ideas/{kept_uuid}/move", data={"to": f"field-{other}"})
    undone = client.post(f"{url}/undo", follow_redirects=True).get_data(as_text=True)
    assert f"{len(confident) - 1} Ideen sind wieder unsortiert" in undone and "Zuletzt übernommen" not in undone
    assert sorted_ids(app) == already | {kept}
    with app.app_context():
        assert {c.status for c in db.session.scalars(db.select(Contribution).where(
            Contribution.id.in_(confident - {kept})))} == {"new"}
    assert client.post(url, data={"threshold": "0"}, follow_redirects=True).status_code == 200


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
