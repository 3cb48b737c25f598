"""Organisers sort the ideas of a whole process into action fields and clusters on the board.

Everything goes through the HTTP surface an organiser touches; each change is checked in the database.
"""
import re
from collections import Counter
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import (ActionField, Cluster, Contribution, ContributionTranslation, Merge, Participant, Process,
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
    with app.app_context():
        on_board = db.session.scalar(db.select(db.func.count(Contribution.id)).where(
            Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None)))
    # The demo's café, its online phase, the workshop and the interview.
    assert len(cards) == on_board > 66 and len(fields) == 4
    for number, move_url in enumerate(cards):
        assert client.post(move_url, data={"to": f"field-{fields[number % 4]}"}).status_code == 303
    with app.app_context():
        counts = dict(db.session.execute(db.select(Contribution.action_field_id, db.func.count())
                                         .group_by(Contribution.action_field_id)).all())
        expected = Counter(fields[number % 4] for number in range(len(cards)))
        assert set(counts) == set(fields) and sorted(counts.values()) == sorted(expected.values())
    page = client.get(url).get_data(as_text=True)
    assert 'data-cards="unsorted" data-empty' in page
    assert 'class="idea board-card"' not in column(page, "unsorted")
