"""The register of local actors (issue 21): organisers keep it, the steering group and moderators read
it; each actor's personal link is made, shown once, replaced and revoked; actors picked as responsible
for goal nodes appear on the node, on the actor's page and in the exports."""
import csv
import io
import re
import secrets
import uuid

import pytest

from app.extensions import db
from app.models import Actor, AuditEntry, Comment, GoalNode, Process
from app.models.actors import goal_node_actors
from app.services.administration import demo_actors
from tests.actor_helpers import (MODERATOR, ORGANISER, OTHER, STEERING, actor_row, add_actor, build_register,
                                 client_of, new_link)


@pytest.fixture
def register(app, make):
    return build_register(app, make)


def test_organisers_keep_the_register_and_the_others_read_it(app, register):
    a = register.a
    organiser = client_of(app, register.users[ORGANISER])
    actor_id = add_actor(organiser, a.id, contact="Frau Schäfer, Tel. 02330 000-11", notes="Berät Geflüchtete",
                         languages=["de", "ar"], field_ids=[str(register.fields[0]), str(register.fields[2])])
    stored = actor_row(app, actor_id)
    assert (stored.name, stored.kind, stored.languages, stored.field_ids, stored.token) == (
        "Caritas Herdecke", "association", ["de", "ar"], [register.fields[0], register.fields[2]], None)
    listing = organiser.get(f"/organise/processes/{a.id}/actors").get_data(as_text=True)
    assert "Caritas Herdecke" in listing and "Kein persönlicher Link" in listing
    assert f"/organise/processes/{a.id}/actors" in organiser.get(f"/organise/processes/{a.id}").get_data(as_text=True)

    answer = organiser.post(f"/organise/processes/{a.id}/actors/{actor_id}/edit", data={
        "name": "Caritas Herdecke e. V.", "kind": "institution", "languages": ["uk"]})
    assert answer.status_code == 303
    stored = actor_row(app, actor_id)
    assert (stored.name, stored.kind, stored.languages, stored.field_ids, stored.contact) == (
        "Caritas Herdecke e. V.", "institution", ["uk"], [], "Frau Schäfer, Tel. 02330 000-11")

    # Bad input: said in words, nothing stored.
    answer = organiser.post(f"/organise/processes/{a.id}/actors/new", data={"name": " ", "kind": "association"})
    assert answer.status_code == 400 and "Bitte geben Sie einen Namen ein." in answer.get_data(as_text=True)
    answer = organiser.post(f"/organise/processes/{a.id}/actors/new", data={
        "name": "Fremd", "kind": "association", "field_ids": [str(register.foreign_field)], "languages": ["xx"]})
    assert answer.status_code == 400 and "Bitte wählen Sie nur aus der Liste." in answer.get_data(as_text=True)

    for email in (MODERATOR, STEERING):
        reader = client_of(app, register.users[email])
        assert reader.get(f"/organise/processes/{a.id}/actors").status_code == 200
        page = reader.get(f"/organise/processes/{a.id}/actors/{actor_id}")
        assert page.status_code == 200 and "Caritas Herdecke e. V." in page.get_data(as_text=True)
        assert f"/actors/{actor_id}/edit" not in page.get_data(as_text=True)  # no buttons to change it
        assert "Frau Schäfer" not in page.get_data(as_text=True)  # the contact is for organisers
        assert reader.get(f"/organise/processes/{a.id}/actors/new").status_code == 403
        assert reader.post(f"/organise/processes/{a.id}/actors/{actor_id}/edit",
                           data={"name": "Übernommen", "kind": "other"}).status_code == 403
        assert reader.post(f"/organise/processes/{a.id}/actors/{actor_id}/link").status_code == 403
    assert actor_row(app, actor_id).name == "Caritas Herdecke e. V."

    other = client_of(app, register.users[OTHER])
    assert other.get(f"/organise/processes/{a.id}/actors").status_code == 403
    assert other.get(f"/organise/processes/{register.b.id}/actors/{actor_id}").status_code == 404  # not B's
    anonymous = client_of(app)
    answer = anonymous.get(f"/organise/processes/{a.id}/actors")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]

    confirm = organiser.get(f"/organise/processes/{a.id}/actors/{actor_id}/delete")
    assert confirm.status_code == 200 and "Endgültig löschen" in confirm.get_data(as_text=True)
    assert organiser.post(f"/organise/processes/{a.id}/actors/{actor_id}/delete").status_code == 303
    assert actor_row(app, actor_id) is None
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEntry.action).filter_by(process_id=a.id)))
    assert {"actor.add", "actor.edit", "actor.delete"} <= actions


def test_a_link_is_shown_once_replaced_and_revoked_and_never_stored_by_a_cache(app, register):
    organiser = client_of(app, register.users[ORGANISER])
    actor_id = add_actor(organiser, register.a.id)
    made = organiser.post(f"/organise/processes/{register.a.id}/actors/{actor_id}/link")
    html = made.get_data(as_text=True)
    assert made.headers["Cache-Control"] == "no-store"
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, in the page itself
    link = new_link(organiser, register.a.id, actor_id)  # and replaced at once
    token = actor_row(app, actor_id).token
    assert link == f"/a/{token}"

    entry = organiser.get(f"/organise/processes/{register.a.id}/actors/{actor_id}").get_data(as_text=True)
    assert token not in entry and "Ein persönlicher Link ist aktiv" in entry  # shown once only

    phone = client_of(app)
    page = phone.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"

    replaced = new_link(organiser, register.a.id, actor_id)
    assert replaced != link
    assert phone.get(link).status_code == 404 and phone.get(replaced).status_code == 200
    assert organiser.post(f"/organise/processes/{register.a.id}/actors/{actor_id}/link/revoke").status_code == 303
    assert actor_row(app, actor_id).token is None
    gone = phone.get(replaced)
    assert gone.status_code == 404 and "Caritas" not in gone.get_data(as_text=True)  # reveals nothing
    assert phone.get(f"/a/{secrets.token_urlsafe(32)}").status_code == 404
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEntry.action).filter_by(process_id=register.a.id)
                                          .where(AuditEntry.action.startswith("link.")).order_by(AuditEntry.id)))
    assert actions == ["link.actor_created", "link.actor_replaced", "link.actor_replaced", "link.actor_revoked"]
    log = organiser.get(f"/organise/processes/{register.a.id}/audit").get_data(as_text=True)
    assert "Persönlicher Link eines Akteurs gesperrt" in log


def test_the_actor_link_is_masked_in_every_log_line(app):
    masker = app.extensions["request_log"]
    secret = secrets.token_urlsafe(9)  # short, so only the route's own masking can hide it
    node = "0b9f1c2e-8d51-4f57-9a3a-3b8e7f0c1d2a"
    for path, masked in ((f"/a/{secret}", "/a/<token>"),
                         (f"/a/{secret}/nodes/{node}/feedback", f"/a/<token>/nodes/{node}/feedback"),
                         (f"/a/{secret}/events/7/contribute", "/a/<token>/events/7/contribute"),
                         (f"/lang/en?next=/a/{secret}", "/lang/en?next=/a/<token>")):
        assert masker.mask(f"GET {path} 200") == f"GET {masked} 200"


def test_responsible_actors_are_picked_on_the_node_and_shown_and_exported(app, register):
    a = register.a
    organiser = client_of(app, register.users[ORGANISER])
    vhs = add_actor(organiser, a.id, name="Volkshochschule")  # also in the free text: named once
    caritas = add_actor(organiser, a.id, name="Caritas Herdecke")
    link = new_link(organiser, a.id, caritas)
    node_url = f"/organise/processes/{a.id}/goal-tree/nodes/{register.goal}"
    form = organiser.get(node_url).get_data(as_text=True)
    assert 'name="actors"' in form and "Caritas Herdecke" in form
    data = {"title_de": "Sprachcafés in allen Ortsteilen", "kind": "ziel", "status": "planned", "weight": "1",
            "responsible": "Volkshochschule\nStadtbücherei", "actors": [str(caritas), str(vhs)]}
    assert organiser.post(node_url, data=data).status_code == 303
    checked = re.findall(r'<input checked id="actors-\d+" name="actors" type="checkbox" value="(\d+)"',
                         organiser.get(node_url).get_data(as_text=True))
    assert sorted(map(int, checked)) == sorted([caritas, vhs])  # shown ticked on the node's page

    tree = organiser.get(f"/organise/processes/{a.id}/goal-tree").get_data(as_text=True)
    assert "Caritas Herdecke" in tree
    exported = organiser.get(f"/organise/processes/{a.id}/goal-tree/export", query_string={"format": "json"}).get_json()
    goal = exported["nodes"][0]["children"][0]["children"][0]
    assert goal["responsible"] == ["Volkshochschule", "Stadtbücherei", "Caritas Herdecke"]
    rows = list(csv.reader(io.StringIO(organiser.get(f"/organise/processes/{a.id}/goal-tree/export",
                                                     query_string={"format": "csv"}).get_data(as_text=True)), delimiter=";"))
    assert any("Volkshochschule, Stadtbücherei, Caritas Herdecke" in row for row in rows)

    page = client_of(app).get(link).get_data(as_text=True)
    mine = page.split('id="responsible"')[1].split("</section>")[0]
    assert "Sie sind verantwortlich für" in mine and "Sprachcafés in allen Ortsteilen" in mine

    # Another process's actor cannot be picked: nothing changes.
    foreign = add_actor(client_of(app, register.users[OTHER]), register.b.id, name="Fremder Verein")
    answer = organiser.post(node_url, data={**data, "actors": [str(foreign)]})
    assert answer.status_code == 404
    with app.app_context():
        node = db.session.scalar(db.select(GoalNode).filter_by(uuid=uuid.UUID(register.goal)))
        assert sorted(actor.id for actor in node.actors) == sorted([caritas, vhs])
    # Unticking all leaves the free text only.
    assert organiser.post(node_url, data={key: value for key, value in data.items() if key != "actors"}).status_code == 303
    exported = organiser.get(f"/organise/processes/{a.id}/goal-tree/export", query_string={"format": "json"}).get_json()
    assert exported["nodes"][0]["children"][0]["children"][0]["responsible"] == ["Volkshochschule", "Stadtbücherei"]


def test_the_demo_register_is_seeded_once(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        for _ in range(2):  # a second run finds everything there
            seeded = demo_actors.seed(process)
            db.session.commit()
        actors = db.session.scalars(db.select(Actor).filter_by(process_id=process.id)).all()
        assert len(actors) == len(seeded) == 7 and all(actor.token for actor in actors)
        assert "Dr. Aylin Kaya, Sprachförderung" in {actor.name for actor in actors}
        assert sorted(db.session.scalars(db.select(Comment.kind).where(Comment.actor_id.is_not(None)))) == [
            "agree", "comment", "concern"]
        assert db.session.scalar(db.select(db.func.count()).select_from(goal_node_actors)) >= 6
        token = next(actor.token for actor in actors if actor.name == "Moscheegemeinde Herdecke")
    page = app.test_client().get(f"/a/{token}").get_data(as_text=True)
    assert "Abends können viele Mütter mit kleinen Kindern nicht kommen." in page
