"""Process templates (issue 22): the demo's process goes out as one JSON file, a second installation
imports it as a new process and runs its own café with it; a broken or newer file changes nothing."""
import io
import json
import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.models import ActionField, CafeTable, Contribution, Event, GoalNode, Participant, Process, Round
from tests.conftest import PASSWORD, config_for, temporary_database

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "docs" / "examples" / "process-template.json"
JSON = {"Accept": "application/json"}


@pytest.fixture
def demo(runner, app, make, client, login):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        process_id = db.session.scalar(db.select(Process.id))
    login(make.user("admin@example.org", admin=True, roles=[(process_id, "organiser")]))
    return process_id


def exported(runner, process_id, tmp_path, *options) -> dict:
    target = tmp_path / "template.json"
    result = runner.invoke(args=["process", "export-template", str(process_id), "-o", str(target), *options])
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text(encoding="utf-8"))


def secrets_of_the_demo(app) -> set[str]:
    """Every nickname, name, address, token and code the demo holds; of the register's actors, those
    that are people (an institution named as an indicator's data source is no personal data)."""
    from app.models import Actor, User

    with app.app_context():
        found = set()
        for p in db.session.scalars(db.select(Participant)):
            found.update(v for v in (p.nickname, p.name, p.email, p.token) if v)
        for t in db.session.scalars(db.select(CafeTable)):
            found.update(v for v in (t.host_name, t.host_token) if v)
        for e in db.session.scalars(db.select(Event)):
            found.update((e.code, e.projector_token))
        for a in db.session.scalars(db.select(Actor)):
            found.update(v for v in (a.name if a.kind in ("person", "expert") else "", a.contact, a.token) if v)
        for u in db.session.scalars(db.select(User)):
            found.update(v for v in (u.email, u.name) if v)
    return found


def found_in(text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))


def test_the_demo_template_holds_the_set_up_and_nothing_personal(app, runner, demo, tmp_path):
    document = exported(runner, demo, tmp_path)
    assert document["format"] == "weltcafe-process-template" and document["version"] == 1
    forum = next(e for e in document["events"] if e["format"] == "world_cafe")
    assert len(forum["tables"]) == 6 and len(forum["rounds"]) == 3
    assert set(forum["rounds"][0]["question"]) == {"de", "en", "ar", "uk", "tr"}
    assert forum["registration"]["capacity"] == 80 and "Kinderbetreuung" in forum["registration"]["note"]["de"]
    workshop = next(e for e in document["events"] if e["format"] == "workshop")
    field = next(f for f in document["action_fields"] if f["key"] == workshop["action_field"])
    assert field["name"]["de"] == "Wohnen und Quartier" and field["keywords"] and field["colour"].startswith("#")
    assert document["goal_tree"]["kind"] == "leitziel" and document["goal_tree"]["children"]
    assert "Ich willige ein" in document["consent_texts"]["de"]["registration_needs"]
    text = json.dumps(document, ensure_ascii=False)
    assert found_in(text, secrets_of_the_demo(app)) == []
    assert '"responsible"' not in text and '"ideas"' not in text and '"values"' not in text
    assert exported(runner, demo, tmp_path, "--without-goal-tree")["goal_tree"] is None


def test_the_shipped_template_is_the_demos(app, runner, demo, tmp_path):
    """docs/examples/process-template.json is the demo's template; refresh it with
    `flask demo && flask process export-template 1 -o docs/examples/process-template.json`."""
    fresh, shipped = exported(runner, demo, tmp_path), json.loads(SHIPPED.read_text(encoding="utf-8"))
    fresh.pop("exported_on"), shipped.pop("exported_on")
    assert fresh == shipped


def test_a_second_installation_imports_the_template_and_runs_its_own_cafe(database_url, tmp_path):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with temporary_database(kind, tmp_path, prefix="wc_second") as url:
        second = create_app(config_for(url))
        result = second.test_cli_runner().invoke(args=["process", "import-template", str(SHIPPED),
                                                       "--starts-on", "2027-03-06"])
        assert result.exit_code == 0, result.output
        with second.app_context():
            process = db.session.scalar(db.select(Process))
            forum = db.session.scalar(db.select(Event).filter_by(process_id=process.id, format="world_cafe"))
            assert process.title == "Wie leben wir 2030 zusammen?" and len(process.action_fields) == 4
            assert [t.number for t in forum.tables] == [1, 2, 3, 4, 5, 6] and len(forum.rounds) == 3
            assert forum.rounds[0].question["ar"] and forum.registration_capacity == 80
            assert not forum.registration_open and db.session.scalar(db.select(db.func.count(Participant.id))) == 0
            assert db.session.scalar(db.select(db.func.count(Contribution.id))) == 0
            assert db.session.scalar(db.select(db.func.count(GoalNode.id))) > 10
            workshop = db.session.scalar(db.select(Event).filter_by(process_id=process.id, format="workshop"))
            assert workshop.action_field.name["de"] == "Wohnen und Quartier"
            assert str(forum.starts_on) == "2027-03-20" and str(workshop.starts_on) == "2027-03-06"
            code, event_id, round_id = forum.code, forum.id, forum.rounds[0].id
            from app.services.administration import users
            users.grant_role(users.create_user("moderation@second.example", PASSWORD), process, "moderator")
            db.session.commit()
        staff, phone = second.test_client(), second.test_client()
        assert staff.post("/auth/login", data={"email": "moderation@second.example", "password": PASSWORD}
                          ).status_code == 302
        assert staff.post(f"/moderate/events/{event_id}/rounds/{round_id}/start", headers=JSON).status_code == 200
        assert phone.post(f"/j/{code}/2", data={"interface_language": "ar", "writing_language": "ar"}
                          ).status_code == 303
        assert "</html>" in phone.get(f"/e/{code}").get_data(as_text=True)
        response = phone.post(f"/e/{code}/ideas", data={"text": "مكان للقاء في الحي", "key": "k-1"}, headers=JSON)
        assert response.status_code == 201, response.get_json()
        with second.app_context():
            idea = db.session.scalar(db.select(Contribution))
            assert idea.event_id == event_id and idea.table.number == 2 and idea.language == "ar"
            db.session.remove()
            db.engine.dispose()


def test_an_admin_imports_a_template_from_the_upload_form(app, client, demo):
    page = client.get("/organise/processes/import-template")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    response = client.post("/organise/processes/import-template", content_type="multipart/form-data", data={
        "file": (io.BytesIO(SHIPPED.read_bytes()), "vorlage.json"), "starts_on": ""})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Process.id))) == 2
        copy = db.session.scalar(db.select(Process).order_by(Process.id.desc()))
        assert all(event.starts_on is None for event in copy.events) and len(copy.events) == 3
        assert response.location.endswith(f"/organise/processes/{copy.id}")


def test_the_share_page_downloads_the_template_with_or_without_the_tree(client, demo):
    assert "Vorlage herunterladen" in client.get(f"/organise/processes/{demo}/share").get_data(as_text=True)
    full = client.get(f"/organise/processes/{demo}/template.json?sent=1&goal_tree=y")
    assert full.status_code == 200 and "no-store" in full.headers["Cache-Control"]
    assert "attachment" in full.headers["Content-Disposition"] and full.get_json()["goal_tree"]
    assert client.get(f"/organise/processes/{demo}/template.json?sent=1").get_json()["goal_tree"] is None


def counts(app) -> tuple:
    with app.app_context():
        return tuple(db.session.scalar(db.select(db.func.count()).select_from(model))
                     for model in (Process, Event, CafeTable, Round, ActionField, GoalNode))


def broken_templates() -> dict[str, tuple[bytes, str]]:
    good = json.loads(SHIPPED.read_text(encoding="utf-8"))

    def changed(change) -> bytes:
        document = json.loads(json.dumps(good))
        change(document)
        return json.dumps(document).encode()
    return {
        "not json": (b"{\"format\": ", "keine JSON-Datei"),
        "a goal tree": (json.dumps({"schema": "weltcafe-goal-tree", "version": 1}).encode(), "keine Prozessvorlage"),
        "newer": (changed(lambda d: d.update(version=2)), "das Format 2"),
        "bad question": (changed(lambda d: d["events"][1]["rounds"][0].update(question={"de": 7})),
                         "events[1].rounds[0].question.de"),
        "unknown field": (changed(lambda d: d["events"][0].update(action_field="field-99")), "events[0].action_field"),
        "two tables 1": (changed(lambda d: d["events"][1]["tables"][1].update(number=1)), "events[1].tables"),
        "deep node": (changed(lambda d: d["goal_tree"]["children"][0].update(kind="leitziel")),
                      "goal_tree.children[0].kind"),
        "a list as a key": (changed(lambda d: d["events"][0].update(action_field=[])), "events[0].action_field"),
        "a node's list key": (changed(lambda d: d["goal_tree"].update(action_field={})), "goal_tree.action_field"),
        "a huge number": (b'{"format": "weltcafe-process-template", "version": ' + b"1" * 5000 + b"}",
                          "keine JSON-Datei"),
        "no staff language": (changed(lambda d: d["process"].update(default_language="prs")),
                              "process.default_language"),
    }


@pytest.mark.parametrize("case", list(broken_templates()))
def test_a_broken_or_newer_template_is_refused_with_its_reason_and_changes_nothing(app, client, runner, demo,
                                                                                   tmp_path, case):
    content, message = broken_templates()[case]
    before = counts(app)
    response = client.post("/organise/processes/import-template", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), "vorlage.json")})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = runner.invoke(args=["process", "import-template", str(path)])
    assert result.exit_code != 0 and message in result.output
    assert counts(app) == before


def test_the_format_is_documented_field_by_field():
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    spec = (ROOT / "docs" / "template-format.md").read_text(encoding="utf-8")
    keys = set(document) | set(document["process"]) | set(document["events"][0]) | set(document["action_fields"][0])
    keys |= set(document["goal_tree"]) | set(document["events"][1]["tables"][0]) | set(document["events"][1]["rounds"][0])
    assert sorted(key for key in keys if f"`{key}`" not in spec) == []


def test_control_characters_in_a_template_are_dropped_as_in_every_form(app, runner, tmp_path):
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    document["process"]["title"] = "Wie leben\u0000 wir\ud800 zusammen?"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert runner.invoke(args=["process", "import-template", str(path)]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(Process.title)) == "Wie leben wir zusammen?"


@pytest.mark.parametrize("day", ["9999-12-30", "0001-01-02"])
def test_a_first_day_at_the_end_of_the_calendar_is_refused_and_changes_nothing(app, client, demo, day):
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    document["events"][0]["online_phase"] = {"from": -30, "days": 60}
    before = counts(app)
    response = client.post("/organise/processes/import-template", content_type="multipart/form-data", data={
        "file": (io.BytesIO(json.dumps(document).encode()), "vorlage.json"), "starts_on": day})
    assert response.status_code == 400 and "gültiges Datum" in response.get_data(as_text=True)
    assert counts(app) == before
