"""The goal tree: building it, its progress rules, the tree document, snapshots and comparison."""
import json
from datetime import date

import pytest
from sqlalchemy import event as sa_event

from app.extensions import db
from app.models import Contribution, GoalNode, GoalNodeIdea, Process
from app.services.goals import goaltree, indicators, snapshots
from app.services.administration import processes
from app.services.sorting import sorting
from app.services.errors import Conflict, DomainError
from app.services.reports.progress import indicator_progress, node_progress, tree_progress


def test_indicator_progress_rules():
    assert indicator_progress(10, 20, 15) == 0.5
    assert indicator_progress(10, 20, None) == 0.0  # without values
    assert indicator_progress(10, 20, 25) == 1.0  # clamped above
    assert indicator_progress(10, 20, 5) == 0.0  # clamped below
    # A target below the baseline: unemployment from 12 % down to 8 %.
    assert indicator_progress(12, 8, 10) == pytest.approx(0.5)
    assert indicator_progress(12, 8, 13) == 0.0
    assert indicator_progress(12, 8, 7) == 1.0
    # Target equal to the baseline: reached or not.
    assert indicator_progress(5, 5, 5) == 1.0
    assert indicator_progress(5, 5, 6) == 1.0
    assert indicator_progress(5, 5, 4) == 0.0
    assert indicator_progress(None, 10, 5) == 0.5  # a missing baseline counts as 0
    assert indicator_progress(3, None, 5) == 0.0  # nothing to reach


@pytest.fixture
def tree(app, make):
    """A started tree (root + four Handlungsfeld nodes) of a new process; yields (process, root)."""
    process_id = make.process().id
    with app.app_context():
        process = db.session.get(Process, process_id)
        root = goaltree.ensure_tree(process)
        yield process, root


def field_node(root, index=0):
    return root.children[index]


def test_leaf_states_and_indicators(tree):
    process, root = tree
    node = goaltree.add_node(field_node(root), "ziel", "Mehr Ausbildungsplätze")
    assert node_progress(node) == 0.0  # planned
    goaltree.update_node(node, status="done")
    assert node_progress(node) == 1.0
    goaltree.update_node(node, status="in_progress")
    assert node_progress(node) == 0.0  # in progress without indicators
    first = indicators.add_indicator(node, "Plätze", unit="Anzahl", baseline_value=10, target_value=20)
    second = indicators.add_indicator(node, "Quote", unit="%", baseline_value=12, target_value=8)
    assert node_progress(node) == 0.0  # without values
    indicators.record_value(first, date(2027, 1, 1), 15)
    indicators.record_value(second, date(2027, 1, 1), 13)  # worse than the baseline: 0
    assert node_progress(node) == pytest.approx(0.25)
    indicators.record_value(second, date(2027, 1, 1), 8)  # same date: replaced, not added
    assert len(second.values) == 1
    assert node_progress(node) == pytest.approx(0.75)
    goaltree.update_node(node, status="dropped")
    assert node_progress(node) == 0.0


def test_parents_take_the_weighted_mean_of_their_children(tree):
    process, root = tree
    parent = goaltree.add_node(field_node(root), "ziel", "Ziel")
    done = goaltree.add_node(parent, "teilziel", "Erledigt", status="done", weight=3)
    goaltree.add_node(parent, "massnahme", "Geplant", weight=1)
    dropped = goaltree.add_node(parent, "massnahme", "Fallengelassen", status="dropped", weight=5)
    own = indicators.add_indicator(parent, "Eigenes", baseline_value=0, target_value=1)
    indicators.record_value(own, date(2027, 1, 1), 1)  # shown, not counted

    assert node_progress(parent) == pytest.approx(0.75)
    goaltree.update_node(done, weight=0)
    assert node_progress(parent) == 0.0  # weights 0 and 1: the planned one counts alone
    for child in parent.children:
        goaltree.update_node(child, weight=0)
    assert node_progress(parent) == pytest.approx(0.5)  # all zero: a plain mean of two
    goaltree.delete_node(done)
    goaltree.update_node(parent.children[0], status="dropped")
    assert [c.id for c in parent.children if c.status != "dropped"] == []
    assert node_progress(parent) == 0.0  # no child that is not dropped
    assert dropped.id in {c.id for c in parent.children}

    progress = tree_progress(process)
    assert progress[parent.id] == 0.0 and progress[root.id] == 0.0
    with pytest.raises(DomainError):
        goaltree.update_node(parent, weight=-1)


def test_tree_progress_needs_a_few_queries_however_big_the_tree(tree):
    process, root = tree
    for field in root.children:
        for n in range(5):
            node = goaltree.add_node(field, "ziel", f"Ziel {n}", status="in_progress")
            indicator = indicators.add_indicator(node, "I", baseline_value=0, target_value=10)
            indicators.record_value(indicator, date(2027, 1, 1), n)
    db.session.expire_all()
    assert process.id  # loaded again before counting
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        progress = tree_progress(process)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 3
    assert progress[root.id] == pytest.approx(0.2)


def test_moving_nodes(tree):
    process, root = tree
    first, second = field_node(root, 0), field_node(root, 1)
    goal = goaltree.add_node(first, "ziel", "Ziel")
    sub = goaltree.add_node(goal, "teilziel", "Teilziel")
    with pytest.raises(Conflict):
        goaltree.move_node(goal, sub)
    with pytest.raises(Conflict):
        goaltree.move_node(goal, goal)
    with pytest.raises(Conflict):
        goaltree.move_node(root, goal)
    goaltree.add_node(second, "ziel", "Schon da")
    goaltree.move_node(goal, second, 0)
    assert [c.id for c in second.children] == [goal.id, second.children[1].id]
    assert [c.position for c in second.children] == [0, 1]
    assert goal.children[0].id == sub.id
    assert first.children == []


def test_ensure_tree_is_idempotent_and_follows_the_action_fields(tree):
    process, root = tree
    assert root.kind == "leitziel" and root.title == {"de": process.title}
    assert [n.kind for n in root.children] == ["handlungsfeld"] * 4
    assert goaltree.ensure_tree(process).id == root.id
    assert db.session.scalar(db.select(db.func.count(GoalNode.id))) == 5

    # Renaming the field renames its node, without touching the tree.
    first = process.action_fields[0]
    processes.update_action_field(first, name={"de": "Arbeit und Ausbildung"}, colour=first.colour)
    titles = [n["title"]["de"] for n in snapshots.tree_document(process)["nodes"][0]["children"]]
    assert titles[0] == "Arbeit und Ausbildung"

    processes.add_action_field(process, name={"de": "Gesundheit"})
    goaltree.ensure_tree(process)
    goaltree.ensure_tree(process)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(GoalNode.id))) == 6
    assert root.children[-1].display_title == {"de": "Gesundheit"}
    assert root.children[0].title["de"] == "Arbeit und Ausbildung"  # the stored copy follows
    with pytest.raises(DomainError):
        goaltree.update_node(root.children[0], title="Anders")


def make_ideas(process, texts):
    from app.services.cafe import events
    event = events.create_event(process, "Bürgerforum", table_count=1, questions=[{"de": "Frage"}],
                                languages=["de"])
    ideas = [Contribution(event_id=event.id, text=text) for text in texts]
    db.session.add_all(ideas)
    db.session.flush()
    return ideas


def test_node_from_cluster_links_its_ideas(tree):
    process, root = tree
    field = process.action_fields[0]
    ideas = make_ideas(process, ["Mehr Praktika", "Jobmesse", "Anderes"])
    cluster = sorting.create_cluster(field, "Übergang Schule–Beruf")
    sorting.move(ideas[:2], field, cluster)
    node = goaltree.node_from_cluster(field_node(root), cluster)
    assert node.kind == "ziel" and node.title == {"de": "Übergang Schule–Beruf"}
    linked = db.session.scalars(db.select(GoalNodeIdea.contribution_id).filter_by(node_id=node.id)).all()
    assert sorted(linked) == [ideas[0].id, ideas[1].id]
    assert [i.status for i in ideas] == ["in_goal_tree", "in_goal_tree", "new"]

    other = goaltree.node_from_ideas(field_node(root, 1), [ideas[1], ideas[2]], "Begegnung")
    goaltree.delete_node(node)
    # Only the idea in no other node goes back to its field.
    assert [i.status for i in ideas] == ["clustered", "in_goal_tree", "in_goal_tree"]
    assert other.idea_links
    with pytest.raises(DomainError):
        goaltree.node_from_ideas(field_node(root), [], "Leer")


def test_document_round_trips_and_is_complete(tree):
    process, root = tree
    ideas = make_ideas(process, ["Sprachcafé"])
    goal = goaltree.node_from_ideas(field_node(root, 1), ideas, "Deutsch lernen",
                                    description="Zeile 1\nZeile 2", responsible=["VHS", " Integrationsrat "],
                                    starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31), status="in_progress")
    indicator = indicators.add_indicator(goal, "Kursplätze", unit="Plätze", baseline_value=100,
                                       baseline_on=date(2025, 1, 1), target_value=200, target_on=date(2030, 1, 1), data_source="VHS-Statistik")
    indicators.record_value(indicator, date(2026, 6, 1), 150)
    indicators.record_value(indicator, date(2027, 6, 1), 175)

    document = snapshots.tree_document(process)
    assert json.loads(json.dumps(document)) == document
    assert document["schema"] == "worldcafe.goal-tree" and document["version"] == 1
    assert len(document["action_fields"]) == 4
    node = document["nodes"][0]["children"][1]["children"][0]
    assert node["uuid"] == str(goal.uuid) and node["responsible"] == ["VHS", "Integrationsrat"]
    assert node["description"] == {"de": "Zeile 1\nZeile 2"}
    assert node["starts_on"] == "2026-01-01" and node["progress"] == 0.75
    assert node["ideas"] == [{"uuid": str(ideas[0].uuid), "text": "Sprachcafé", "language": "de", "translations": {},
                              "machine_translated": []}]
    assert node["indicators"][0]["baseline"] == {"value": 100.0, "date": "2025-01-01"}
    assert node["indicators"][0]["values"] == [{"date": "2026-06-01", "value": 150.0},
                                               {"date": "2027-06-01", "value": 175.0}]
    assert document["nodes"][0]["children"][1]["action_field_uuid"] == str(process.action_fields[1].uuid)

    earlier = snapshots.tree_document(process, as_of=date(2026, 12, 31))
    assert earlier["nodes"][0]["children"][1]["children"][0]["progress"] == 0.5


def test_snapshots_and_comparison(tree):
    process, root = tree
    kept = goaltree.add_node(field_node(root), "ziel", "Bleibt", status="in_progress")
    indicator = indicators.add_indicator(kept, "Zahl", baseline_value=0, target_value=10)
    indicators.record_value(indicator, date(2026, 1, 1), 2)
    gone = goaltree.add_node(field_node(root), "ziel", "Fällt weg")
    stopped = goaltree.add_node(field_node(root), "ziel", "Wird fallengelassen")
    snapshot = snapshots.freeze(process, "Konferenz 2026")
    with pytest.raises(DomainError):
        snapshots.freeze(process, " Konferenz  2026 ")
    assert snapshots.snapshot_of_process(process, snapshot.uuid).id == snapshot.id

    indicators.record_value(indicator, date(2028, 1, 1), 6)
    goaltree.delete_node(gone)
    goaltree.update_node(stopped, status="dropped")
    new = goaltree.add_node(field_node(root, 2), "ziel", "Neu")
    comparison = snapshots.compare_with_today(snapshot)

    assert [n["uuid"] for n in comparison.added] == [str(new.uuid)]
    assert {n["uuid"] for n in comparison.dropped} == {str(gone.uuid), str(stopped.uuid)}
    change = next(c for c in comparison.changed if c.uuid == str(kept.uuid))
    assert (change.progress_before, change.progress_after) == (0.2, 0.6) and change.moved
    assert [(i.before, i.after) for i in change.indicators] == [(2.0, 6.0)]
    assert str(stopped.uuid) not in {c.uuid for c in comparison.changed}
    # The stored document is the one taken then, unchanged by later edits.
    db.session.commit()
    db.session.expire_all()
    stored = snapshots.snapshots_of(process)[0].document
    assert json.loads(json.dumps(stored)) == stored
    assert stored["nodes"][0]["children"][0]["children"][0]["progress"] == 0.2
