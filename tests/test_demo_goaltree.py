"""`flask demo` builds a small goal tree with indicators, linked ideas and one evaluation snapshot."""
from app.extensions import db
from app.models import (Cluster, Contribution, GoalNode, GoalNodeIdea, Indicator, IndicatorValue, Process,
                        Snapshot)
from app.services.goals import snapshots


def counts() -> dict:
    return {model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
            for model in (GoalNode, Indicator, IndicatorValue, GoalNodeIdea, Snapshot, Cluster)}


def test_demo_builds_the_goal_tree_and_a_snapshot_once(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        nodes = db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id)).all()
        kinds = [node.kind for node in nodes]
        root = next(node for node in nodes if node.parent_id is None)
        assert root.kind == "leitziel" and {"de", "en", "ar"} <= set(root.title)
        assert kinds.count("handlungsfeld") == 4 and kinds.count("ziel") >= 4
        fields = [node for node in nodes if node.kind == "handlungsfeld"]
        assert all(any(child.kind == "ziel" for child in field.children) for field in fields)
        assert {node.status for node in nodes} >= {"planned", "in_progress", "done", "dropped"}
        assert any(node.responsible for node in nodes)

        indicators = db.session.scalars(db.select(Indicator)).all()
        assert len(indicators) >= 4 and all(indicator.values for indicator in indicators)
        assert any(i.target_value < i.baseline_value for i in indicators)  # a target below the baseline
        assert all(i.data_source and i.baseline_on and i.target_on for i in indicators)

        links = db.session.scalars(db.select(GoalNodeIdea)).all()
        assert len(links) >= 8
        # Linked ideas are people's (a phone's, or statements of an interview or a host's tablecloth).
        assert all(link.contribution.participant_id is not None or link.contribution.origin in ("interview", "host")
                   for link in links)
        assert all(link.contribution.status == "in_goal_tree" for link in links)
        cluster = db.session.scalar(db.select(Cluster))
        from_cluster = next(node for node in nodes if node.title.get("de") == cluster.name)
        assert {link.contribution_id for link in from_cluster.idea_links} == set(
            db.session.scalars(db.select(Contribution.id).filter_by(cluster_id=cluster.id)))

        by_name = {snapshot.name: snapshot for snapshot in snapshots.snapshots_of(process)}
        assert set(by_name) == {"Ausgangslage 2025", "Evaluation 2026"}  # two to compare for the evaluation
        snapshot = by_name["Evaluation 2026"]
        comparison = snapshots.compare_with_today(snapshot)
        moved = [change for node in comparison.changed for change in node.indicators
                 if change.before != change.after]
        assert moved and all(change.before is not None for change in moved)
        assert any(node.progress_after != node.progress_before for node in comparison.changed)
        assert not comparison.added and not comparison.dropped
        before = counts()

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert counts() == before


def test_a_demo_participant_traces_an_idea_to_its_goal(runner, app):
    runner.invoke(args=["demo"])
    with app.app_context():
        link = db.session.scalar(db.select(GoalNodeIdea).order_by(GoalNodeIdea.id))
        token, title = link.contribution.participant.token, link.node.title["de"]
    page = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    assert title in page and "Im Zielbaum aufgenommen" in page
