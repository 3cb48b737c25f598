"""The steering group through HTTP: comments on goal nodes and snapshots, organisers' answers and
resolutions (of the actors' feedback too), the decision log on nodes and in the council's report;
the steering group still changes no node, and another process's staff reach nothing."""
import io
import re
from datetime import date
from types import SimpleNamespace
from uuid import UUID

import docx
import pytest

from app.extensions import db
from app.models import Actor, AuditEntry, Comment, Decision, GoalNode, Process
from app.services.goals import goaltree, snapshots
from tests.conftest import PASSWORD

GOAL, MEASURE = "Sprachkurse mit Kinderbetreuung", "Kurse am Abend in der Volkshochschule"


def client_of(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def world(app, make):
    """A process with a small tree, an organiser, a steering member, and another process's organiser."""
    process, other = make.process(), make.process("Anderer Prozess")
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        goal = goaltree.add_node(root.children[1], "ziel", GOAL)
        measure = goaltree.add_node(goal, "massnahme", MEASURE)
        goaltree.ensure_tree(db.session.get(Process, other.id))
        db.session.commit()
        nodes = SimpleNamespace(goal=str(goal.uuid), measure=str(measure.uuid))
    users = SimpleNamespace(
        organiser=make.user("orga@example.org", roles=[(process.id, "organiser")]),
        steering=make.user("steuerung@example.org", roles=[(process.id, "steering")]),
        stranger=make.user("orga-b@example.org", roles=[(other.id, "organiser")]))
    return SimpleNamespace(process=process, other=other, nodes=nodes, users=users,
                           base=f"/organise/processes/{process.id}")


def feedback_url(world, node_uuid):
    return f"{world.base}/goal-tree/nodes/{node_uuid}/feedback"


def comments_in(app, process_id, **filters):
    with app.app_context():
        return [SimpleNamespace(uuid=str(c.uuid), kind=c.kind, text=c.text, user_id=c.user_id, actor_id=c.actor_id,
                                node_id=c.node_id, snapshot_id=c.snapshot_id, parent_id=c.parent_id,
                                resolved_at=c.resolved_at, resolved_by_id=c.resolved_by_id)
                for c in db.session.scalars(db.select(Comment).filter_by(process_id=process_id, **filters)
                                            .order_by(Comment.id))]


def audit_actions(app, process_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry.action).filter_by(process_id=process_id)))


def test_steering_comments_on_a_node_and_still_cannot_edit_it(app, world):
    steering = client_of(app, world.users.steering)
    tree = steering.get(f"{world.base}/goal-tree").get_data(as_text=True)
    assert feedback_url(world, world.nodes.goal) in tree and "Bearbeiten" not in tree
    page = steering.get(feedback_url(world, world.nodes.goal))
    assert page.status_code == 200 and GOAL in page.get_data(as_text=True)

    response = steering.post(feedback_url(world, world.nodes.goal),
                             data={"kind": "concern", "text": "Reicht die Kinderbetreuung am Abend?"})
    assert response.status_code == 303
    [comment] = comments_in(app, world.process.id)
    assert (comment.kind, comment.user_id, comment.actor_id) == ("concern", world.users.steering.id, None)
    page = steering.get(feedback_url(world, world.nodes.goal)).get_data(as_text=True)
    assert "Reicht die Kinderbetreuung am Abend?" in page and "Bedenken" in page and "offen" in page
    assert "Als erledigt markieren" not in page  # steering members do not resolve
    assert "comment.add" in audit_actions(app, world.process.id)

    # Editing stays with organisers: every change to a node is refused and changes nothing.
    node_url = f"{world.base}/goal-tree/nodes/{world.nodes.goal}"
    assert steering.get(node_url).status_code == 403
    assert steering.post(node_url, data={"title_de": "Übernommen", "status": "done"}).status_code == 403
    assert steering.post(f"{node_url}/children", data={"kind": "massnahme", "title": "Neu"}).status_code == 403
    assert steering.post(f"{node_url}/delete").status_code == 403
    assert steering.post(f"{node_url}/move", data={"direction": "up"}).status_code == 403
    with app.app_context():
        node = next(node for node in db.session.scalars(db.select(GoalNode)) if node.title.get("de") == GOAL)
        assert node.status == "planned" and len(node.children) == 1


def test_a_comment_without_text_or_kind_gets_a_clear_message(app, world):
    steering = client_of(app, world.users.steering)
    response = steering.post(feedback_url(world, world.nodes.goal), data={"kind": "concern", "text": "  "})
    assert response.status_code == 400 and "Bitte schreiben Sie einen Text." in response.get_data(as_text=True)
    response = steering.post(feedback_url(world, world.nodes.goal), data={"kind": "agree", "text": "Gut"})
    assert response.status_code == 400
    response = steering.post(feedback_url(world, world.nodes.goal), data={"kind": "comment", "text": "x" * 4001})
    assert response.status_code == 400 and "Höchstens 4000 Zeichen." in response.get_data(as_text=True)
    assert comments_in(app, world.process.id) == []


def test_steering_comments_on_a_snapshot(app, world):
    with app.app_context():
        snapshot = snapshots.freeze(db.session.get(Process, world.process.id), "Evaluation 2026")
        db.session.commit()
        snapshot_url = f"{world.base}/goal-tree/snapshots/{snapshot.uuid}"
    steering = client_of(app, world.users.steering)
    response = steering.post(f"{snapshot_url}/comments", data={"kind": "comment", "text": "Bitte Zahlen erläutern."})
    assert response.status_code == 303 and response.location.startswith(snapshot_url)
    [comment] = comments_in(app, world.process.id)
    assert comment.snapshot_id is not None and comment.node_id is None
    assert "Bitte Zahlen erläutern." in steering.get(snapshot_url).get_data(as_text=True)
    assert steering.post(f"{snapshot_url}/comments", data={"kind": "comment", "text": ""}).status_code == 400
    overview = steering.get(f"{world.base}/feedback").get_data(as_text=True)
    assert "Bitte Zahlen erläutern." in overview and "Evaluation 2026" in overview


def test_organisers_answer_and_resolve_the_steering_groups_and_the_actors_comments(app, world):
    steering, organiser = client_of(app, world.users.steering), client_of(app, world.users.organiser)
    steering.post(feedback_url(world, world.nodes.goal), data={"kind": "comment", "text": "Bitte mit dem Jobcenter."})
    with app.app_context():
        actor = Actor(process_id=world.process.id, name="Verein Miteinander e. V.", kind="association")
        db.session.add(actor)
        db.session.flush()
        node = db.session.scalar(db.select(GoalNode).filter_by(uuid=UUID(world.nodes.measure)))
        db.session.add(Comment(process_id=world.process.id, node_id=node.id, actor_id=actor.id, kind="concern",
                               text="Abends fehlen Räume."))
        db.session.commit()
    steering_comment, actor_comment = comments_in(app, world.process.id)

    overview = organiser.get(f"{world.base}/feedback").get_data(as_text=True)
    assert "Verein Miteinander e. V." in overview and "steuerung@example.org" in overview
    assert GOAL in overview and MEASURE in overview and overview.count("Als erledigt markieren") == 2

    for comment, text in ((steering_comment, "Ist verabredet."), (actor_comment, "Die Schule öffnet ihre Räume.")):
        response = organiser.post(f"{world.base}/feedback/{comment.uuid}/answer", data={"text": text, "back": "overview"})
        assert response.status_code == 303 and f"#comment-{comment.uuid}" in response.location
    response = organiser.post(f"{world.base}/feedback/{actor_comment.uuid}/answer", data={"text": ""})
    assert response.status_code == 303
    assert "Bitte schreiben Sie einen Text." in organiser.get(response.location).get_data(as_text=True)
    answers = comments_in(app, world.process.id, kind="answer")
    assert [(a.parent_id is not None, a.user_id, a.text) for a in answers] == [
        (True, world.users.organiser.id, "Ist verabredet."), (True, world.users.organiser.id, "Die Schule öffnet ihre Räume.")]
    assert all(a.node_id is not None for a in answers)  # on the same subject

    response = organiser.post(f"{world.base}/feedback/{actor_comment.uuid}/resolve", data={"back": "node"})
    assert response.status_code == 303 and f"/goal-tree/nodes/{world.nodes.measure}" in response.location
    resolved = comments_in(app, world.process.id, uuid=UUID(actor_comment.uuid))[0]
    assert resolved.resolved_at is not None and resolved.resolved_by_id == world.users.organiser.id
    open_page = organiser.get(f"{world.base}/feedback").get_data(as_text=True)
    assert "Abends fehlen Räume." not in open_page and "Bitte mit dem Jobcenter." in open_page
    done_page = organiser.get(f"{world.base}/feedback?state=resolved").get_data(as_text=True)
    assert "Abends fehlen Räume." in done_page and "Die Schule öffnet ihre Räume." in done_page
    assert "erledigt" in done_page and "Wieder öffnen" in done_page
    # The organiser's node page shows the comment with its answer and its resolution.
    node_page = organiser.get(f"{world.base}/goal-tree/nodes/{world.nodes.measure}").get_data(as_text=True)
    assert "Abends fehlen Räume." in node_page and "Die Schule öffnet ihre Räume." in node_page and "erledigt" in node_page
    assert organiser.post(f"{world.base}/feedback/{actor_comment.uuid}/reopen").status_code == 303
    assert comments_in(app, world.process.id, uuid=UUID(actor_comment.uuid))[0].resolved_at is None

    # The steering group reads the overview but neither answers nor resolves.
    assert steering.get(f"{world.base}/feedback").status_code == 200
    assert steering.post(f"{world.base}/feedback/{steering_comment.uuid}/answer", data={"text": "Ich"}).status_code == 403
    assert steering.post(f"{world.base}/feedback/{steering_comment.uuid}/resolve").status_code == 403
    assert {"comment.answer", "comment.resolve", "comment.reopen"} <= set(audit_actions(app, world.process.id))
    assert "Rückmeldung erledigt" in organiser.get(f"{world.base}/audit").get_data(as_text=True)


def test_another_process_reaches_nothing(app, world):
    client_of(app, world.users.steering).post(feedback_url(world, world.nodes.goal), data={"kind": "comment", "text": "Hier"})
    [comment] = comments_in(app, world.process.id)
    stranger, other = client_of(app, world.users.stranger), f"/organise/processes/{world.other.id}"
    for url in (f"{world.base}/feedback", f"{world.base}/decisions", feedback_url(world, world.nodes.goal)):
        assert stranger.get(url).status_code == 403
    assert stranger.post(f"{world.base}/feedback/{comment.uuid}/resolve").status_code == 403
    # Through their own process, the other process's objects are not found.
    assert stranger.post(f"{other}/feedback/{comment.uuid}/answer", data={"text": "Fremd"}).status_code == 404
    assert stranger.post(f"{other}/feedback/{comment.uuid}/resolve").status_code == 404
    assert stranger.get(f"{other}/goal-tree/nodes/{world.nodes.goal}/feedback").status_code == 404
    response = stranger.post(f"{other}/decisions", data={"decided_on": "2026-03-12", "text": "Fremd",
                                                         "nodes": [world.nodes.goal]})
    assert response.status_code == 400 and "gehört nicht" in response.get_data(as_text=True)
    assert comments_in(app, world.process.id) == [comment]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0


def test_decisions_are_logged_and_shown_on_their_nodes_and_in_the_council_report(app, world):
    steering, organiser = client_of(app, world.users.steering), client_of(app, world.users.organiser)
    response = steering.post(f"{world.base}/decisions", data={
        "decided_on": "2026-03-12", "meeting": "Steuerungsgruppe, 1. Sitzung",
        "text": "Ziel „Sprachkurse mit Kinderbetreuung“ beschlossen.", "nodes": [world.nodes.goal, world.nodes.measure]})
    assert response.status_code == 303
    organiser.post(f"{world.base}/decisions", data={"decided_on": "2026-06-18", "text": "Abendkurse ab Herbst."})
    page = steering.get(f"{world.base}/decisions").get_data(as_text=True)
    assert page.index("Abendkurse ab Herbst.") < page.index("Sprachkurse mit Kinderbetreuung“ beschlossen.")  # newest first
    assert "Steuerungsgruppe, 1. Sitzung" in page and "12.03.2026" in page

    for client, url in ((steering, feedback_url(world, world.nodes.measure)),
                        (organiser, f"{world.base}/goal-tree/nodes/{world.nodes.measure}")):
        node_page = client.get(url).get_data(as_text=True)
        assert "Sprachkurse mit Kinderbetreuung“ beschlossen." in node_page and "Abendkurse ab Herbst." not in node_page

    missing = steering.post(f"{world.base}/decisions", data={"decided_on": "", "text": "Ohne Datum"})
    assert missing.status_code == 400 and "Bitte geben Sie das Datum des Beschlusses an." in missing.get_data(as_text=True)
    wrong = steering.post(f"{world.base}/decisions", data={"decided_on": "12.03.", "text": "Falsches Datum"})
    assert wrong.status_code == 400
    unknown = steering.post(f"{world.base}/decisions", data={"decided_on": "2026-03-12", "text": "x",
                                                             "nodes": ["kein-knoten"]})
    assert unknown.status_code == 400 and "gehört nicht" in unknown.get_data(as_text=True)

    report = organiser.get(f"{world.base}/goal-tree/export?format=docx&lang=de")
    document = docx.Document(io.BytesIO(report.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Beschlüsse der Steuerungsgruppe" in headings
    rows = [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    decision_rows = [row for row in rows if "Sprachkurse mit Kinderbetreuung“ beschlossen." in row]
    assert decision_rows and "Steuerungsgruppe, 1. Sitzung" in decision_rows[0] and MEASURE in decision_rows[0]

    with app.app_context():
        decision_uuid = str(db.session.scalar(db.select(Decision.uuid).filter_by(decided_on=date(2026, 6, 18))))
    assert steering.post(f"{world.base}/decisions/{decision_uuid}/delete").status_code == 403
    assert organiser.post(f"{world.base}/decisions/{decision_uuid}/delete").status_code == 303
    assert "Abendkurse ab Herbst." not in steering.get(f"{world.base}/decisions").get_data(as_text=True)
    assert {"decision.add", "decision.delete"} <= set(audit_actions(app, world.process.id))
    assert re.search(r"Beschluss eingetragen", organiser.get(f"{world.base}/audit").get_data(as_text=True))


def test_the_process_page_links_feedback_and_decisions(app, world):
    page = client_of(app, world.users.steering).get(world.base).get_data(as_text=True)
    assert f'href="{world.base}/feedback"' in page and f'href="{world.base}/decisions"' in page


def test_deleting_a_node_takes_its_comments_and_leaves_its_decisions(app, world):
    steering, organiser = client_of(app, world.users.steering), client_of(app, world.users.organiser)
    steering.post(feedback_url(world, world.nodes.measure), data={"kind": "comment", "text": "Zu teuer?"})
    [comment] = comments_in(app, world.process.id)
    organiser.post(f"{world.base}/feedback/{comment.uuid}/answer", data={"text": "Nein."})
    steering.post(f"{world.base}/decisions", data={"decided_on": "2026-03-12", "text": "Beschlossen.",
                                                   "nodes": [world.nodes.goal, world.nodes.measure]})
    response = organiser.post(f"{world.base}/goal-tree/nodes/{world.nodes.measure}/delete")
    assert response.status_code == 303
    assert comments_in(app, world.process.id) == []
    with app.app_context():
        [decision] = db.session.scalars(db.select(Decision)).all()
        assert [node.title["de"] for node in decision.nodes] == [GOAL]
    assert "Beschlossen." in steering.get(feedback_url(world, world.nodes.goal)).get_data(as_text=True)
