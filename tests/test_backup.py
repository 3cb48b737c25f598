"""`flask backup` and `flask restore`: a backup restored into an empty database backs up the same,
on SQLite, PostgreSQL and from one to the other; a refused or broken restore changes nothing."""
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from app import create_app
from app.backup import EXCLUDED, write_backup
from app.extensions import db
from app.models import (AcceptedBatch, AuditEntry, Contribution, ContributionTranslation, Event, IdeaRevision,
                        InterpreterAssignment, Membership, Merge, Participant,
                        RoundSummary, TablePhoto, User, Vote)
from app.services.administration import jobs, users
from tests.conftest import _empty_tables, config_for, temporary_database

ROOT = Path(__file__).resolve().parent.parent
PHOTO = bytes(range(256)) * 64  # every byte value, NUL included
HIDDEN_AT = datetime(2026, 5, 1, 12, 30, 15, 123456, tzinfo=timezone.utc)


def table_rows(path) -> dict[str, list[dict]]:
    """Every table's rows as the file holds them: what two backups must agree on (not their bytes)."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {entry["name"]: [json.loads(line) for line in archive.read(entry["file"]).splitlines()]
                for entry in manifest["tables"]}


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def database_state(app) -> dict[str, list[tuple]]:
    """The database's rows read directly, to show a failed restore changed nothing."""
    with app.app_context():
        return {table.name: db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


def empty_database(app) -> None:
    with app.app_context():
        _empty_tables()


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def seed_demo_and_the_rest(app, runner) -> None:
    """The demo, plus rows of the tables it leaves empty: a photo, a job, a vote, a merge into a later idea."""
    ok(runner.invoke(args=["demo"]))
    with app.app_context():
        event = db.session.scalar(select(Event))
        ideas = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
        table, round_ = event.tables[0], event.rounds[0]
        db.session.add(TablePhoto(table=table, round=round_, content_type="image/png", width=64, height=64,
                                  byte_size=len(PHOTO), data=PHOTO))
        db.session.add(RoundSummary(table_id=table.id, round_id=round_.id, text="Mehr Begegnungsorte"))
        jobs.enqueue("translate_idea", {"contribution_id": ideas[0].id, "language": "uk"})
        db.session.add(Vote(participant=db.session.scalar(select(Participant)), contribution=ideas[-1]))
        # Merged into a later idea: restore must insert that one first, whatever the ids' order.
        ideas[0].merged_into, ideas[0].status = ideas[-1], "merged"
        db.session.add(Merge(event_id=event.id, source_id=ideas[0].id, target_id=ideas[-1].id, source_status="new",
                             returned_votes=[{"participant_id": 1}]))
        ideas[1].hidden_at = HIDDEN_AT
        db.session.add(IdeaRevision(contribution_id=ideas[2].id, text_before="Mehr Bäne", table_id=table.id,
                                    actor="host:1", changed_at=HIDDEN_AT))
        db.session.add(AuditEntry(process_id=event.process_id, event_id=event.id, actor="host:1", action="idea.edit",
                                  subject=ideas[2].text, detail={"before": "Mehr Bäne"}, created_at=HIDDEN_AT))
        db.session.add(AcceptedBatch(process_id=event.process_id, made_at=HIDDEN_AT, threshold=90,
                                     ideas=[[ideas[3].id, ideas[3].action_field_id or 1]]))
        interpreter = users.create_user("dolmetsch@demo.example", "ein langes Passwort 2030")
        users.grant_role(interpreter, event.process, "interpreter")
        db.session.flush()
        membership = db.session.scalar(select(Membership).filter_by(user_id=interpreter.id))
        membership.languages = ["fa"]
        db.session.add(InterpreterAssignment(membership_id=membership.id, round_id=round_.id, table_id=table.id))
        db.session.commit()


@contextmanager
def fresh_database(kind: str, tmp_path):
    """An app on a new, migrated database of `kind` (as conftest makes them), dropped afterwards."""
    with temporary_database(kind, tmp_path, "wc_backup") as url:
        app = create_app(config_for(url))
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


def test_every_table_is_backed_up_or_excluded_with_a_reason(app, runner, tmp_path):
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "b.zip")]))
    manifest = manifest_of(tmp_path / "b.zip")
    backed_up = {entry["name"] for entry in manifest["tables"]}
    with app.app_context():
        in_database = set(inspect(db.engine).get_table_names())
        in_models = {table.name for table in db.metadata.sorted_tables}
    assert in_database - backed_up - set(EXCLUDED) == set(), "back these tables up, or say in EXCLUDED why not"
    assert backed_up == in_models - set(EXCLUDED)
    assert all(len(reason) > 20 for reason in EXCLUDED.values())
    assert manifest["excluded"] == EXCLUDED


def test_restore_into_an_empty_database_gives_the_same_instance(app, runner, tmp_path):
    seed_demo_and_the_rest(app, runner)
    result = ok(runner.invoke(args=["backup", "-o", str(tmp_path / "first.zip")]))
    with app.app_context():
        ideas = db.session.scalar(select(func.count(Contribution.id)))
    assert ideas > 66  # the café's, the online phase's, the workshop's and the interview's
    assert re.search(rf"contributions +{ideas} rows", result.output) and "table_photos" in result.output
    manifest = manifest_of(tmp_path / "first.zip")
    assert manifest["format_version"] == 1 and re.fullmatch(r"[0-9a-f]{12}", manifest["alembic_revision"])
    assert all(entry["rows"] > 0 for entry in manifest["tables"]), "every table has a row whose types must survive"

    empty_database(app)
    result = ok(runner.invoke(args=["restore", str(tmp_path / "first.zip")]))
    assert re.search(rf"restored contributions +{ideas} rows", result.output)
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "second.zip")]))
    assert table_rows(tmp_path / "second.zip") == table_rows(tmp_path / "first.zip")

    with app.app_context():
        photo = db.session.scalar(select(TablePhoto))
        assert photo.data == PHOTO
        hidden = db.session.scalar(select(Contribution).where(Contribution.hidden_at.is_not(None)))
        assert hidden.hidden_at == HIDDEN_AT and hidden.hidden_at.tzinfo is not None
        assert db.session.scalar(select(Contribution).where(Contribution.merged_into_id.is_not(None))).merged_into
        # New rows get fresh ids (on PostgreSQL: the sequences were set past the restored rows).
        newest = db.session.scalar(select(func.max(User.id)))
        assert users.create_user("new@example.org", "a long enough secret").id == newest + 1
        db.session.commit()


def test_a_restored_account_logs_in_with_its_password(app, runner, client, make, tmp_path):
    staff = make.user("staff@example.org", admin=True)
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "b.zip")]))
    empty_database(app)
    ok(runner.invoke(args=["restore", str(tmp_path / "b.zip")]))
    wrong = client.post("/auth/login", data={"email": staff.email, "password": "not the password"})
    assert wrong.status_code == 200
    right = client.post("/auth/login", data={"email": staff.email, "password": staff.password})
    assert right.status_code == 302
    assert client.get("/organise/").status_code == 200


def test_a_backup_to_standard_output_restores_the_same(app, runner, make, tmp_path):
    """`-o -` pipes the backup into an encryption tool; progress then goes to standard error."""
    make.event()
    make.user("staff@example.org")
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "file.zip")]))
    result = ok(runner.invoke(args=["backup", "-o", "-"]))
    assert re.search(r"wrote users +1 rows", result.stderr) and "wrote" not in result.stdout
    (tmp_path / "piped.zip").write_bytes(result.stdout_bytes)
    empty_database(app)
    ok(runner.invoke(args=["restore", str(tmp_path / "piped.zip")]))
    assert table_rows(tmp_path / "piped.zip") == table_rows(tmp_path / "file.zip")
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "staff@example.org"


def test_restore_refuses_a_database_with_data_unless_told_to_replace_it(app, runner, make, tmp_path):
    make.user("kept@example.org")
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "b.zip")]))
    make.user("later@example.org")
    before = database_state(app)

    result = runner.invoke(args=["restore", str(tmp_path / "b.zip")])
    assert result.exit_code == 1
    assert "not empty" in result.stderr and "--replace" in result.stderr
    assert database_state(app) == before

    ok(runner.invoke(args=["restore", "--replace", str(tmp_path / "b.zip")]))
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["kept@example.org"]


def _rewrite(source, target, *, manifest=None, table=None, drop=None):
    """A copy of a backup with its manifest or one table's lines changed (checksums left as they were)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name == drop:
                continue
            data = old.read(name)
            if name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif table and name == f"tables/{table[0]}.jsonl":
                data = table[1](data)
            new.writestr(name, data)


def _refused_row(source, target):
    """A table of an event the file does not hold, with the checksum made to match: the database refuses it
    after the restore has deleted the data and written other tables, so the rollback is what saves them."""
    def change_table(data):
        lines = data.splitlines(keepends=True)
        row = json.loads(lines[-1])
        row["event_id"] = 999999
        lines[-1] = json.dumps(row).encode() + b"\n"
        return b"".join(lines)

    with zipfile.ZipFile(source) as old:
        changed = change_table(old.read("tables/cafe_tables.jsonl"))

    def manifest(document):
        entry = next(e for e in document["tables"] if e["name"] == "cafe_tables")
        entry["sha256"] = hashlib.sha256(changed).hexdigest()
        return document

    _rewrite(source, target, manifest=manifest, table=("cafe_tables", change_table))


BROKEN = {
    "truncated": (lambda s, t: t.write_bytes(s.read_bytes()[: len(s.read_bytes()) // 2]), "not a complete backup"),
    "not a zip": (lambda s, t: t.write_bytes(b"hello"), "not a complete backup"),
    "no manifest": (lambda s, t: _rewrite(s, t, drop="manifest.json"), "no manifest.json"),
    "table altered": (lambda s, t: _rewrite(s, t, table=("users", lambda d: d.replace(b"kept", b"kepT"))),
                      "does not match its checksum"),
    "row removed": (lambda s, t: _rewrite(s, t, table=("cafe_tables", lambda d: b"".join(d.splitlines(True)[1:]))),
                    "does not match its checksum"),
    "table missing": (lambda s, t: _rewrite(s, t, drop="tables/votes.jsonl"), "damaged in table votes"),
    "newer format": (lambda s, t: _rewrite(s, t, manifest=lambda m: {**m, "format_version": 2}), "newer than"),
    "newer migration": (lambda s, t: _rewrite(s, t, manifest=lambda m: {**m, "alembic_revision": "0123456789ab"}),
                        "does not know: update the app"),
    "older migration": (lambda s, t: _rewrite(s, t, manifest=lambda m: {**m, "alembic_revision": "4e36cbf161d3"}),
                        "flask db upgrade 4e36cbf161d3"),
    "row the database refuses": (_refused_row, "refused a row of cafe_tables"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_or_newer_file_changes_nothing(app, runner, make, tmp_path, kind):
    make.event()
    make.user("kept@example.org")
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "good.zip")]))
    make.user("later@example.org")
    before = database_state(app)
    spoil, message = BROKEN[kind]
    spoil(tmp_path / "good.zip", tmp_path / "bad.zip")

    result = runner.invoke(args=["restore", "--replace", str(tmp_path / "bad.zip")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert message in result.stderr and result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert database_state(app) == before


def test_the_command_fails_in_one_line_without_a_traceback(database_url, tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 cut off")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "restore", str(tmp_path / "bad.zip")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"})
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr


def test_restore_into_a_database_without_tables_says_to_migrate_first(app, runner, tmp_path):
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "b.zip")]))
    bare = create_app(config_for(f"sqlite:///{tmp_path / 'bare.db'}"))
    result = bare.test_cli_runner().invoke(args=["restore", str(tmp_path / "b.zip")])
    assert result.exit_code == 1 and "no SQLite database at" in result.stderr
    assert not (tmp_path / "bare.db").exists(), "a mistyped DATABASE_URL must not leave an empty database behind"
    with bare.app_context():
        db.engine.connect().close()  # creates the empty file, as a new server's database would be
        result = bare.test_cli_runner().invoke(args=["restore", str(tmp_path / "b.zip")])
        assert result.exit_code == 1 and "run `flask db upgrade` first" in result.stderr
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_backup_refuses_a_database_at_another_migration_than_the_code(app, runner, tmp_path):
    """After updating the code but before `flask db upgrade`, the models' columns are not the database's."""
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = '4e36cbf161d3'"))
        db.session.commit()
    try:
        result = runner.invoke(args=["backup", "-o", str(tmp_path / "b.zip")])
    finally:
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
            db.session.commit()
    assert result.exit_code == 1 and "back up with the version that matches the database" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_moving_between_sqlite_and_postgresql_and_back(app, runner, tmp_path):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: moving between SQLite and PostgreSQL needs a PostgreSQL server")
    with app.app_context():
        here = db.engine.dialect.name
    seed_demo_and_the_rest(app, runner)
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "here.zip")]))
    with fresh_database("postgresql" if here == "sqlite" else "sqlite", tmp_path) as there:
        there_runner = there.test_cli_runner()
        ok(there_runner.invoke(args=["restore", str(tmp_path / "here.zip")]))
        ok(there_runner.invoke(args=["backup", "-o", str(tmp_path / "there.zip")]))
        with there.app_context():
            newest = db.session.scalar(select(func.max(Contribution.id)))
            idea = Contribution(event_id=db.session.scalar(select(Event.id)), text="Neue Idee nach dem Umzug")
            db.session.add(idea)
            db.session.commit()
            assert idea.id == newest + 1
    empty_database(app)
    ok(runner.invoke(args=["restore", str(tmp_path / "there.zip")]))
    ok(runner.invoke(args=["backup", "-o", str(tmp_path / "back.zip")]))
    first = table_rows(tmp_path / "here.zip")
    assert table_rows(tmp_path / "there.zip") == first
    assert table_rows(tmp_path / "back.zip") == first
    assert manifest_of(tmp_path / "there.zip")["database"] != here


def test_a_backup_taken_while_ideas_arrive_is_one_consistent_moment(app, make, tmp_path):
    """A writer adds ideas with a translation and bumps the event's revision in each transaction; a backup
    read table by table without one snapshot would hold translations of missing ideas, or a stale revision."""
    event = make.event(tables=2)
    stop, written = threading.Event(), []

    def write_ideas():
        with app.app_context():
            while not stop.is_set():
                idea = Contribution(event_id=event.id, table_id=event.table_ids[0], text=f"Idee {len(written)}")
                db.session.add(idea)
                db.session.flush()
                db.session.add(ContributionTranslation(contribution_id=idea.id, language="en", text="Idea"))
                db.session.get(Event, event.id).revision += 1
                db.session.commit()
                written.append(idea.id)
                time.sleep(0.002)

    def slowly(_table, _done, _total):
        time.sleep(0.03)  # so the writer commits between the tables the backup reads

    writer = threading.Thread(target=write_ideas)
    writer.start()
    try:
        while len(written) < 3:
            time.sleep(0.01)
        with app.app_context():
            before = len(written)
            write_backup(db.engine, db.metadata, tmp_path / "b.zip", progress=slowly)
            during = len(written) - before
    finally:
        stop.set()
        writer.join()
    rows = table_rows(tmp_path / "b.zip")
    ideas = {row["id"] for row in rows["contributions"]}
    assert during > 5, "the writer must have committed while the backup ran"
    assert {row["contribution_id"] for row in rows["contribution_translations"]} == ideas
    assert rows["events"][0]["revision"] == len(ideas) < len(written)


def test_photos_are_streamed_not_held_in_memory(app, runner, make, tmp_path):
    PHOTOS = 24
    event = make.event(tables=1)
    with app.app_context():
        for _ in range(PHOTOS):
            data = os.urandom(1024 * 1024)
            db.session.add(TablePhoto(table_id=event.table_ids[0], content_type="image/jpeg", width=1, height=1,
                                      byte_size=len(data), data=data))
            db.session.commit()
    with app.app_context():
        tracemalloc.start()
        try:
            write_backup(db.engine, db.metadata, tmp_path / "b.zip")
            backup_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    empty_database(app)
    tracemalloc.start()
    try:
        ok(runner.invoke(args=["restore", str(tmp_path / "b.zip")]))
        restore_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A few photos at a time, whatever their number: a copy of all 24 MB would show as 30 MB or more.
    megabyte = 1024 * 1024
    assert backup_peak < 12 * megabyte and restore_peak < 12 * megabyte, (backup_peak, restore_peak)
    with app.app_context():
        assert db.session.scalar(select(func.sum(TablePhoto.byte_size))) == PHOTOS * megabyte
