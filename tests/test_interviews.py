"""Expert interviews (issue 21): organisers and moderators record an interview and its statements,
which become ideas of origin "interview" that go through translation, the board, the goal tree and
the exports, marked; nobody else gets in."""
import re

import pytest

from app.extensions import db
from app.models import Actor, AuditEntry, Contribution, Event, Interview, Job, Process
from app.services.administration import demo_workshops
from app.services.goals import goaltree
from tests.conftest import PASSWORD
from tests.exports_helpers import all_text

STATEMENTS = "Kurse mit Kinderbetreuung sind sofort voll.\n\n  Wir brauchen Abendkurse.  \nSprachcafés überbrücken die Wartezeit."


@pytest.fixture
def setting(app, make):
    """Process A (an organiser, a moderator, a steering member, an expert in its register) and
    process B (its organiser, its own register)."""
    a, b = make.process(), make.process("Anderer Prozess")
    for email, process, role in (("orga@a.example", a, "organiser"), ("moderation@a.example", a, "moderator"),
                                 ("steuerung@a.example", a, "steering"), ("orga@b.example", b, "organiser")):
        make.user(email, roles=[(process.id, role)])
    with app.app_context():
        field = next(f for f in db.session.get(Process, a.id).action_fields if f.name["de"] == "Sprache und Bildung")
        expert = Actor(process_id=a.id, name="Dr. Eva Ort", kind="expert")
        foreign = Actor(process_id=b.id, name="Fremde Expertin", kind="expert")
        db.session.add_all([expert, foreign])
        db.session.commit()
        return {"a": a.id, "b": b.id, "field": field.id, "expert": expert.id, "foreign": foreign.id}


def browser(app, email=None):
    client = app.test_client()
    if email:
        assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def create(client, process_id, **data):
    return client.post(f"/organise/processes/{process_id}/interviews/new", data=data)


def interview_id(response) -> int:
    return int(re.search(r"/interviews/(\d+)", response.location).group(1))


def test_an_interview_with_role_and_organisation_only_and_its_statements(app, setting):
    moderator = browser(app, "moderation@a.example")  # moderators record interviews too
    base = f"/organise/processes/{setting['a']}/interviews"
    assert "Noch keine Interviews." in moderator.get(base).get_data(as_text=True)
    form = moderator.get(f"{base}/new").get_data(as_text=True)
    assert "Experteninterviews (wird angelegt)" in form and "Dr. Eva Ort" in form

    empty = create(moderator, setting["a"])
    assert empty.status_code == 400
    assert "Bitte wählen Sie eine Person aus dem Register oder geben Sie Rolle oder Organisation an." in \
        empty.get_data(as_text=True)
    made = create(moderator, setting["a"], role="Leitung", organisation="Volkshochschule", held_on="2026-02-10",
                  notes="Vertraulich: Zahlen folgen.")
    assert made.status_code == 303
    number = interview_id(made)
    page = moderator.get(made.location).get_data(as_text=True)
    assert "Leitung, Volkshochschule" in page and "Vertraulich: Zahlen folgen." in page
    with app.app_context():
        interview = db.session.get(Interview, number)
        assert (interview.event.title, interview.event.format, interview.actor_id) == \
            ("Experteninterviews", "interview", None)

    sent = {"text": STATEMENTS, "key": "k" * 20, "language": "de", "action_field_id": setting["field"]}
    assert moderator.post(f"{base}/{number}/statements", data=sent).status_code == 303
    assert moderator.post(f"{base}/{number}/statements", data=sent).status_code == 303  # resent: stored once
    with app.app_context():
        ideas = db.session.scalars(db.select(Contribution).filter_by(interview_id=number).order_by(Contribution.id)).all()
        assert [i.text for i in ideas] == ["Kurse mit Kinderbetreuung sind sofort voll.", "Wir brauchen Abendkurse.",
                                           "Sprachcafés überbrücken die Wartezeit."]
        assert {(i.origin, i.language, i.action_field_id, i.status, i.event_id, i.table_id, i.round_id)
                for i in ideas} == {("interview", "de", setting["field"], "clustered", interview.event_id, None, None)}
        first = str(ideas[0].uuid)
    page = moderator.get(f"{base}/{number}").get_data(as_text=True)
    assert "3 Aussagen" in page and "Sprache und Bildung" in page

    too_long = moderator.post(f"{base}/{number}/statements", data={"text": "x" * 600, "language": "de", "key": "l1"})
    assert too_long.status_code == 400 and "Zeile 1 ist zu lang" in too_long.get_data(as_text=True)
    foreign_field = moderator.post(f"{base}/{number}/statements",
                                   data={"text": "Noch eine", "language": "de", "action_field_id": "999999"})
    assert foreign_field.status_code == 404

    # A second interview goes to the same interview event: none is made twice.
    second = create(moderator, setting["a"], actor_id=setting["expert"])
    assert "Interview: Dr. Eva Ort" in moderator.get(second.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id)).filter_by(format="interview")) == 1

    refused = moderator.post(f"{base}/{number}/delete")
    assert refused.status_code == 409 and "zuerst die Aussagen" in refused.get_data(as_text=True)
    assert moderator.post(f"{base}/{number}/statements/{first}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Contribution.id)).filter_by(interview_id=number)) == 2
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="idea.delete"))
        assert entry.detail["idea"] == first and "Kinderbetreuung" not in entry.subject


def test_editing_an_interview_and_deleting_it_once_empty(app, setting):
    organiser = browser(app, "orga@a.example")
    base = f"/organise/processes/{setting['a']}/interviews"
    number = interview_id(create(organiser, setting["a"], organisation="Jobcenter"))
    form = organiser.get(f"{base}/{number}/edit").get_data(as_text=True)
    assert 'value="Jobcenter"' in form
    assert organiser.post(f"{base}/{number}/edit", data={"role": "Teamleitung", "organisation": "Jobcenter",
                                                         "held_on": "2026-03-01"}).status_code == 303
    foreign_actor = organiser.post(f"{base}/{number}/edit", data={"actor_id": setting["foreign"]})
    assert foreign_actor.status_code == 404
    with app.app_context():
        interview = db.session.get(Interview, number)
        assert (interview.role, interview.held_on.isoformat(), interview.actor_id) == ("Teamleitung", "2026-03-01", None)
    listing = organiser.get(base).get_data(as_text=True)
    assert "Teamleitung, Jobcenter" in listing and "0 Aussagen" in listing
    assert "Interviews" in organiser.get(f"/organise/processes/{setting['a']}").get_data(as_text=True)
    assert organiser.post(f"{base}/{number}/delete").status_code == 303
    with app.app_context():
        assert db.session.get(Interview, number) is None


def test_other_processes_staff_participants_and_anonymous_are_refused(app, setting, make):
    organiser = browser(app, "orga@a.example")
    base = f"/organise/processes/{setting['a']}/interviews"
    number = interview_id(create(organiser, setting["a"], role="Leitung"))
    organiser.post(f"{base}/{number}/statements", data={"text": "Eine Aussage", "language": "de", "key": "k1"})
    with app.app_context():
        statement = str(db.session.scalar(db.select(Contribution.uuid).filter_by(interview_id=number)))
    urls = [("GET", base), ("GET", f"{base}/new"), ("GET", f"{base}/{number}"), ("GET", f"{base}/{number}/edit"),
            ("POST", f"{base}/new"), ("POST", f"{base}/{number}/statements"),
            ("POST", f"{base}/{number}/statements/{statement}/delete"), ("POST", f"{base}/{number}/delete")]
    event = make.event(setting["a"], tables=1, rounds=1)
    participant = app.test_client()
    participant.post(f"/j/{event.code}/1", data={"interface_language": "de", "writing_language": "de"})
    data = {"role": "Übernommen", "text": "Übernommen", "language": "de"}
    for who, client, allowed in (("other process", browser(app, "orga@b.example"), {403}),
                                 ("steering", browser(app, "steuerung@a.example"), {403}),
                                 ("participant", participant, {302}), ("anonymous", app.test_client(), {302})):
        for method, url in urls:
            response = client.open(url, method=method, data=data)
            assert response.status_code in allowed, (who, method, url, response.status_code)
            if response.status_code == 302:
                assert "/auth/login" in response.location
    # B's organiser with B's process in the URL finds nothing of A.
    b_organiser = browser(app, "orga@b.example")
    assert b_organiser.get(f"/organise/processes/{setting['b']}/interviews/{number}").status_code == 404
    assert b_organiser.post(f"/organise/processes/{setting['b']}/interviews/{number}/statements/{statement}/delete"
                            ).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Contribution.id)).filter_by(interview_id=number)) == 1
        assert db.session.scalar(db.select(db.func.count(Interview.id))) == 1


def test_statements_are_sent_for_translation_like_every_idea(other_app, setting):
    translating = other_app(TRANSLATE_URL="http://127.0.0.1:9", TRANSLATE_TIMEOUT=1)
    moderator = browser(translating, "moderation@a.example")
    number = interview_id(create(moderator, setting["a"], organisation="Moscheegemeinde"))
    sent = moderator.post(f"/organise/processes/{setting['a']}/interviews/{number}/statements",
                          data={"text": "Anaokulu yerleri çok az.\nAkşam kursları lazım.", "language": "tr", "key": "t1"})
    assert sent.status_code == 303
    with translating.app_context():
        ids = set(db.session.scalars(db.select(Contribution.id).filter_by(interview_id=number)))
        jobs = db.session.scalars(db.select(Job)).all()
        assert len(ids) == 2 and {job.payload["idea"] for job in jobs} == ids
        assert {job.state for job in jobs} == {"queued"}
        assert db.session.scalar(db.select(db.func.count(Contribution.id)).filter_by(
            interview_id=number, language="tr", action_field_id=None, status="new")) == 2


def test_exports_and_the_goal_tree_mark_interview_statements(app, setting):
    organiser = browser(app, "orga@a.example")
    number = interview_id(create(organiser, setting["a"], role="Leitung", organisation="Volkshochschule"))
    organiser.post(f"/organise/processes/{setting['a']}/interviews/{number}/statements",
                   data={"text": "Kurse mit Kinderbetreuung", "language": "de", "key": "k1"})
    with app.app_context():
        interview = db.session.get(Interview, number)
        event_id, statement = interview.event_id, db.session.scalar(db.select(Contribution).filter_by(interview_id=number))
        root = goaltree.ensure_tree(db.session.get(Process, setting["a"]))
        node = goaltree.add_node(root.children[1], "ziel", "Deutschkurse mit Betreuung")
        goaltree.link_ideas(node, [statement])
        db.session.commit()
        node_uuid = node.uuid
    csv_text = all_text("csv", organiser.get(f"/organise/events/{event_id}/results",
                                             query_string={"format": "csv", "lang": "de"}).data)
    assert "aus einem Interview · Interview: Leitung, Volkshochschule" in csv_text
    assert "Interview: Leitung, Volkshochschule" in organiser.get(f"/organise/events/{event_id}/record").get_data(as_text=True)
    docx_text = all_text("docx", organiser.get(f"/organise/processes/{setting['a']}/goal-tree/export",
                                               query_string={"format": "docx", "lang": "de"}).data)
    # The council's report names the interview event, never the interviewee or the notes.
    assert "Kurse mit Kinderbetreuung – Interview: Experteninterviews" in docx_text
    assert "Volkshochschule" not in docx_text
    board = organiser.get(f"/organise/processes/{setting['a']}/board").get_data(as_text=True)
    assert "aus einem Interview" in board and 'Interview: <bdi lang="de" dir="ltr">Leitung, Volkshochschule' in board
    node = organiser.get(f"/organise/processes/{setting['a']}/goal-tree/nodes/{node_uuid}").get_data(as_text=True)
    assert 'aus einem Interview · Interview: <bdi lang="de" dir="ltr">Leitung, Volkshochschule' in node.split('id="ideas"')[1]


def test_the_demo_workshop_and_interview_reach_the_goal_tree_marked(app, runner):
    output = runner.invoke(args=["demo"]).output
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        for _run in range(2):  # idempotent
            workshop = demo_workshops.seed(process)
            db.session.commit()
        assert (workshop.format, workshop.action_field.name["de"]) == ("workshop", "Wohnen und Quartier")
        ideas = db.session.scalars(db.select(Contribution).filter_by(event_id=workshop.id)).all()
        assert len(ideas) == 8 and {i.action_field_id for i in ideas} == {workshop.action_field_id}
        assert {i.language for i in ideas} == {"de", "tr"} and any(i.translation("de") for i in ideas if i.language == "tr")
        assert sorted(a.name for a in workshop.invited) == ["Caritas Herdecke", "Dr. Aylin Kaya, Sprachförderung"]
        interview = db.session.scalar(db.select(Interview))
        assert (interview.role, interview.actor_id, len(interview.notes) > 0) == ("Leitung", None, True)
        assert db.session.scalar(db.select(db.func.count(Contribution.id)).filter_by(
            interview_id=interview.id, origin="interview")) == 3
        assert db.session.scalar(db.select(db.func.count(Interview.id))) == 1
        process_id = process.id
    client = app.test_client()
    client.post("/auth/login", data={"email": re.search(r"e-mail:\s+(\S+)", output).group(1),
                                     "password": re.search(r"password: (\S+)", output).group(1)})
    docx_text = all_text("docx", client.get(f"/organise/processes/{process_id}/goal-tree/export",
                                            query_string={"format": "docx", "lang": "de"}).data)
    assert "Workshop: Fachworkshop Wohnen und Quartier" in docx_text
    assert "Interview: Experteninterviews" in docx_text
