"""Open data (issue 22): the demo's package for a municipal portal holds ideas without authors,
action fields, vote totals, goal tree and indicators as CSV and JSON with README and licence, and no
personal data; an idea's language, table, round and day only where 5 ideas share them."""
import csv
import io
import json
import uuid
import zipfile
from collections import Counter

import pytest

from app.extensions import db
from app.models import Contribution, Process, Vote
from tests.test_process_templates import found_in, secrets_of_the_demo

FILES = {"README.md", "LICENSE.txt", "datapackage.json", "ideas.csv", "ideas.json", "action_fields.csv",
         "action_fields.json", "goal_tree.csv", "goal_tree.json", "indicators.csv", "indicators.json",
         "indicator_values.csv", "indicator_values.json"}
QUASI = ("language", "table", "round", "written_on", "origin")


@pytest.fixture
def demo(runner, app, make, client, login):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        process_id = db.session.scalar(db.select(Process.id))
    login(make.user("orga@example.org", roles=[(process_id, "organiser")]))
    return process_id


def package(runner, process_id, tmp_path, *options) -> dict[str, bytes]:
    target = tmp_path / "open-data"
    result = runner.invoke(args=["export", "open-data", str(process_id), "-o", str(target), *options])
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in target.iterdir()}


def assert_small_groups_hidden(rows: list[dict]) -> None:
    """Every published value, and every published combination within an event, is shared by 5 ideas."""
    for column in QUASI:
        counts = Counter((row["event"], row[column]) for row in rows)
        assert all(n >= 5 for (event, value), n in counts.items() if value is not None), column
    combos = Counter((row["event"], *(row[c] for c in QUASI)) for row in rows)
    assert all(n >= 5 for key, n in combos.items() if any(v is not None for v in key[1:])), combos


def give_dots(app) -> None:
    """Seven dots of the demo's people on three ideas, as a vote would leave them."""
    from app.models import Participant

    with app.app_context():
        people = db.session.scalars(db.select(Participant).order_by(Participant.id).limit(3)).all()
        ideas = db.session.scalars(db.select(Contribution).where(Contribution.hidden_at.is_(None))
                                   .order_by(Contribution.id).limit(3)).all()
        for person, idea, dots in zip(people, ideas, (4, 2, 1)):
            db.session.add_all(Vote(participant_id=person.id, contribution_id=idea.id) for _ in range(dots))
        db.session.commit()


def test_the_demo_package_has_every_table_twice_and_no_personal_data(app, runner, demo, tmp_path):
    give_dots(app)
    files = package(runner, demo, tmp_path, "--attribution", "Stadt Herdecke")
    assert set(files) == FILES
    text = "\n".join(content.decode("utf-8") for content in files.values())
    assert found_in(text, secrets_of_the_demo(app)) == []
    data = "\n".join(content.decode("utf-8") for name, content in files.items() if name.endswith((".csv", ".json")))
    for leak in ('"nickname"', '"participant', '"responsible"', "host_token", "@"):  # "@": no address
        assert leak not in data, leak
    ideas = json.loads(files["ideas.json"])
    with app.app_context():
        visible = db.session.scalar(db.select(db.func.count(Contribution.id)).where(
            Contribution.hidden_at.is_(None), Contribution.awaiting_release.is_(False)))
        dots = dict(db.session.execute(db.select(Contribution.uuid, db.func.count(Vote.id)).join(
            Vote, Vote.contribution_id == Contribution.id).group_by(Contribution.uuid)).all())
    assert len(ideas) == visible and sum(row["dots"] for row in ideas) == sum(dots.values()) == 7
    assert all(row["dots"] == dots.get(uuid.UUID(row["id"]), 0) for row in ideas)
    assert_small_groups_hidden(ideas)
    assert any(row["language"] is None for row in ideas) and any(row["language"] == "ar" for row in ideas)
    blanked = [row for row in ideas if row["language"] is None]  # nor can it be read off the translations
    assert all(row["translations"] == {} and row["text_de_machine_translated"] is None and row["text_de"] != row["text"]
               for row in blanked)
    assert [row["id"] for row in ideas] == sorted(row["id"] for row in ideas)  # not the order of writing
    rows = list(csv.DictReader(io.StringIO(files["ideas.csv"].decode("utf-8"))))
    assert [row["id"] for row in rows] == [row["id"] for row in ideas]
    nodes = json.loads(files["goal_tree.json"])
    assert nodes[0]["kind"] == "leitziel" and {row["id"] for row in nodes} >= {
        node for row in ideas for node in row["goal_nodes"]}
    assert json.loads(files["indicator_values.json"]) and json.loads(files["action_fields.json"])[0]["ideas"] > 0
    readme = files["README.md"].decode("utf-8")
    assert "CC BY 4.0" in readme and "Namensnennung: Stadt Herdecke" in readme and "mindestens 5 Ideen" in readme
    assert json.loads(files["datapackage.json"])["licenses"][0]["name"] == "cc-by-4.0"


def test_a_few_ideas_in_a_rare_language_at_one_table_keep_their_text_but_not_where_or_in_what(app, make):
    from app.exports.open_data import package_files
    from app.services.reports.open_data import open_data

    event = make.event(tables=3, rounds=1)
    with app.app_context():
        for n in range(13):
            rare = n < 3
            db.session.add(Contribution(event_id=event.id, round_id=event.round_ids[0],
                                        table_id=event.table_ids[2 if rare else n % 2],
                                        text=f"Idee {n}", language="ti" if rare else "de"))
        db.session.commit()
        process = db.session.get(Process, event.process_id)
        ideas = json.loads(package_files(open_data(process))["ideas.json"])
    assert sorted(row["text"] for row in ideas) == sorted(f"Idee {n}" for n in range(13))
    rare = [row for row in ideas if row["text"] in ("Idee 0", "Idee 1", "Idee 2")]
    assert all(row["language"] is None and row["table"] is None for row in rare)
    assert {row["language"] for row in ideas if row not in rare} == {"de"}
    assert_small_groups_hidden(ideas)


def test_the_share_page_downloads_the_package_as_a_zip_with_the_chosen_licence(app, client, demo):
    page = client.get(f"/organise/processes/{demo}/share").get_data(as_text=True)
    assert "Datenlizenz Deutschland" in page and "Paket herunterladen" in page
    response = client.get(f"/organise/processes/{demo}/open-data.zip?licence=dl-de-by-2.0"
                          "&attribution=Stadt+Herdecke&lang=en")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert names == FILES
    folder = archive.namelist()[0].split("/")[0]
    licence = archive.read(f"{folder}/LICENSE.txt").decode("utf-8")
    assert "dl-de/by-2-0" in licence and "Stadt Herdecke" in licence
    assert "Open data" in archive.read(f"{folder}/README.md").decode("utf-8")
    refused = client.get(f"/organise/processes/{demo}/open-data.zip?licence=proprietary&lang=de")
    assert refused.status_code == 400 and "error-message" in refused.get_data(as_text=True)


def test_the_open_data_download_is_in_the_audit_log(app, client, demo):
    from app.models import AuditEntry

    client.get(f"/organise/processes/{demo}/open-data.zip")
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry).filter_by(action="export.open_data")) is not None


def test_a_text_that_looks_like_a_formula_stays_text_in_the_csv(app, make, runner, tmp_path):
    event = make.event(tables=1, rounds=1)
    with app.app_context():
        db.session.add(Contribution(event_id=event.id, text='=HYPERLINK("http://evil.example","Klick")', language="de"))
        db.session.commit()
    files = package(runner, event.process_id, tmp_path)
    cells = [row["text"] for row in csv.DictReader(io.StringIO(files["ideas.csv"].decode("utf-8")))]
    assert cells == ["'=HYPERLINK(\"http://evil.example\",\"Klick\")"]
    assert json.loads(files["ideas.json"])[0]["text"].startswith("=HYPERLINK")  # the JSON keeps it as written


def test_a_readme_language_the_interface_does_not_speak_is_refused(app, make, runner, client, login, tmp_path):
    event = make.event(tables=1, rounds=1)
    result = runner.invoke(args=["export", "open-data", str(event.process_id), "-o", str(tmp_path), "--lang", "prs"])
    assert result.exit_code != 0 and "Unknown language" in result.output
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    client.get("/lang/ti")
    page = client.get(f"/organise/processes/{event.process_id}/open-data.zip?licence=xx&lang=zz&attribution=" + "a" * 301)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and text.count('class="error-message"') == 3
    assert "Not a valid" not in text and "cannot be longer" not in text
