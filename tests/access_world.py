"""The authorization matrix's world (tests/test_access_matrix.py): two demo processes with every kind
of object, staff of each role, participants and links; and a way back to it after a route changed it.
"""
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app import create_app, livepoll
from app.extensions import db
from app.models import (ActionField, Actor, Cluster, ClusterCandidate, Contribution, GoalNode, GoalNodeIdea, Indicator,
                        IndicatorValue, Participant, Snapshot, Suggestion, User)
from app.models.user import ROLES
from app.services.administration import demo, users
from app.models import Comment, Decision
from app.services.administration import demo_steering
from app.models import Event, Interview
from app.services.administration import demo_workshops
from app.services.cafe import hosting, merging, photos, voting
from tests.conftest import PASSWORD, _empty_tables, config_for

SESSION_COOKIE = "session"  # Flask's default name; the config does not change it
STAFF = ("nobody", "admin", "organiser_a", "moderator_a", "interpreter_a", "steering_a", "organiser_b")
# ... and a copy of an admin's session cookie taken before they logged out: worth nothing after.
ACTORS = ("anonymous",) + STAFF + ("participant_a", "participant_b", "host_a", "projector_a", "actor_a",
                                   "logged_out_admin")


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def side_of(process) -> SimpleNamespace:
    """Process `process`'s objects for URLs: one idea of a participant, linked into the goal tree,
    at the table the host link opens; a merge and a photo at that table and at another."""
    event = process.events[0]
    idea = db.session.scalar(
        select(Contribution).join(GoalNodeIdea, GoalNodeIdea.contribution_id == Contribution.id)
        .where(Contribution.event_id == event.id, Contribution.language == "de",
               Contribution.participant_id.is_not(None), Contribution.merged_into_id.is_(None),
               Contribution.hidden_at.is_(None)).order_by(Contribution.id))
    node = db.session.scalar(select(GoalNode).join(GoalNodeIdea).where(GoalNodeIdea.contribution_id == idea.id))
    table = idea.table
    other_table = next(t for t in event.tables if t.id != table.id)
    first, second = event.rounds[0], event.rounds[1]

    def merge_and_photo(at):
        captured, _ = hosting.capture_lines(at, first, "Doppelt gemeldet\nDoppelt gemeldet, nochmal\nNoch eine",
                                            key=secrets.token_hex(8), language="de")
        record = merging.merge_many([captured[1]], captured[0], table=at)[0]
        return captured[0], captured[2], record, photos.store_photo(at, first, _png(), "tischtuch.png")

    _, spare, merge, photo = merge_and_photo(table)
    other_idea, other_spare, other_merge, other_photo = merge_and_photo(other_table)
    siblings = [child.id for child in node.parent.children]
    indicator = db.session.scalar(select(Indicator).join(GoalNode).where(GoalNode.process_id == process.id)
                                  .order_by(Indicator.id))
    voting.open_vote(event, 5, 2)
    # An actor of the register with a personal link, invited to the event (its online phase is open).
    actor = Actor(process_id=process.id, name="Matrix-Verein", token=secrets.token_urlsafe(32))
    event.invited.append(actor)
    demo_steering.seed(process)  # the steering group's comments and decisions (issue 21)
    demo_workshops.seed(process)  # a workshop with invited experts, an interview with statements (issue 21)
    interview = db.session.scalar(select(Interview).join(Event, Interview.event_id == Event.id)
                                  .where(Event.process_id == process.id).order_by(Interview.id))
    process.results_public, process.published_formats = True, ["json"]  # public results: opted in
    db.session.flush()
    return SimpleNamespace(
        process_id=process.id, process_uuid=process.uuid, event_id=event.id, code=event.code, projector_token=event.projector_token,
        table_id=table.id, table_number=table.number,
        host_token=table.host_token, round_id=first.id, next_round_id=second.id,
        participant_token=idea.participant.token, idea_uuid=idea.uuid, node_uuid=node.uuid,
        # Another idea at the table: what forms merge or move together with the first.
        participant_id=idea.participant_id, spare_idea_uuid=spare.uuid,
        registered_id=db.session.scalar(select(Participant.id).where(  # the demo's registrations
            Participant.event_id == event.id, Participant.registration_state == "registered").order_by(Participant.id)),
        move_direction="up" if siblings.index(node.id) else "down",
        merge_uuid=merge.uuid, photo_uuid=photo.uuid, indicator_uuid=indicator.uuid,
        value_uuid=db.session.scalar(select(IndicatorValue.uuid).filter_by(indicator_id=indicator.id)),
        field_id=db.session.scalar(select(ActionField.id).filter_by(process_id=process.id)),
        cluster_id=db.session.scalar(select(Cluster.id).filter_by(process_id=process.id)),
        candidate_id=db.session.scalar(select(ClusterCandidate.id).filter_by(process_id=process.id)),
        suggestion_id=db.session.scalar(select(Suggestion.id).join(Contribution).where(
            Contribution.event_id == event.id).order_by(Suggestion.id)),
        snapshot_uuid=db.session.scalar(select(Snapshot.uuid).filter_by(process_id=process.id)),
        # An open comment on a node (the steering group's), and an entry of the decision log.
        comment_uuid=db.session.scalar(select(Comment.uuid).filter_by(process_id=process.id, parent_id=None)
                                       .where(Comment.node_id.is_not(None), Comment.resolved_at.is_(None))
                                       .order_by(Comment.id)),
        decision_uuid=db.session.scalar(select(Decision.uuid).filter_by(process_id=process.id).order_by(Decision.id)),
        actor_id=actor.id, actor_token=actor.token,
        # The interview, one of its statements, and an expert of the register not invited to the event.
        interview_id=interview.id, statement_uuid=db.session.scalar(
            select(Contribution.uuid).filter_by(interview_id=interview.id).order_by(Contribution.id)),
        expert_id=db.session.scalar(select(Actor.id).filter_by(process_id=process.id, kind="expert").order_by(Actor.id)),
        # Objects of the same event at another table: out of reach of this table's host link.
        other_table=SimpleNamespace(idea_uuid=other_idea.uuid, spare_idea_uuid=other_spare.uuid,
                                    merge_uuid=other_merge.uuid, photo_uuid=other_photo.uuid),
    )


@dataclass
class World:
    app: object
    a: SimpleNamespace
    b: SimpleNamespace
    cookies: dict  # actor → its browser's session cookie (None: none)
    rows: dict  # table name → rows, as the world was built
    prints: dict  # and its fingerprint

    def token_of(self, actor: str) -> str:
        """The secret link token an actor holds for a token route; a made-up one if none."""
        own = {"host_a": self.a.host_token, "projector_a": self.a.projector_token, "actor_a": self.a.actor_token,
               "participant_a": self.a.participant_token, "participant_b": self.b.participant_token}
        return own.get(actor) or secrets.token_urlsafe(24)


def dump() -> dict:
    """Every row of every table, ordered: the world to restore, and what a refused POST must leave."""
    dump = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        dump[table.name] = [dict(row._mapping) for row in db.session.execute(select(table).order_by(*order))]
    return dump


def fingerprint() -> dict:
    """Per table, something that changes with any row: a digest where the database makes one."""
    if db.engine.dialect.name != "postgresql":
        return dump()  # SQLite reads the few hundred rows faster than a server sends them
    digests = [f"SELECT '{t.name}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"{t.name}\" r"
               for t in db.metadata.sorted_tables]
    return dict(db.session.execute(text(" UNION ALL ".join(digests))).all())


def restore(rows: dict) -> None:
    """Back to `rows`: only the rows that differ where that works, else every table anew."""
    try:
        _restore_differences(rows)
    except IntegrityError:
        db.session.rollback()
        tables = db.metadata.sorted_tables
        for table in reversed(tables):
            db.session.execute(table.delete())
        for table in tables:
            if rows[table.name]:
                db.session.execute(insert(table).values(rows[table.name]))
    db.session.commit()


def _restore_differences(rows: dict) -> None:
    """Missing rows back first, then changed ones as they were, then new ones away (their cascades
    reach only rows that are new as well)."""
    now = dump()
    tables = db.metadata.sorted_tables
    keyed = {}
    for table in tables:
        key = [column.name for column in table.primary_key.columns]
        keyed[table.name] = (key, {tuple(r[k] for k in key): r for r in rows[table.name]},
                             {tuple(r[k] for k in key): r for r in now[table.name]})
    for table in tables:
        _key, want, have = keyed[table.name]
        missing = [row for pk, row in want.items() if pk not in have]
        if missing:  # one statement per table, so rows pointing at later rows of it are fine
            db.session.execute(insert(table).values(missing))
    updates = [table.update().where(*(table.c[k] == v for k, v in zip(key, pk))).values(row)
               for table in tables for key, want, have in [keyed[table.name]]
               for pk, row in want.items() if pk in have and have[pk] != row]
    while updates:  # a unique index two rows pass in turn (one running round per event): retried
        failed = []
        for update in updates:
            try:
                with db.session.begin_nested():
                    db.session.execute(update)
            except IntegrityError:
                failed.append(update)
        if len(failed) == len(updates):
            raise IntegrityError("restoring the world", None, failed[0])
        updates = failed
    for table in reversed(tables):
        key, want, have = keyed[table.name]
        for pk in [pk for pk in have if pk not in want]:
            db.session.execute(table.delete().where(*(table.c[k] == v for k, v in zip(key, pk))))
    db.session.flush()


def _login(app, email: str) -> str:
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get_cookie(SESSION_COOKIE).value


@contextmanager
def built_world(database_url: str):
    """The world on a database of the suite's, emptied again afterwards."""
    app = create_app(config_for(database_url))
    with app.app_context():
        _empty_tables()
        a = demo.seed_demo("").process
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo, "DEMO_PROCESS_UUID", uuid.uuid4())
            b = demo.seed_demo("").process
        a_side, b_side = side_of(a), side_of(b)
        password_hash = generate_password_hash(PASSWORD)

        def user(email, admin=False):  # one password hash for all: each costs a tenth of a second
            made = User(email=email, is_admin=admin, password_hash=password_hash)
            db.session.add(made)
            return made

        user("nobody@matrix.test")
        user("admin@matrix.test", admin=True)
        user("logged-out-admin@matrix.test", admin=True)
        for role in ROLES:
            staff_user = user(f"{role}-a@matrix.test")
            membership = users.grant_role(staff_user, a, role)
            if role == "interpreter":
                membership.languages = ["en", "ar", "uk", "tr"]
                a_side.interpreter_membership_id = membership.id
            a_side.membership_id = membership.id  # the last: steering, which admins may revoke
        b_side.membership_id = users.grant_role(user("organiser-b@matrix.test"), b, "organiser").id
        b_side.interpreter_membership_id = users.grant_role(user("interpreter-b@matrix.test"), b, "interpreter").id
        db.session.commit()
    cookies = {"anonymous": None, "host_a": None, "projector_a": None, "actor_a": None}
    for actor in STAFF + ("logged_out_admin",):
        cookies[actor] = _login(app, actor.replace("_", "-") + "@matrix.test")
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, cookies["logged_out_admin"])
    assert client.post("/auth/logout").status_code in (302, 303)
    for actor, side in (("participant_a", a_side), ("participant_b", b_side)):
        client = app.test_client()
        with client.session_transaction() as session:
            session["participants"] = {str(side.event_id): side.participant_token}
        cookies[actor] = client.get_cookie(SESSION_COOKIE).value
    with app.test_request_context():
        prefix = f"/e/{a_side.code}/view/de/{a_side.table_id}"
        a_side.fragment_key = livepoll.gate().sign(prefix, [("E", a_side.event_id, 1), ("t", a_side.table_id, 1)])
        rows, prints = dump(), fingerprint()
    yield World(app, a_side, b_side, cookies, rows, prints)
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
