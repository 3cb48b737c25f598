"""Organisers sort the ideas of a whole process into action fields and clusters on the board.

Everything goes through the HTTP surface an organiser touches; each change is checked in the database.
"""
import re
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import (ActionField, Cluster, Contribution, ContributionTranslation, Merge, Participant, Process, Suggestion,
                        Vote)
from app.models.base import utcnow


@pytest.fixture
def board(app, make, login):
    """A process with two events and a few ideas, another process with its own, and its organiser logged in."""
    process = make.process()
    forum = make.event(process.id, tables=3, rounds=2)
    workshop = make.event(process.id, tables=2, rounds=1)
    other = make.event(make.process("Ein anderer Ort").id, tables=1, rounds=1)
    ideas = SimpleNamespace(
        cafe=add_idea(app, forum, "Ein Sprachcafé in der Bücherei"),
        bench=add_idea(app, forum, "Mehr Bänke an der Ruhr", round_index=1, table_index=2),
        arabic=add_idea(app, forum, "دورات لغة في المساء", language="ar",
                        german="Sprachkurse am Abend"),
        jobs=add_idea(app, workshop, "Praktikumsbörse mit Betrieben"),
        hidden=add_idea(app, forum, "Werbung für einen Laden", hidden=True),
        foreign=add_idea(app, other, "Eine Idee aus einem anderen Prozess"),
    )
    with app.app_context():
        fields = [f.id for f in db.session.get(Process, process.id).action_fields]
    login(make.user("orga@example.org", roles=[(process.id, "organiser")]))
    return SimpleNamespace(process=process, forum=forum, workshop=workshop, other=other, ideas=ideas,
                           fields=fields, url=f"/organise/processes/{process.id}/board")


def add_idea(app, event, text, *, language="de", german=None, round_index=0, table_index=0, hidden=False):
    with app.app_context():
        idea = Contribution(event_id=event.id, round_id=event.round_ids[round_index],
                            table_id=event.table_ids[table_index], text=text, language=language)
        if german:
            idea.translations.append(ContributionTranslation(language="de", text=german))
        if hidden:
            idea.hidden_at, idea.hidden_reason = utcnow(), "Werbung"
        db.session.add(idea)
        db.session.commit()
        return SimpleNamespace(id=idea.id, uuid=str(idea.uuid), text=text, event_id=event.id)


def load(app, idea):
    with app.app_context():
        row = db.session.get(Contribution, idea.id)
        return SimpleNamespace(field=row.action_field_id, cluster=row.cluster_id, status=row.status,
                               merged_into=row.merged_into_id)


def give_dots(app, event, idea, dots):
    """`dots` dots on `idea`, one from each of as many new participants."""
    with app.app_context():
        for _ in range(dots):
            person = Participant(event_id=event.id, token=f"token-{idea.id}-{_}" * 3)
            db.session.add(person)
            db.session.flush()
            db.session.add(Vote(participant_id=person.id, contribution_id=idea.id))
        db.session.commit()


def dots_on(app, idea):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Vote.id)).filter_by(contribution_id=idea.id))


def column(page: str, target: str) -> str:
    """The HTML of one column of the board (`unsorted`, `field-3`)."""
    start = page.index(f'id="column-{target}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def move(client, board, idea, to, **query):
    return client.post(f"{board.url}/ideas/{idea.uuid}/move", query_string=query, data={"to": to})


# Action fields

def test_organiser_adds_an_action_field_in_several_languages(client, app, board):
    form = client.get(f"/organise/processes/{board.process.id}/fields/new").get_data(as_text=True)
    for language in ("Deutsch", "English", "العربية"):
        assert language in form
    assert 'type="color"' in form
    response = client.post(f"/organise/processes/{board.process.id}/fields/new", data={
        "name_de": " Gesundheit ", "name_en": "Health", "name_ar": "", "description_de": "Ärzte und Pflege",
        "keywords": " Arzt, Pflege,, arzt , Krankenhaus", "colour": "#AA3300",
    })
    assert response.status_code == 303
    with app.app_context():
        field = db.session.scalar(db.select(ActionField).order_by(ActionField.id.desc()))
        assert field.name == {"de": "Gesundheit", "en": "Health"}
        assert field.description == {"de": "Ärzte und Pflege"}
        assert field.keywords == ["Arzt", "Pflege", "Krankenhaus"]
        assert (field.colour, field.position, field.process_id) == ("#aa3300", 4, board.process.id)
    page = client.get(f"/organise/processes/{board.process.id}").get_data(as_text=True)
    assert "Gesundheit" in page and "Ideen sortieren" in page
    assert '<bdi dir="auto" lang="">Arzt</bdi>, <bdi dir="auto" lang="">Pflege</bdi>, ' in page  # in any language


@pytest.mark.parametrize("data, message", [
    ({"name_de": " ", "name_en": "Health", "colour": "#aa3300"}, "Bitte geben Sie den Namen auf Deutsch ein."),
    ({"name_de": "Gesundheit", "colour": "red"}, "Bitte geben Sie die Farbe als #rrggbb an"),
    ({"name_de": "Gesundheit", "colour": "#aa3300", "keywords": "x" * 61}, "Höchstens 40 Stichwörter"),
])
def test_an_action_field_needs_a_german_name_and_a_colour(client, app, board, data, message):
    response = client.post(f"/organise/processes/{board.process.id}/fields/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ActionField.id)).filter_by(process_id=board.process.id)) == 4


def test_editing_a_field_keeps_the_languages_the_form_does_not_offer(client, app, board):
    field_id = board.fields[0]
    with app.app_context():
        field = db.session.get(ActionField, field_id)
        field.name["tr"] = "Eğitim ve iş"
        db.session.commit()
    url = f"/organise/processes/{board.process.id}/fields/{field_id}/edit"
    assert "Ausbildung und Arbeit" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"name_de": "Arbeit", "name_en": "", "description_de": "Neu",
                                      "keywords": "Job", "colour": "#123456"})
    assert response.status_code == 303
    with app.app_context():
        field = db.session.get(ActionField, field_id)
        assert field.name == {"de": "Arbeit", "tr": "Eğitim ve iş"}
        assert field.description["de"] == "Neu" and field.description["en"].startswith("Paths into")
        assert (field.keywords, field.colour) == (["Job"], "#123456")


def test_fields_of_another_process_cannot_be_edited(client, board):
    with client.application.app_context():
        foreign = db.session.scalar(db.select(ActionField).filter(ActionField.process_id != board.process.id)).id
    assert client.get(f"/organise/processes/{board.process.id}/fields/{foreign}/edit").status_code == 404
    assert client.post(f"/organise/processes/{board.process.id}/fields/{foreign}/delete").status_code == 404


def field_order(app, process_id):
    with app.app_context():
        return [f.name["de"] for f in db.session.get(Process, process_id).action_fields]


def test_organiser_orders_the_fields_with_buttons(client, app, board):
    url = f"/organise/processes/{board.process.id}/fields/{{}}/move"
    before = field_order(app, board.process.id)
    response = client.post(url.format(board.fields[0]), data={"direction": "down"})
    assert response.status_code == 303 and response.location.endswith(f"#field-{board.fields[0]}")
    assert field_order(app, board.process.id) == [before[1], before[0], *before[2:]]
    client.post(url.format(board.fields[3]), data={"direction": "up"})
    assert field_order(app, board.process.id) == [before[1], before[0], before[3], before[2]]
    client.post(url.format(board.fields[1]), data={"direction": "up"})  # already first: nothing moves
    assert field_order(app, board.process.id) == [before[1], before[0], before[3], before[2]]
    assert client.post(url.format(board.fields[1]), data={"direction": "sideways"}).status_code == 400
    page = client.get(f"/organise/processes/{board.process.id}").get_data(as_text=True)
    assert page.index(before[1]) < page.index(before[0]) < page.index(before[3]) < page.index(before[2])


def test_a_field_with_ideas_cannot_be_deleted(client, app, board):
    empty, used = board.fields[2], board.fields[3]
    move(client, board, board.ideas.cafe, f"field-{used}")
    refused = client.post(f"/organise/processes/{board.process.id}/fields/{used}/delete")
    assert refused.status_code == 409
    assert "Diesem Handlungsfeld sind noch Ideen zugeordnet (1)." in refused.get_data(as_text=True)
    client.post(f"{board.url}/fields/{empty}/clusters", data={f"new-cluster-{empty}-name": "Treffpunkte"})
    with app.app_context():  # a hidden idea in the field does not keep it alive; it goes back to unsorted
        hidden = db.session.get(Contribution, board.ideas.hidden.id)
        hidden.action_field_id, hidden.status = empty, "clustered"
        db.session.commit()
    response = client.post(f"/organise/processes/{board.process.id}/fields/{empty}/delete")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ActionField, empty) is None and db.session.get(ActionField, used) is not None
        assert not db.session.scalars(db.select(Cluster)).all()
        assert [f.position for f in db.session.get(Process, board.process.id).action_fields] == [0, 1, 2]
    assert (load(app, board.ideas.hidden).field, load(app, board.ideas.hidden).status) == (None, "new")


# The board

def test_board_shows_the_ideas_of_every_event_of_the_process_only(client, board):
    page = client.get(board.url).get_data(as_text=True)
    unsorted = column(page, "unsorted")
    for idea in (board.ideas.cafe, board.ideas.bench, board.ideas.arabic, board.ideas.jobs):
        assert idea.text in unsorted
    assert "Sprachkurse am Abend" in unsorted  # the German translation below the Arabic original
    assert board.ideas.hidden.text not in page and board.ideas.foreign.text not in page
    assert page.count('class="idea board-card"') == 4
    for field_id in board.fields:
        assert f'data-target="field-{field_id}"' in page
    assert page.index('id="column-unsorted"') < page.index(f'id="column-field-{board.fields[0]}"')
    assert 'data-field-colour="#1d70b8"' in page  # staff.js makes it --field-colour (no style attributes under the CSP)


def test_moving_one_idea_by_its_card_form(client, app, board):
    field_id = board.fields[1]
    response = move(client, board, board.ideas.cafe, f"field-{field_id}", q="sprach")
    assert response.status_code == 303
    assert response.location.endswith(f"/board?q=sprach#idea-{board.ideas.cafe.uuid}")
    assert load(app, board.ideas.cafe) == SimpleNamespace(field=field_id, cluster=None, status="clustered",
                                                          merged_into=None)
    page = client.get(response.location).get_data(as_text=True)
    assert 'Die Idee liegt jetzt in „<bdi lang="de" dir="ltr">Sprache und Bildung</bdi>“.' in page
    assert board.ideas.cafe.text in column(page, f"field-{field_id}")
    with app.app_context():
        assert db.session.get(Process, board.process.id).suggestions_stale_at is not None

    move(client, board, board.ideas.cafe, "unsorted")
    assert (load(app, board.ideas.cafe).field, load(app, board.ideas.cafe).status) == (None, "new")


def test_after_a_move_the_board_comes_back_at_the_next_card_of_the_list(client, board):
    page = client.get(board.url).get_data(as_text=True)
    card = page[page.index(f'id="idea-{board.ideas.cafe.uuid}"'):page.index(f'id="idea-{board.ideas.bench.uuid}"')]
    assert f'name="next" value="{board.ideas.bench.uuid}"' in card  # the card that takes its place
    url = f"{board.url}/ideas/{board.ideas.cafe.uuid}/move"
    moved = client.post(url, data={"to": f"field-{board.fields[0]}", "next": board.ideas.bench.uuid})
    assert moved.location.endswith(f"#idea-{board.ideas.bench.uuid}")
    stayed = client.post(url, data={"to": f"field-{board.fields[0]}", "next": board.ideas.bench.uuid})
    assert stayed.location.endswith(f"#idea-{board.ideas.cafe.uuid}")  # nothing moved: back at the card
    odd = client.post(url, data={"to": "unsorted", "next": '"><script>'})
    assert odd.location.endswith(f"#idea-{board.ideas.cafe.uuid}")


def test_a_move_keeps_a_status_further_along(client, app, board):
    with app.app_context():
        db.session.get(Contribution, board.ideas.bench.id).status = "in_goal_tree"
        db.session.commit()
    move(client, board, board.ideas.bench, f"field-{board.fields[2]}")
    move(client, board, board.ideas.bench, "unsorted")
    assert load(app, board.ideas.bench).status == "in_goal_tree"


def test_a_move_to_nowhere_or_of_a_foreign_idea_is_refused(client, app, board):
    refused = move(client, board, board.ideas.cafe, "somewhere")
    assert refused.status_code == 400
    assert "Bitte wählen Sie aus, wohin die Ideen sollen." in refused.get_data(as_text=True)
    with app.app_context():
        foreign_field = db.session.scalar(
            db.select(ActionField.id).filter(ActionField.process_id == board.other.process_id))
    assert move(client, board, board.ideas.cafe, f"field-{foreign_field}").status_code == 404
    assert move(client, board, board.ideas.foreign, f"field-{board.fields[0]}").status_code == 404
    assert client.post(f"{board.url}/ideas/not-a-uuid/move", data={"to": "unsorted"}).status_code == 404
    assert load(app, board.ideas.cafe).field is None and load(app, board.ideas.foreign).field is None


def test_the_javascript_gets_json_for_a_move(client, app, board):
    target = f"field-{board.fields[0]}"
    response = client.post(f"{board.url}/ideas/{board.ideas.jobs.uuid}/move", data={"to": target},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json() == {"status": "moved", "idea": board.ideas.jobs.uuid, "target": target,
                                   "idea_status": "clustered"}
    refused = client.post(f"{board.url}/ideas/{board.ideas.jobs.uuid}/move", data={"to": "nowhere"},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 400 and "wohin" in refused.get_json()["error"]
    assert load(app, board.ideas.jobs).field == board.fields[0]


def test_the_board_page_carries_what_drag_and_drop_needs(client, board):
    page = client.get(board.url).get_data(as_text=True)
    move_url = f"/organise/processes/{board.process.id}/board/ideas/{board.ideas.cafe.uuid}/move"
    assert f'draggable="true" tabindex="-1" data-move-url="{move_url}"' in page
    assert 'data-cards="unsorted"' in page and f'data-cards="field-{board.fields[0]}"' in page
    assert 'id="board"' in page and 'form="bulk-form"' in page


def test_bulk_move_of_the_selected_ideas(client, app, board):
    ideas = (board.ideas.cafe, board.ideas.arabic, board.ideas.jobs)  # from both events
    response = client.post(f"{board.url}/move", query_string={"language": "de"},
                           data={"selected": [i.uuid for i in ideas], "to": f"field-{board.fields[1]}"})
    assert response.status_code == 303 and response.location.endswith("/board?language=de#board")
    for idea in ideas:
        assert (load(app, idea).field, load(app, idea).status) == (board.fields[1], "clustered")
    assert load(app, board.ideas.bench).field is None
    assert '3 Ideen liegen jetzt in „<bdi lang="de" dir="ltr">Sprache und Bildung</bdi>“.' in client.get(response.location).get_data(as_text=True)

    nothing = client.post(f"{board.url}/move", data={"to": f"field-{board.fields[0]}"})
    assert nothing.status_code == 400 and "Bitte wählen Sie mindestens eine Idee aus." in nothing.get_data(as_text=True)
    mixed = client.post(f"{board.url}/move", data={"selected": [board.ideas.bench.uuid, board.ideas.foreign.uuid],
                                                   "to": f"field-{board.fields[0]}"})
    assert mixed.status_code == 404 and load(app, board.ideas.bench).field is None


def test_merge_from_the_board_and_undo_restores_the_dots(client, app, board):
    give_dots(app, board.forum, board.ideas.cafe, 2)
    give_dots(app, board.forum, board.ideas.arabic, 1)
    response = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.cafe.uuid, board.ideas.arabic.uuid], "target": board.ideas.arabic.uuid})
    assert response.status_code == 303 and response.location.endswith(f"#idea-{board.ideas.arabic.uuid}")
    assert load(app, board.ideas.cafe).merged_into == board.ideas.arabic.id
    assert (dots_on(app, board.ideas.cafe), dots_on(app, board.ideas.arabic)) == (0, 3)
    page = client.get(board.url).get_data(as_text=True)
    assert "Die Ideen sind zusammengeführt." in page and "3 Punkte" in page
    assert f'id="idea-{board.ideas.cafe.uuid}"' not in page  # the merged duplicate leaves the board
    with app.app_context():
        record = db.session.scalar(db.select(Merge))
        assert record.user_id is not None
        merge_uuid = str(record.uuid)
    assert f"/board/merges/{merge_uuid}/undo" in page

    undone = client.post(f"{board.url}/merges/{merge_uuid}/undo")
    assert undone.status_code == 303
    assert load(app, board.ideas.cafe).merged_into is None and load(app, board.ideas.cafe).status == "new"
    assert (dots_on(app, board.ideas.cafe), dots_on(app, board.ideas.arabic)) == (2, 1)
    page = client.get(board.url).get_data(as_text=True)
    assert "Die Zusammenführung ist rückgängig gemacht." in page and f'id="idea-{board.ideas.cafe.uuid}"' in page
    again = client.post(f"{board.url}/merges/{merge_uuid}/undo")
    assert again.status_code == 409 and "schon rückgängig" in again.get_data(as_text=True)


def test_duplicates_merge_across_events_of_the_process_but_need_a_choice(client, app, board):
    across = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.cafe.uuid, board.ideas.jobs.uuid], "target": board.ideas.jobs.uuid})
    assert across.status_code == 303
    assert load(app, board.ideas.cafe).merged_into == board.ideas.jobs.id
    with app.app_context():
        record = db.session.scalar(db.select(Merge))
    client.post(f"{board.url}/merges/{record.uuid}/undo")
    assert load(app, board.ideas.cafe).merged_into is None
    no_target = client.post(f"{board.url}/merge", data={"selected": [board.ideas.cafe.uuid, board.ideas.bench.uuid]})
    assert no_target.status_code == 400
    alone = client.post(f"{board.url}/merge", data={"selected": [board.ideas.cafe.uuid],
                                                    "target": board.ideas.cafe.uuid})
    assert alone.status_code == 400
    foreign = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.foreign.uuid], "target": board.ideas.cafe.uuid})
    assert foreign.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Merge.id))) == 1  # only the undone one


# Clusters

def test_clusters_inside_a_field(client, app, board):
    field_id = board.fields[1]
    prefix = f"new-cluster-{field_id}"
    created = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": " Sprachcafés "})
    assert created.status_code == 303
    with app.app_context():
        cluster = db.session.scalar(db.select(Cluster))
        assert (cluster.name, cluster.action_field_id) == ("Sprachcafés", field_id)
        assert cluster.process_id == board.process.id
        cluster_id = cluster.id
    assert created.location.endswith(f"#cluster-{cluster_id}")
    twice = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": "sprachcafés"})
    assert twice.status_code == 400 and "schon einen Cluster mit diesem Namen" in twice.get_data(as_text=True)
    empty = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": " "})
    assert empty.status_code == 400 and "Bitte geben Sie einen Namen ein." in empty.get_data(as_text=True)

    # Into the cluster: by its card form, and the field comes with it.
    move(client, board, board.ideas.cafe, f"cluster-{cluster_id}")
    move(client, board, board.ideas.arabic, f"field-{field_id}")
    assert load(app, board.ideas.cafe) == SimpleNamespace(field=field_id, cluster=cluster_id, status="clustered",
                                                          merged_into=None)
    page = client.get(board.url).get_data(as_text=True)
    field_column = column(page, f"field-{field_id}")
    assert field_column.index("Sprachcafés") < field_column.index(board.ideas.cafe.text) \
        < field_column.index(">ohne Cluster</h3>") < field_column.index(board.ideas.arabic.text)
    assert f'<option value="cluster-{cluster_id}" lang="de" dir="ltr">Sprache und Bildung › Sprachcafés</option>' in page

    renamed = client.post(f"{board.url}/clusters/{cluster_id}/rename", data={f"cluster-{cluster_id}-name": "Begegnung"})
    assert renamed.status_code == 303
    with app.app_context():
        assert db.session.get(Cluster, cluster_id).name == "Begegnung"
    deleted = client.post(f"{board.url}/clusters/{cluster_id}/delete")
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(Cluster, cluster_id) is None
    assert load(app, board.ideas.cafe) == SimpleNamespace(field=field_id, cluster=None, status="clustered",
                                                          merged_into=None)


def test_clusters_of_another_process_are_out_of_reach(client, app, board, make):
    with app.app_context():
        other_field = db.session.scalar(db.select(ActionField).filter_by(process_id=board.other.process_id))
        cluster = Cluster(process_id=board.other.process_id, action_field_id=other_field.id, name="Fremd")
        db.session.add(cluster)
        db.session.commit()
        cluster_id, other_field_id = cluster.id, other_field.id
    assert move(client, board, board.ideas.cafe, f"cluster-{cluster_id}").status_code == 404
    assert client.post(f"{board.url}/clusters/{cluster_id}/rename",
                       data={f"cluster-{cluster_id}-name": "Meins"}).status_code == 404
    assert client.post(f"{board.url}/clusters/{cluster_id}/delete").status_code == 404
    assert client.post(f"{board.url}/fields/{other_field_id}/clusters",
                       data={f"new-cluster-{other_field_id}-name": "X"}).status_code == 404
    with app.app_context():
        assert db.session.get(Cluster, cluster_id).name == "Fremd"


# Filters and search

def shown(client, board, **query):
    page = client.get(board.url, query_string=query).get_data(as_text=True)
    return {text for text in (i.text for i in vars(board.ideas).values()) if text in page}


def test_filters_and_search(client, app, board):
    ideas = board.ideas
    give_dots(app, board.forum, ideas.bench, 2)
    assert shown(client, board, event=board.workshop.id) == {ideas.jobs.text}
    assert shown(client, board, round=2) == {ideas.bench.text}
    assert shown(client, board, table=3) == {ideas.bench.text}
    assert shown(client, board, language="ar") == {ideas.arabic.text}
    assert shown(client, board, dots=2) == {ideas.bench.text}
    assert shown(client, board, q="SPRACHCAFÉ") == {ideas.cafe.text}
    assert shown(client, board, q="kurse am abend") == {ideas.arabic.text}  # found in its translation
    assert shown(client, board, q="Werbung") == set()  # hidden stays hidden
    assert shown(client, board, event=board.other.id) == set()  # another process's event shows nothing
    assert shown(client, board, round="zwei", dots="") == {i.text for i in (ideas.cafe, ideas.bench, ideas.arabic,
                                                                           ideas.jobs)}
    page = client.get(board.url, query_string={"q": "bänke", "round": 2}).get_data(as_text=True)
    assert "1 Idee" in page and "Filter zurücksetzen" in page
    move_url = f"/organise/processes/{board.process.id}/board/ideas/{ideas.bench.uuid}/move"
    assert f'action="{move_url}?round=2&amp;q=b%C3%A4nke"' in page


def test_filters_by_origin_and_by_how_sure_the_suggestion_is(client, app, board):
    ideas = board.ideas
    with app.app_context():
        db.session.get(Contribution, ideas.jobs.id).origin = "host"
        db.session.add(Suggestion(contribution_id=ideas.cafe.id, action_field_id=board.fields[0], confidence=0.93))
        db.session.add(Suggestion(contribution_id=ideas.bench.id, action_field_id=board.fields[1], confidence=0.62))
        process = db.session.get(Process, board.process.id)
        process.suggestions_computed_at, process.suggestions_stale_at = utcnow(), None  # kept as they are
        db.session.commit()
    assert shown(client, board, origin="host") == {ideas.jobs.text}
    assert shown(client, board, origin="nonsense") == {i.text for i in (ideas.cafe, ideas.bench, ideas.arabic, ideas.jobs)}
    assert shown(client, board, sure=90) == {ideas.cafe.text}
    assert shown(client, board, sure=60) == {ideas.cafe.text, ideas.bench.text}
    page = client.get(board.url, query_string={"origin": "host", "sure": 60}).get_data(as_text=True)
    assert '<option value="host" selected>' in page and '<option value="60" selected>' in page  # kept in the address
    assert "origin=host" in page and "sure=60" in page


# Who may use the board

def board_routes(board):
    cluster, merge_uuid = 1, "00000000-0000-0000-0000-000000000000"
    return [
        ("get", board.url, None),
        ("post", f"{board.url}/ideas/{board.ideas.cafe.uuid}/move", {"to": f"field-{board.fields[0]}"}),
        ("post", f"{board.url}/move", {"selected": board.ideas.cafe.uuid, "to": f"field-{board.fields[0]}"}),
        ("post", f"{board.url}/merge", {"selected": [board.ideas.cafe.uuid, board.ideas.bench.uuid],
                                        "target": board.ideas.bench.uuid}),
        ("post", f"{board.url}/merges/{merge_uuid}/undo", None),
        ("post", f"{board.url}/fields/{board.fields[0]}/clusters", {f"new-cluster-{board.fields[0]}-name": "X"}),
        ("post", f"{board.url}/clusters/{cluster}/rename", {f"cluster-{cluster}-name": "Y"}),
        ("post", f"{board.url}/clusters/{cluster}/delete", None),
        ("post", f"/organise/processes/{board.process.id}/fields/{board.fields[0]}/move", {"direction": "down"}),
        ("post", f"/organise/processes/{board.process.id}/fields/{board.fields[0]}/delete", None),
        ("get", f"/organise/processes/{board.process.id}/fields/new", None),
        ("get", f"/organise/processes/{board.process.id}/fields/{board.fields[0]}/edit", None),
    ]


@pytest.mark.parametrize("role", ["organiser of another process", "moderator", "steering"])
def test_only_organisers_of_the_process_may_sort(app, make, board, role):
    if role == "organiser of another process":
        user = make.user("other@example.org", roles=[(board.other.process_id, "organiser")])
    else:
        user = make.user(f"{role}@example.org", roles=[(board.process.id, role)])
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": user.password})
    for method, url, data in board_routes(board):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (url, response.status_code)
    assert load(app, board.ideas.cafe).field is None
    with app.app_context():
        assert not db.session.scalars(db.select(Merge)).all() and not db.session.scalars(db.select(Cluster)).all()
    page = client.get(f"/organise/processes/{board.process.id}").get_data(as_text=True)
    if role == "steering":
        assert "Ideen sortieren" not in page


def test_anonymous_visitors_are_sent_to_log_in(app, board):
    client = app.test_client()
    for method, url, data in board_routes(board):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302 and "/auth/login" in response.location, url
    assert load(app, board.ideas.cafe).field is None


# The demo, sorted entirely by keyboard (one card form after another)

def test_the_demo_ideas_are_sorted_into_the_four_fields_by_the_card_forms(app, client, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"password: (\S+)", result.output).group(1)
    client.post("/auth/login", data={"email": "organisation@demo.example", "password": password})
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        process_id, fields = process.id, [f.id for f in process.action_fields]
    url = f"/organise/processes/{process_id}/board"
    page = client.get(url).get_data(as_text=True)
    cards = re.findall(r'data-move-url="([^"]+)"', page)
    assert len(cards) == 66 and len(fields) == 4  # the demo's café and its online phase
    for number, move_url in enumerate(cards):
        assert client.post(move_url, data={"to": f"field-{fields[number % 4]}"}).status_code == 303
    with app.app_context():
        counts = dict(db.session.execute(db.select(Contribution.action_field_id, db.func.count())
                                         .group_by(Contribution.action_field_id)).all())
        assert set(counts) == set(fields) and sorted(counts.values()) == [16, 16, 17, 17]
    page = client.get(url).get_data(as_text=True)
    assert 'data-cards="unsorted" data-empty' in page
    assert 'class="idea board-card"' not in column(page, "unsorted")


def test_a_long_column_shows_its_first_cards_and_the_rest_on_demand(app, client, board):
    for n in range(95):
        add_idea(app, board.forum, f"Idee Nummer {n:03d}")
    first = client.get(board.url).get_data(as_text=True)
    unsorted = first.split('id="column-unsorted"')[1].split('id="column-field-')[0]
    assert unsorted.count('class="idea board-card"') == 40 and "Weitere 40 Ideen zeigen" in unsorted
    assert re.search(r"data-count>99<", unsorted)  # the count is of all of them (95 and the four of the fixture)
    more_url = re.search(r'data-more-url="([^"]+)"', unsorted).group(1).replace("&amp;", "&")
    second = client.get(more_url).get_data(as_text=True)
    assert second.count('class="idea board-card"') == 40 and "Weitere 19 Ideen zeigen" in second
    third = client.get(re.search(r'data-more-url="([^"]+)"', second).group(1).replace("&amp;", "&"))
    assert third.get_data(as_text=True).count('class="idea board-card"') == 19
    assert "data-more-url" not in third.get_data(as_text=True)
    cards = re.findall(r'id="idea-([0-9a-f-]+)"', unsorted + second + third.get_data(as_text=True))
    assert len(set(cards)) == 99  # each idea once
    # Without script: the board again with one more page in every list.
    assert client.get(f"{board.url}?more=3").get_data(as_text=True).count('class="idea board-card"') >= 99
    assert client.get(f"{board.url}/cards?target=cluster-99999").status_code == 404
    # The filters hold for "show more" too.
    filtered = client.get(f"{board.url}/cards?target=unsorted&offset=0&q=Nummer%20001").get_data(as_text=True)
    assert filtered.count('class="idea board-card"') == 1
