"""Issue 21 done, on the demo: a workshop for "Wohnen und Quartier" and an interview add ideas that
reach the goal tree marked by origin; an actor comments on a goal through their link; the steering
group records a decision; values imported from a spreadsheet draw their chart; the organiser
downloads the evaluation report of two snapshots."""
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from app.extensions import db
from app.models import Actor, Comment, Contribution, Event, GoalNode, GoalNodeIdea, Indicator, Process, Snapshot

SIGNED = re.compile(r'name="rows" type="hidden" value="([^"]+)"')


@pytest.fixture
def demo(runner, app, make, client, login):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        process_id = db.session.scalar(db.select(Process.id))
    login(make.user("orga@example.org", roles=[(process_id, "organiser")]))
    return process_id


def test_workshop_and_interview_ideas_reach_the_goal_tree_marked_by_origin(app, client, demo):
    with app.app_context():
        workshop = db.session.scalar(db.select(Event).filter_by(format="workshop"))
        assert workshop.action_field.name["de"] == "Wohnen und Quartier"
        linked = db.session.scalars(db.select(Contribution).join(GoalNodeIdea)).all()
        assert any(idea.event_id == workshop.id for idea in linked)
        assert any(idea.origin == "interview" for idea in linked)
        in_field = db.session.scalars(db.select(Contribution).filter_by(event_id=workshop.id)).all()
        assert in_field and all(idea.action_field_id == workshop.action_field_id for idea in in_field)
    report = client.get(f"/organise/processes/{demo}/goal-tree/export?format=docx")
    document = Document(io.BytesIO(report.data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Workshop: Fachworkshop Wohnen und Quartier" in text and "Interview:" in text


def test_an_actor_comments_on_a_goal_through_their_link(app, client, demo):
    with app.app_context():
        actor = db.session.scalar(db.select(Actor).where(Actor.token.is_not(None)).order_by(Actor.id))
        goal = db.session.scalar(db.select(GoalNode).filter_by(process_id=demo, kind="ziel").order_by(GoalNode.id))
        token, name, goal_uuid = actor.token, actor.name, goal.uuid
    phone = app.test_client()
    assert phone.get(f"/a/{token}").status_code == 200
    response = phone.post(f"/a/{token}/nodes/{goal_uuid}/feedback",
                          data={"kind": "concern", "text": "Der Sportverein braucht dafür eine Halle am Abend."})
    assert response.status_code == 303
    overview = client.get(f"/organise/processes/{demo}/feedback").get_data(as_text=True)
    assert "Der Sportverein braucht dafür eine Halle am Abend." in overview and name in overview


def test_the_steering_group_records_a_decision(app, make, demo):
    steering = app.test_client()
    user = make.user("steuerung@example.org", roles=[(demo, "steering")])
    steering.post("/auth/login", data={"email": user.email, "password": user.password})
    with app.app_context():
        goal = db.session.scalar(db.select(GoalNode).filter_by(process_id=demo, kind="ziel").order_by(GoalNode.id))
        goal_uuid = str(goal.uuid)
    response = steering.post(f"/organise/processes/{demo}/decisions", data={
        "decided_on": "2026-11-20", "meeting": "Steuerungsgruppe, 4. Sitzung",
        "text": "Begegnungscafé im Quartier wird 2027 gefördert.", "nodes": [goal_uuid]})
    assert response.status_code == 303
    page = steering.get(f"/organise/processes/{demo}/goal-tree/nodes/{goal_uuid}/feedback").get_data(as_text=True)
    assert "Begegnungscafé im Quartier wird 2027 gefördert." in page


def test_imported_values_draw_their_chart_and_the_evaluation_report_compares_two_snapshots(app, client, demo):
    with app.app_context():
        indicator = db.session.scalar(db.select(Indicator).order_by(Indicator.id))
        name, uuid = indicator.name["de"], indicator.uuid
        old, new = (str(s.uuid) for s in db.session.scalars(db.select(Snapshot).order_by(Snapshot.taken_at)))
    csv = f"Indikator;Datum;Wert\n{name};15.11.2026;4321,5\n".encode()
    url = f"/organise/processes/{demo}/goal-tree/indicators/import"
    preview = client.post(url, data={"file": (io.BytesIO(csv), "werte.csv")}, content_type="multipart/form-data")
    rows = SIGNED.search(preview.get_data(as_text=True)).group(1)
    assert client.post(url + "/confirm", data={"rows": rows}).status_code == 303
    chart = client.get(f"/organise/processes/{demo}/goal-tree/indicators/{uuid}/chart.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert "4321" in chart.get_data(as_text=True) or "4.321" in chart.get_data(as_text=True)

    report = client.get(f"/organise/processes/{demo}/goal-tree/compare/report?old={old}&new={new}&fmt=docx")
    assert report.status_code == 200
    document = Document(io.BytesIO(report.data))
    assert document.inline_shapes  # a chart per indicator
    assert "Deutschkurse mit Kinderbetreuung" in "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    sheet = client.get(f"/organise/processes/{demo}/goal-tree/compare/report?old={old}&new={new}&fmt=xlsx")
    workbook = load_workbook(io.BytesIO(sheet.data))
    assert any(ws._charts for ws in workbook.worksheets)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Comment.id))) >= 3
