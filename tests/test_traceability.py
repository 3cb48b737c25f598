"""A participant's return link shows the action field and goal-tree nodes each of their ideas fed."""
from datetime import date

from app.extensions import db
from app.models import Contribution, Participant, Process
from app.services.goals import goaltree, indicators


def test_return_link_shows_field_node_status_and_progress_to_the_author_only(app, make, runner):
    event = make.event(tables=1, rounds=1)
    with app.app_context():
        author = Participant(event_id=event.id, token="a" * 43)
        other = Participant(event_id=event.id, token="b" * 43)
        db.session.add_all([author, other])
        db.session.flush()
        process = db.session.get(Process, event.process_id)
        field = process.action_fields[1]
        idea = Contribution(event_id=event.id, participant_id=author.id, text="Sprachcafé in der Bücherei",
                            action_field_id=field.id, status="clustered")
        duplicate = Contribution(event_id=event.id, participant_id=other.id, text="Ein Sprachcafé")
        db.session.add_all([idea, duplicate])
        db.session.flush()
        root = goaltree.ensure_tree(process)
        field_node = next(n for n in root.children if n.action_field_id == field.id)
        goal = goaltree.node_from_ideas(field_node, [idea], {"de": "Sprachcafés in jedem Stadtteil"})
        goaltree.update_node(goal, status="in_progress")
        indicator = indicators.add_indicator(goal, {"de": "Sprachcafés"}, baseline_value=0, target_value=4,
                                           baseline_on=date(2026, 1, 1), target_on=date(2028, 1, 1))
        indicators.record_value(indicator, date(2026, 6, 1), 1)
        db.session.commit()

    page = app.test_client().get("/r/" + "a" * 43).get_data(as_text=True)
    assert 'Handlungsfeld: <bdi lang="de" dir="ltr">Sprache und Bildung</bdi>' in page
    assert "Sprachcafés in jedem Stadtteil" in page and "in Arbeit" in page
    assert "Fortschritt: 25 %" in page and 'value="25"' in page
    assert "Im Zielbaum aufgenommen" in page  # the idea's own status
    assert "Sprachcafés in jedem Stadtteil" not in app.test_client().get("/r/" + "b" * 43).get_data(as_text=True)


def test_a_merged_duplicate_traces_to_the_nodes_of_the_idea_it_lives_on_in(app, make):
    from app.services.cafe import merging

    event = make.event(tables=1, rounds=1)
    with app.app_context():
        people = [Participant(event_id=event.id, token=f"{n}" * 43) for n in (1, 2)]
        db.session.add_all(people)
        db.session.flush()
        kept = Contribution(event_id=event.id, participant_id=people[0].id, text="Patenschaften für Familien")
        duplicate = Contribution(event_id=event.id, participant_id=people[1].id, text="Familienpatenschaften")
        db.session.add_all([kept, duplicate])
        db.session.flush()
        merging.merge(duplicate, kept)
        process = db.session.get(Process, event.process_id)
        root = goaltree.ensure_tree(process)
        goaltree.node_from_ideas(root.children[3], [kept], {"de": "Patenschaftsprogramm"})
        db.session.commit()
    page = app.test_client().get("/r/" + "2" * 43).get_data(as_text=True)
    assert "Familienpatenschaften" in page and "Patenschaftsprogramm" in page
