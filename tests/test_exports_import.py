"""The goal tree's JSON round trip (export → import → export), the CLI commands, and the scope of
idea links when a tree comes from elsewhere."""
import copy
import io
import json

import openpyxl
import pytest

from app.exports.importing import import_tree
from app.extensions import db
from app.models import Contribution, GoalNode, GoalNodeIdea, Process
from app.services.administration import processes
from app.services.goals import snapshots
from app.services.errors import Conflict, DomainError
from tests.exports_helpers import ARABIC, ARABIC_GOAL, IDEAS, UMLAUTS, build_tree


def document_of(app, process_id):
    with app.app_context():
        return snapshots.tree_document(db.session.get(Process, process_id))


def nodes_of(document):
    todo, found = list(document["nodes"]), []
    while todo:
        node = todo.pop(0)
        found.append(node)
        todo[:0] = node["children"]
    return found


def normalised(document, *, quote_ideas=False):
    """What must be equal after a round trip: without the time of export and the process's UUID;
    with new UUIDs numbered in reading order; with linked ideas turned into quotations where the
    ideas could not be linked."""
    document = copy.deepcopy(document)
    document.pop("generated_at")
    document["process"].pop("uuid")
    fields = {f["uuid"]: f"field-{index}" for index, f in enumerate(document["action_fields"])}
    for field in document["action_fields"]:
        field["uuid"] = fields[field["uuid"]]
    for number, node in enumerate(nodes_of(document)):
        node["uuid"] = f"node-{number}"
        node["action_field_uuid"] = fields.get(node["action_field_uuid"], node["action_field_uuid"])
        for index, indicator in enumerate(node["indicators"]):
            indicator["uuid"] = f"node-{number}-indicator-{index}"
        if quote_ideas:
            node["quotes"] = [{"text": i["text"], "language": i["language"], "uuid": i["uuid"]}
                              for i in node.pop("ideas")] + node["quotes"]
            node["ideas"] = []
    return document


@pytest.fixture
def tree(app, make):
    return build_tree(app, make.process("Wie leben wir 2030 zusammen?").id)


def test_round_trip_into_the_same_process_keeps_everything(app, tree, tmp_path, runner):
    before = document_of(app, tree.process_id)
    path = tmp_path / "baum.json"
    result = runner.invoke(args=["export", "goal-tree", str(tree.process_id), "--format", "json", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8"))["nodes"] == before["nodes"]
    with app.app_context():  # the tree goes, and comes back from the file
        db.session.delete(db.session.scalar(db.select(GoalNode).filter_by(process_id=tree.process_id, parent_id=None)))
        db.session.commit()
    result = runner.invoke(args=["import", "goal-tree", str(path), "--process", str(tree.process_id)])
    assert result.exit_code == 0, result.output
    assert "9 nodes" in result.output and "3 ideas linked, 0 kept as quotations" in result.output
    after = document_of(app, tree.process_id)
    before.pop("generated_at"), after.pop("generated_at")
    assert after == before  # the same UUIDs, links, values and progress


def test_round_trip_into_a_new_process_keeps_the_ideas_as_quotations(app, tree, tmp_path, runner):
    before = document_of(app, tree.process_id)
    path = tmp_path / "baum.json"
    path.write_text(json.dumps(before, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        new = db.session.scalar(db.select(Process).where(Process.id != tree.process_id))
        assert new.title == "Wie leben wir 2030 zusammen?"
        assert db.session.scalar(db.select(db.func.count(GoalNodeIdea.id))
                                 .join(GoalNode).where(GoalNode.process_id == new.id)) == 0
        new_id = new.id
    after = document_of(app, new_id)
    assert {n["uuid"] for n in nodes_of(after)}.isdisjoint({n["uuid"] for n in nodes_of(before)})
    assert normalised(after) == normalised(before, quote_ideas=True)
    quotes = nodes_of(after)[4]["quotes"]
    assert [(q["text"], q["language"]) for q in quotes] == [tuple(i) for i in IDEAS[:2]]

    # Exported again and imported into a third process, the quotations stay quotations.
    again = tmp_path / "wieder.json"
    runner.invoke(args=["export", "goal-tree", str(new_id), "--format", "json", "-o", str(again)])
    assert runner.invoke(args=["import", "goal-tree", str(again)]).exit_code == 0
    with app.app_context():
        third = db.session.scalar(db.select(Process.id).order_by(Process.id.desc()))
    assert normalised(document_of(app, third)) == normalised(after)


def test_into_another_installation_uuids_are_kept(app, tree):
    before = document_of(app, tree.process_id)
    with app.app_context():  # as on a server that never had this process
        db.session.delete(db.session.get(Process, tree.process_id))
        db.session.commit()
        result = import_tree(copy.deepcopy(before))
        db.session.commit()
        assert (result.nodes, result.linked_ideas, result.quotations) == (9, 0, 3)
        new_id = result.process.id
    after = document_of(app, new_id)
    assert [n["uuid"] for n in nodes_of(after)] == [n["uuid"] for n in nodes_of(before)]
    assert [f["uuid"] for f in after["action_fields"]] == [f["uuid"] for f in before["action_fields"]]
    assert normalised(after) == normalised(before, quote_ideas=True)


def test_links_never_cross_into_another_process(app, tree, make):
    document = document_of(app, tree.process_id)
    other = make.process("Anderer Prozess")
    other_tree = build_tree(app, other.id)  # ideas of its own, with the same texts
    with app.app_context():
        target = processes.create_process("Leer", with_default_fields=False)
        import_tree(document, target)
        db.session.commit()
        links = db.session.scalars(db.select(GoalNodeIdea).join(GoalNode).where(GoalNode.process_id == target.id))
        assert list(links) == []
        # A quotation of an idea that does belong to the target process becomes a link again.
        quoted = copy.deepcopy(document_of(app, other_tree.process_id))
        for node in nodes_of(quoted):
            node["quotes"], node["ideas"] = node["ideas"], []
        db.session.delete(db.session.scalar(db.select(GoalNode).filter_by(process_id=other.id, parent_id=None)))
        result = import_tree(quoted, db.session.get(Process, other.id))
        db.session.commit()
        assert (result.linked_ideas, result.quotations) == (3, 0)
        ideas = db.session.scalars(db.select(Contribution.uuid).join(GoalNodeIdea).join(GoalNode)
                                   .where(GoalNode.process_id == other.id)).all()
        assert sorted(str(u) for u in ideas) == sorted(other_tree.ideas)


def test_action_fields_are_matched_by_uuid_then_by_german_name(app, tree, make):
    document = document_of(app, tree.process_id)
    document["action_fields"][0]["uuid"] = "2b2b2b2b-0000-4000-8000-000000000000"
    document["nodes"][0]["children"][0]["action_field_uuid"] = "2b2b2b2b-0000-4000-8000-000000000000"
    target_id = make.process("Mit Standardfeldern").id
    with app.app_context():
        target = db.session.get(Process, target_id)
        import_tree(document, target)
        db.session.commit()
        names = [f.name["de"] for f in target.action_fields]
        assert names == ["Ausbildung und Arbeit", "Sprache und Bildung", "Wohnen und Quartier",
                         "Teilhabe und Engagement"]  # matched by name: none added
    after = document_of(app, target_id)
    assert nodes_of(after)[1]["action_field_uuid"] == after["action_fields"][0]["uuid"]


def test_refused_imports_change_nothing(app, tree, tmp_path, runner):
    document = document_of(app, tree.process_id)
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(GoalNode.id)))
        with pytest.raises(Conflict):  # a tree that has been worked on is not replaced
            import_tree(document, db.session.get(Process, tree.process_id))
        db.session.rollback()
        for broken in ({"schema": "other", "version": 1}, {**document, "version": 2},
                       {**document, "nodes": [{**document["nodes"][0], "kind": "ziel"}]},
                       {**document, "nodes": [{**document["nodes"][0], "weight": "viel"}]},
                       {**document, "nodes": [{**document["nodes"][0], "title": {}}]}):
            with pytest.raises(DomainError):
                import_tree(copy.deepcopy(broken))
            db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(GoalNode.id))) == count
        assert db.session.scalar(db.select(db.func.count(Process.id))) == 1
    path = tmp_path / "kaputt.json"
    path.write_text("{nicht json", encoding="utf-8")
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and "not a JSON file" in result.output
    path.write_text(json.dumps({"schema": "anders"}), encoding="utf-8")
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and "kein Zielbaum" in result.output


def test_documents_without_quotations_still_import(app, tree):
    document = document_of(app, tree.process_id)
    for node in nodes_of(document):
        del node["quotes"]  # a snapshot taken before quotations existed
    with app.app_context():
        assert import_tree(document).nodes == 9


def test_cli_exports_in_a_language_and_from_a_snapshot(app, tree, tmp_path, runner):
    with app.app_context():
        process = db.session.get(Process, tree.process_id)
        snapshots.freeze(process, "Ratssitzung 2026")
        process_uuid = str(process.uuid)
        db.session.commit()
    path = tmp_path / "baum.xlsx"
    result = runner.invoke(args=["export", "goal-tree", process_uuid, "--format", "xlsx", "-o", str(path),
                                 "--lang", "ar", "--snapshot", "Ratssitzung 2026"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    assert sheet.sheet_view.rightToLeft and sheet.cell(row=6, column=4).value == ARABIC_GOAL
    assert sheet.cell(row=8, column=4).value == ARABIC

    result = runner.invoke(args=["export", "goal-tree", str(tree.process_id), "--format", "md", "-o", "-"])
    assert result.exit_code == 0 and UMLAUTS in result.stdout
    for args, message in [(["--snapshot", "Gibt es nicht"], "no snapshot named"), (["--lang", "xx"], "Unknown language"),
                          (["-o", "-"], "not a text format")]:
        options = {"-o": str(path), **dict(zip(args[::2], args[1::2]))}
        result = runner.invoke(args=["export", "goal-tree", str(tree.process_id), "--format", "docx",
                                     *[part for pair in options.items() for part in pair]])
        assert result.exit_code == 1 and message in result.output, result.output
    result = runner.invoke(args=["export", "goal-tree", "99999", "--format", "csv", "-o", str(path)])
    assert result.exit_code == 1 and "Beteiligungsprozess" in result.output
