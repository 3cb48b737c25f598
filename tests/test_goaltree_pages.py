"""The goal-tree editor through HTTP: from a cluster on the board to a goal with measures,
indicator values, a snapshot and its comparison; moves, deletes, and who may do what."""
import re

import pytest

from app.extensions import db
from app.models import Contribution, GoalNode, GoalNodeIdea, Indicator, Participant, Process
from app.services.goals import goaltree, indicators
from app.services.sorting import sorting


@pytest.fixture
def organiser(make, login):
    process = make.process()
    event = make.event(process.id, tables=2, rounds=1)
    user = make.user("orga@example.org", roles=[(process.id, "organiser")])
    login(user)
    return process, event


def tree_url(process, rest=""):
    return f"/organise/processes/{process.id}/goal-tree{rest}"


def node_uuid(app, process_id, title):
    with app.app_context():
        for node in db.session.scalars(db.select(GoalNode).filter_by(process_id=process_id)):
            if node.display_title.get("de") == title:
                return str(node.uuid)
    raise AssertionError(f"no node {title!r}")


def add_ideas(app, event, texts, *, field_index=1, cluster_name=None):
    """Ideas sorted into an action field (and a cluster); returns their UUIDs and the cluster id."""
    with app.app_context():
        process = db.session.get(Process, event.process_id)
        participant = Participant(event_id=event.id, token="p" * 43)
        db.session.add(participant)
        field = process.action_fields[field_index]
        cluster = sorting.create_cluster(field, cluster_name) if cluster_name else None
        ideas = [Contribution(event_id=event.id, participant_id=participant.id, text=text, language="de",
                              action_field_id=field.id, cluster_id=cluster.id if cluster else None,
                              status="clustered") for text in texts]
        db.session.add_all(ideas)
        db.session.commit()
        return [str(i.uuid) for i in ideas], cluster.id if cluster else None


def test_the_tree_is_started_with_one_node_per_action_field(client, organiser):
    process, _ = organiser
    page = client.get(tree_url(process)).get_data(as_text=True)
    assert "Zielbaum anlegen" in page
    response = client.post(tree_url(process, "/start"))
    assert response.status_code == 303
    page = client.get(tree_url(process)).get_data(as_text=True)
    assert page.count('class="goal-node goal-handlungsfeld') == 4
    assert '<bdi lang="de" dir="ltr">Wie leben wir 2030 zusammen?</bdi></h2>' in page  # the Leitziel, titled after the process
    assert re.search(r'goal-number">1</span> · Handlungsfeld', page)
    assert re.search(r'goal-number">4</span> · Handlungsfeld', page)


def test_from_a_cluster_to_a_goal_with_measures_values_snapshot_and_comparison(app, client, organiser):
    """The journey of the issue: cluster → goal → measure → indicator values → snapshot → compare."""
    process, event = organiser
    idea_uuids, cluster_id = add_ideas(app, event, ["Sprachcafé in der Bücherei", "Deutschkurse am Abend"],
                                       cluster_name="Sprachcafés")
    board = client.get(f"/organise/processes/{process.id}/board").get_data(as_text=True)
    assert "Ziel daraus machen" in board

    response = client.post(f"/organise/processes/{process.id}/board/clusters/{cluster_id}/goal")
    assert response.status_code == 303
    goal = node_uuid(app, process.id, "Sprachcafés")
    assert response.headers["Location"].endswith(f"/goal-tree/nodes/{goal}")
    with app.app_context():
        node = db.session.scalar(db.select(GoalNode).filter_by(uuid=goal_uuid_obj(goal)))
        assert node.kind == "ziel" and node.parent.action_field.name["de"] == "Sprache und Bildung"
        assert {str(link.contribution.uuid) for link in node.idea_links} == set(idea_uuids)
    # The board now shows, on each idea, the node it fed.
    board = client.get(f"/organise/processes/{process.id}/board").get_data(as_text=True)
    assert board.count(f"/goal-tree/nodes/{goal}") >= 2

    # A measure under the goal, in progress, with an indicator and a value.
    response = client.post(tree_url(process, f"/nodes/{goal}/children"),
                           data={f"add-{goal}-kind": "massnahme", f"add-{goal}-title": "Sprachcafé Nordstadt"})
    assert response.status_code == 303
    measure = node_uuid(app, process.id, "Sprachcafé Nordstadt")
    response = client.post(tree_url(process, f"/nodes/{measure}"), data={
        "title_de": "Sprachcafé Nordstadt", "title_ar": "مقهى اللغة في الشمال", "description_de": "Jeden Dienstag",
        "kind": "massnahme", "status": "in_progress", "responsible": "Volkshochschule\nStadtbücherei",
        "starts_on": "2027-01-01", "ends_on": "2028-12-31", "weight": "1,5"})
    assert response.status_code == 303, response.get_data(as_text=True)
    response = client.post(tree_url(process, f"/nodes/{measure}/indicators"), data={
        "name_de": "Teilnehmende pro Monat", "unit": "Personen", "baseline_value": "0",
        "baseline_on": "2026-01-01", "target_value": "40", "target_on": "2028-12-31", "data_source": "VHS"})
    assert response.status_code == 303
    indicator_url = response.headers["Location"]
    assert client.post(indicator_url + "/values", data={"measured_on": "2027-06-30", "value": "10"}).status_code == 303

    tree = client.get(tree_url(process)).get_data(as_text=True)
    assert "Fortschritt: 25 %" in tree  # the measure: 10 of 40
    assert '<bdi lang="de" dir="ltr">Volkshochschule</bdi>, <bdi lang="de" dir="ltr">Stadtbücherei</bdi>' in tree
    assert "Aus 2 Ideen" in tree and "Sprachcafé in der Bücherei" in tree

    # Freeze, change a value, compare with today.
    response = client.post(tree_url(process, "/snapshots"), data={"name": "Evaluation 2027"})
    assert response.status_code == 303
    assert client.post(indicator_url + "/values", data={"measured_on": "2028-06-30", "value": "30"}).status_code == 303
    snapshots_page = client.get(tree_url(process, "/snapshots")).get_data(as_text=True)
    compare_link = re.search(r'href="([^"]*/compare\?old=[^"]*)"', snapshots_page).group(1).replace("&amp;", "&")
    comparison = client.get(compare_link).get_data(as_text=True)
    assert '<bdi lang="de" dir="ltr">Evaluation 2027</bdi> und Heute im Vergleich' in comparison
    assert "Teilnehmende pro Monat" in comparison
    assert re.search(r">10</bdi></td>\s*<td class=\"number\"><bdi>30</bdi>", comparison)  # the value moved 10 → 30
    assert re.search(r">25 %</bdi></td>\s*<td class=\"number\"><bdi>75 %</bdi>", comparison)  # the measure's progress
    # The snapshot itself keeps the old value and progress.
    snapshot_link = re.search(r'href="([^"]*/goal-tree/snapshots/[^"]+)"', snapshots_page).group(1)
    frozen = client.get(snapshot_link).get_data(as_text=True)
    assert "Fortschritt: 25 %" in frozen and "Fortschritt: 75 %" not in frozen


def goal_uuid_obj(value):
    import uuid

    return uuid.UUID(value)


def test_goal_from_ticked_ideas_needs_one_action_field_and_keeps_the_typed_title(app, client, organiser):
    process, event = organiser
    first, _ = add_ideas(app, event, ["Mehr Kitaplätze"], field_index=2)
    with app.app_context():
        participant = db.session.scalar(db.select(Participant).filter_by(event_id=event.id))
        unsorted = Contribution(event_id=event.id, participant_id=participant.id, text="Ein Fest für alle")
        db.session.add(unsorted)
        db.session.commit()
        unsorted_uuid = str(unsorted.uuid)
    board_url = f"/organise/processes/{process.id}/board/goal"
    response = client.post(board_url, data={"selected": [first[0], unsorted_uuid], "goal_title": "Betreuung für alle"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ideen eines Handlungsfelds" in page
    assert 'value="Betreuung für alle"' in page  # nothing typed is lost
    assert page.count("checked") >= 2  # and the ticks stay
    response = client.post(board_url, data={"selected": [first[0]], "goal_title": "Betreuung für alle"})
    assert response.status_code == 303
    assert node_uuid(app, process.id, "Betreuung für alle")


def test_moves_reorder_and_the_descendant_refusal(app, client, organiser):
    process, _ = organiser
    client.post(tree_url(process, "/start"))
    with app.app_context():
        root = goaltree.root_of(db.session.get(Process, process.id))
        field = root.children[0]
        a = goaltree.add_node(field, "ziel", "Ziel A")
        b = goaltree.add_node(field, "ziel", "Ziel B")
        child = goaltree.add_node(a, "massnahme", "Maßnahme unter A")
        db.session.commit()
        a, b, child, field = str(a.uuid), str(b.uuid), str(child.uuid), str(field.uuid)

    # Keyboard path: the move page lists every place but the node itself and what is below it.
    page = client.get(tree_url(process, f"/nodes/{a}/move")).get_data(as_text=True)
    assert f'value="{b}"' in page and f'value="{a}"' not in page and f'value="{child}"' not in page
    assert client.post(tree_url(process, f"/nodes/{a}/move"), data={"direction": "down"}).status_code == 303
    with app.app_context():
        assert [n.title["de"] for n in goaltree.node_of_process(db.session.get(Process, process.id), field).children] \
            == ["Ziel B", "Ziel A"]
    # Under its own descendant: refused, with a message (JSON for the drag and drop, a page otherwise).
    response = client.post(tree_url(process, f"/nodes/{a}/move"), data={"parent": child},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409 and "Unterknoten" in response.get_json()["error"]
    response = client.post(tree_url(process, f"/nodes/{a}/move"), data={"parent": child})
    assert response.status_code == 409 and "nicht unter sich selbst" in response.get_data(as_text=True)
    # Drag and drop: B under A, first.
    response = client.post(tree_url(process, f"/nodes/{b}/move"), data={"parent": a, "position": "0"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["parent"] == a
    tree = client.get(tree_url(process)).get_data(as_text=True)
    assert re.search(r'goal-number">1\.1\.1</span> · Ziel', tree)  # B is now 1.1.1, before the measure
    assert tree.index("Ziel B") < tree.index("Maßnahme unter A")


def test_delete_asks_first_and_returns_ideas_to_the_board(app, client, organiser):
    process, event = organiser
    idea_uuids, cluster_id = add_ideas(app, event, ["Patenschaften für Neuankommende"], cluster_name="Paten")
    client.post(f"/organise/processes/{process.id}/board/clusters/{cluster_id}/goal")
    goal = node_uuid(app, process.id, "Paten")
    client.post(tree_url(process, f"/nodes/{goal}/children"), data={f"add-{goal}-kind": "massnahme",
                                                                    f"add-{goal}-title": "Patenbörse"})
    page = client.get(tree_url(process, f"/nodes/{goal}/delete")).get_data(as_text=True)
    assert '„<bdi lang="de" dir="ltr">Paten</bdi>“ löschen?' in page and "1 Knoten darunter" in page and "zurück auf die Sortierwand" in page
    with app.app_context():
        assert db.session.scalar(db.select(Contribution.status).filter_by(uuid=goal_uuid_obj(idea_uuids[0]))) \
            == "in_goal_tree"
    assert client.post(tree_url(process, f"/nodes/{goal}/delete")).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GoalNode.id)).filter_by(process_id=process.id)) == 5
        assert db.session.scalar(db.select(Contribution.status).filter_by(uuid=goal_uuid_obj(idea_uuids[0]))) \
            == "clustered"


def test_bad_input_is_answered_in_words_and_kept(app, client, organiser):
    process, _ = organiser
    client.post(tree_url(process, "/start"))
    with app.app_context():
        field = goaltree.root_of(db.session.get(Process, process.id)).children[0]
        goal = str(goaltree.add_node(field, "ziel", "Ziel").uuid)
        db.session.commit()
    response = client.post(tree_url(process, f"/nodes/{goal}/children"), data={f"add-{goal}-kind": "massnahme",
                                                                               f"add-{goal}-title": " "})
    assert response.status_code == 400 and "Bitte geben Sie einen Titel ein." in response.get_data(as_text=True)
    response = client.post(tree_url(process, f"/nodes/{goal}"), data={
        "title_de": "Ziel neu", "kind": "ziel", "status": "planned", "weight": "viel",
        "starts_on": "2028-01-01", "ends_on": "2027-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte geben Sie eine Zahl ein." in page and 'value="Ziel neu"' in page
    response = client.post(tree_url(process, f"/nodes/{goal}"), data={
        "title_de": "Ziel neu", "kind": "ziel", "status": "planned", "weight": "1",
        "starts_on": "2028-01-01", "ends_on": "2027-01-01"})
    assert response.status_code == 400 and "Das Ende liegt vor dem Beginn." in response.get_data(as_text=True)
    response = client.post(tree_url(process, f"/nodes/{goal}/indicators"), data={"name_de": "Quote", "target_value": "x"})
    assert response.status_code == 400 and "Bitte geben Sie eine Zahl ein." in response.get_data(as_text=True)
    assert client.get(tree_url(process, "/nodes/not-a-uuid")).status_code == 404
    assert client.get(tree_url(process, "/compare?old=nope")).status_code == 404
    response = client.post(tree_url(process, "/snapshots"), data={"name": ""})
    assert response.status_code == 400


def test_values_replace_on_the_same_day_and_indicators_delete_after_confirmation(app, client, organiser):
    process, _ = organiser
    client.post(tree_url(process, "/start"))
    with app.app_context():
        field = goaltree.root_of(db.session.get(Process, process.id)).children[0]
        goal = goaltree.add_node(field, "ziel", "Ziel", status="in_progress")
        indicator = indicators.add_indicator(goal, "Quote ohne Abschluss", unit="%", baseline_value=9, target_value=5)
        db.session.commit()
        goal, indicator = str(goal.uuid), str(indicator.uuid)
    url = tree_url(process, f"/indicators/{indicator}")
    client.post(url + "/values", data={"measured_on": "2027-01-01", "value": "8"})
    client.post(url + "/values", data={"measured_on": "2027-01-01", "value": "7"})  # same day: replaced
    page = client.get(url).get_data(as_text=True)
    assert "Fortschritt: 50 %" in page  # 9 → 5, now 7: half-way, though the target is below the baseline
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Indicator)) == 1
    assert client.post(url + "/delete").status_code == 400  # not confirmed
    assert client.post(url + "/delete", data={"confirm": "yes"}).status_code == 303
    assert client.get(url).status_code == 404


def test_steering_reads_participants_and_other_organisers_do_not(app, client, make, login):
    process = make.process()
    other = make.process("Anderer Prozess")
    client_steering = client
    login(make.user("steuer@example.org", roles=[(process.id, "steering")]))
    with app.app_context():
        goaltree.ensure_tree(db.session.get(Process, process.id))
        db.session.commit()
    assert client_steering.get(tree_url(process)).status_code == 200
    assert "Darunter anlegen" not in client_steering.get(tree_url(process)).get_data(as_text=True)
    assert client_steering.post(tree_url(process, "/start")).status_code == 403
    assert client_steering.post(tree_url(process, "/snapshots"), data={"name": "X"}).status_code == 403
    assert client_steering.get(tree_url(other)).status_code == 403
    assert app.test_client().get(tree_url(process)).status_code == 302  # to the login


def test_a_node_of_another_process_is_not_found(app, client, make, login):
    mine, theirs = make.process(), make.process("Anderer Prozess")
    login(make.user("orga@example.org", roles=[(mine.id, "organiser")]))
    with app.app_context():
        goaltree.ensure_tree(db.session.get(Process, mine.id))
        root = goaltree.ensure_tree(db.session.get(Process, theirs.id))
        foreign = str(goaltree.add_node(root.children[0], "ziel", "Fremdes Ziel").uuid)
        db.session.commit()
    assert client.get(tree_url(mine, f"/nodes/{foreign}")).status_code == 404
    assert client.post(tree_url(mine, f"/nodes/{foreign}/delete")).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(GoalNode).filter_by(uuid=goal_uuid_obj(foreign))) is not None
        assert db.session.scalar(db.select(db.func.count(GoalNodeIdea.id))) == 0


def test_the_tree_and_a_snapshot_offer_every_download(app, client, organiser):
    process, _ = organiser
    client.post(tree_url(process, "/start"))
    client.post(tree_url(process, "/snapshots"), data={"name": "Evaluation 2027"})
    page = client.get(tree_url(process)).get_data(as_text=True)
    form = re.search(r'<form method="get" action="([^"]+/goal-tree/export)">(.*?)</form>', page, re.S)
    offered = re.findall(r'name="format" value="(\w+)"', form.group(2))
    assert offered == ["xlsx", "docx", "svg", "csv", "md", "opml", "mm", "json"]
    response = client.get(form.group(1), query_string={"format": "docx", "lang": "ar"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    snapshots_page = client.get(tree_url(process, "/snapshots")).get_data(as_text=True)
    snapshot_page = client.get(re.search(r'href="([^"]*/goal-tree/snapshots/[^"]+)"', snapshots_page).group(1))
    snapshot_uuid = re.search(r'name="snapshot" value="([^"]+)"', snapshot_page.get_data(as_text=True)).group(1)
    response = client.get(form.group(1), query_string={"format": "json", "snapshot": snapshot_uuid})
    assert response.status_code == 200 and response.get_json()["schema"] == "worldcafe.goal-tree"


def test_review_fixes_numbers_hidden_ideas_deletion_count_and_kept_languages(app, client, organiser):
    """Numbers keep every digit through a save, hidden ideas leave the tree, the delete page counts
    the ideas of the whole subtree, a target date before the baseline is refused on creation too,
    and saving a node keeps its texts in languages the form does not show."""
    process, event = organiser
    idea_uuids, cluster_id = add_ideas(app, event, ["Sprachpaten", "Lesepaten"], cluster_name="Paten")
    client.post(f"/organise/processes/{process.id}/board/clusters/{cluster_id}/goal")
    goal = node_uuid(app, process.id, "Paten")
    client.post(tree_url(process, f"/nodes/{goal}/children"), data={f"add-{goal}-kind": "massnahme",
                                                                    f"add-{goal}-title": "Patenbörse"})
    measure = node_uuid(app, process.id, "Patenbörse")
    with app.app_context():
        node = goaltree.node_of_process(db.session.get(Process, process.id), measure)
        node.title = {**node.title, "tr": "Vaftiz borsası"}
        goaltree.link_ideas(node, [db.session.scalar(db.select(Contribution).filter_by(uuid=goal_uuid_obj(idea_uuids[0])))])
        db.session.commit()
    # The goal's delete page counts both ideas: one only on the goal, one on the goal and its measure.
    assert "Die 2 verbundenen Ideen" in client.get(tree_url(process, f"/nodes/{goal}/delete")).get_data(as_text=True)

    response = client.post(tree_url(process, f"/nodes/{measure}/indicators"), data={
        "name_de": "Paten", "baseline_value": "1234567", "baseline_on": "2027-01-01", "target_on": "2026-01-01"})
    assert response.status_code == 400 and "Das Zieldatum liegt vor dem Datum des Ausgangswerts." in response.get_data(as_text=True)
    response = client.post(tree_url(process, f"/nodes/{measure}/indicators"), data={
        "name_de": "Paten", "baseline_value": "1234567", "target_value": "0,123456789"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="1234567"' in page and 'value="0.123456789"' in page

    client.post(tree_url(process, f"/nodes/{measure}"), data={"title_de": "Patenbörse", "kind": "massnahme",
                                                               "status": "done", "weight": "1"})
    with app.app_context():
        node = goaltree.node_of_process(db.session.get(Process, process.id), measure)
        assert node.status == "done" and node.title["tr"] == "Vaftiz borsası"
        idea = db.session.scalar(db.select(Contribution).filter_by(uuid=goal_uuid_obj(idea_uuids[1])))
        idea.hidden_at = idea.created_at
        db.session.commit()
    tree = client.get(tree_url(process)).get_data(as_text=True)
    assert "Sprachpaten" in tree and "Lesepaten" not in tree


def test_a_goal_from_a_cluster_leaves_deleted_field_nodes_deleted(app, client, organiser):
    process, event = organiser
    _ideas, cluster_id = add_ideas(app, event, ["Sprachcafé am Markt"], field_index=1, cluster_name="Sprachcafés")
    client.post(tree_url(process, "/start"))
    with app.app_context():
        root = goaltree.root_of(db.session.get(Process, process.id))
        deleted, needed = root.children[3], root.children[1]
        deleted_name, needed_name = deleted.display_title["de"], needed.display_title["de"]
        goaltree.delete_node(deleted)
        goaltree.delete_node(needed)  # the cluster's own field node: made again when needed
        db.session.commit()
    client.post(f"/organise/processes/{process.id}/board/clusters/{cluster_id}/goal")
    with app.app_context():
        fields = [n.display_title["de"] for n in goaltree.root_of(db.session.get(Process, process.id)).children]
    assert len(fields) == 3 and deleted_name not in fields and needed_name in fields
    with app.app_context():
        goal = goaltree.node_of_process(db.session.get(Process, process.id), node_uuid(app, process.id, "Sprachcafés"))
        assert goal.parent.display_title["de"] == needed_name
