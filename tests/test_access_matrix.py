"""The authorization matrix: every route × every kind of visitor, against tests/access_expectations.py.

One world per database (two demo processes A and B with all their objects, staff of each role,
participants, a host link and a projector link) is built once; each route is asked as each actor
with URLs naming process A's objects. Allowed actors get through (no 401/403/404, no login or join
redirect, no 500); the others are refused, and a refused POST changes no row. After each allowed
POST the database goes back to the world, so routes that delete do not spoil the next.
A second test puts one object of the URL in another scope (B's, or A's other table for host links)
and expects even the best-placed allowed actor to be refused.
"""
import secrets
import uuid
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace

from urllib.parse import urlsplit

import pytest
from flask import url_for
from PIL import Image
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app import create_app
from app import livepoll
from app.extensions import db
from app.models import (ActionField, Cluster, ClusterCandidate, Contribution, Event, GoalNode, GoalNodeIdea,
                        Indicator, IndicatorValue, Snapshot, Suggestion, User)
from app.models.user import IMPLIED_ROLES, ROLES
from app.services.administration import demo, users
from app.services.cafe import hosting, merging, photos, voting
from config import TestConfig
from tests.access_expectations import (ADMIN, EXPECTATIONS, FORMS, HOST, LOGIN, OWN_ONLY, PARTICIPANT,
                                       PROJECTOR, PUBLIC, RETURN_LINK, URL_VALUES)
from tests.conftest import PASSWORD, _empty_tables, config_for

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
SESSION_COOKIE = "session"  # Flask's default name; the config does not change it
REFUSED = {401, 403, 404}
REDIRECTS = {301, 302, 303, 307, 308}
STAFF = ("nobody", "admin", "organiser_a", "moderator_a", "interpreter_a", "steering_a", "organiser_b")
ACTORS = ("anonymous",) + STAFF + ("participant_a", "participant_b", "host_a", "projector_a")
# Variables naming no object (or one the matrix varies by actor): never moved to another scope.
SCOPE_FREE = {"process_id", "event_id", "code", "token", "fmt", "action", "target", "language", "key",
              "table_number", "filename"}


def _routes():
    app = create_app(TestConfig)
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


ROUTES = _routes()
CASES = [(endpoint, method) for endpoint, rule in sorted(ROUTES.items())
         for method in sorted(rule.methods - SKIPPED_METHODS)]


def test_every_route_has_a_declared_expectation():
    missing = sorted(set(ROUTES) - set(EXPECTATIONS))
    assert not missing, (f"Routes without a declared access expectation: {', '.join(missing)}. Declare who may "
                         "use each in tests/access_expectations.py EXPECTATIONS.")


def test_every_declaration_names_a_route():
    stale = sorted(set(EXPECTATIONS) - set(ROUTES))
    assert not stale, (f"tests/access_expectations.py declares endpoints that no longer exist: {', '.join(stale)}. "
                       "Remove or rename them.")


# The world ----------------------------------------------------------------------------------------

def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _side(process) -> SimpleNamespace:
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
        captured, _ = hosting.capture_lines(at, first, "Doppelt gemeldet\nDoppelt gemeldet, nochmal",
                                            key=secrets.token_hex(8), language="de")
        record = merging.merge_many(captured[1:], captured[0], table=at)[0]
        return captured[0], record, photos.store_photo(at, first, _png(), "tischtuch.png")

    _, merge, photo = merge_and_photo(table)
    other_idea, other_merge, other_photo = merge_and_photo(other_table)
    siblings = [child.id for child in node.parent.children]
    indicator = db.session.scalar(select(Indicator).join(GoalNode).where(GoalNode.process_id == process.id)
                                  .order_by(Indicator.id))
    voting.open_vote(event, 5, 2)
    db.session.flush()
    return SimpleNamespace(
        process_id=process.id, event_id=event.id, code=event.code, projector_token=event.projector_token,
        event_revision=event.revision, table_id=table.id, table_number=table.number,
        host_token=table.host_token, round_id=first.id, next_round_id=second.id,
        participant_token=idea.participant.token, idea_uuid=idea.uuid, node_uuid=node.uuid,
        move_direction="up" if siblings.index(node.id) else "down",
        merge_uuid=merge.uuid, photo_uuid=photo.uuid, indicator_uuid=indicator.uuid,
        value_uuid=db.session.scalar(select(IndicatorValue.uuid).filter_by(indicator_id=indicator.id)),
        field_id=db.session.scalar(select(ActionField.id).filter_by(process_id=process.id)),
        cluster_id=db.session.scalar(select(Cluster.id).filter_by(process_id=process.id)),
        candidate_id=db.session.scalar(select(ClusterCandidate.id).filter_by(process_id=process.id)),
        suggestion_id=db.session.scalar(select(Suggestion.id).join(Contribution).where(
            Contribution.event_id == event.id).order_by(Suggestion.id)),
        snapshot_uuid=db.session.scalar(select(Snapshot.uuid).filter_by(process_id=process.id)),
        # Objects of the same event at another table: out of reach of this table's host link.
        other_table=SimpleNamespace(idea_uuid=other_idea.uuid, merge_uuid=other_merge.uuid,
                                    photo_uuid=other_photo.uuid),
    )


@dataclass
class World:
    app: object
    a: SimpleNamespace
    b: SimpleNamespace
    cookies: dict  # actor → its browser's session cookie (None: none)
    rows: dict  # table name → rows, as the world was built
    prints: dict  # and its fingerprint

    def token_of(self, actor: str, endpoint: str) -> str:
        """The secret link token an actor holds for a token route; a made-up one if none."""
        own = {"host_a": self.a.host_token, "projector_a": self.a.projector_token,
               "participant_a": self.a.participant_token, "participant_b": self.b.participant_token}
        return own.get(actor) or secrets.token_urlsafe(24)


def _dump() -> dict:
    """Every row of every table, ordered: the world to restore, and what a refused POST must leave."""
    dump = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        dump[table.name] = [dict(row._mapping) for row in db.session.execute(select(table).order_by(*order))]
    return dump


def _fingerprint() -> dict:
    """Per table, something that changes with any row: a digest where the database makes one."""
    if db.engine.dialect.name != "postgresql":
        return _dump()  # SQLite reads the few hundred rows faster than a server sends them
    digests = [f"SELECT '{t.name}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"{t.name}\" r"
               for t in db.metadata.sorted_tables]
    return dict(db.session.execute(text(" UNION ALL ".join(digests))).all())


def _restore(rows: dict) -> None:
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
    now = _dump()
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


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    app = create_app(config_for(database_url))
    with app.app_context():
        _empty_tables()
        a = demo.seed_demo("").process
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo, "DEMO_PROCESS_UUID", uuid.uuid4())
            b = demo.seed_demo("").process
        a_side, b_side = _side(a), _side(b)
        password_hash = generate_password_hash(PASSWORD)

        def user(email, admin=False):  # one password hash for all: each costs a tenth of a second
            made = User(email=email, is_admin=admin, password_hash=password_hash)
            db.session.add(made)
            return made

        user("nobody@matrix.test")
        user("admin@matrix.test", admin=True)
        for role in ROLES:
            staff_user = user(f"{role}-a@matrix.test")
            membership = users.grant_role(staff_user, a, role)
            if role == "interpreter":
                membership.languages = ["en", "ar", "uk", "tr"]
                a_side.interpreter_membership_id = membership.id
            a_side.membership_id = membership.id  # the last: steering, which admins may revoke
        b_side.membership_id = users.grant_role(user("organiser-b@matrix.test"), b, "organiser").id
        db.session.commit()
    cookies = {"anonymous": None, "host_a": None, "projector_a": None}
    for actor in STAFF:
        cookies[actor] = _login(app, actor.replace("_", "-") + "@matrix.test")
    for actor, side in (("participant_a", a_side), ("participant_b", b_side)):
        client = app.test_client()
        with client.session_transaction() as session:
            session["participants"] = {str(side.event_id): side.participant_token}
        cookies[actor] = client.get_cookie(SESSION_COOKIE).value
    with app.test_request_context():
        prefix = f"/e/{a_side.code}/view/de/{a_side.table_id}"
        a_side.fragment_key = livepoll.gate().sign(prefix, [("E", a_side.event_id, 1), ("t", a_side.table_id, 1)])
        rows, prints = _dump(), _fingerprint()
    yield World(app, a_side, b_side, cookies, rows, prints)
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


# Asking -------------------------------------------------------------------------------------------

def _allowed(expectation: str) -> set[str]:
    if expectation == PUBLIC:
        return set(ACTORS)
    if expectation == LOGIN:
        return set(STAFF)
    if expectation == ADMIN:
        return {"admin"}
    if expectation == PARTICIPANT:
        return {"participant_a"}
    if expectation == RETURN_LINK:  # each participant's own link, whatever the event
        return {"participant_a", "participant_b"}
    if expectation == HOST:
        return {"host_a"}
    if expectation == PROJECTOR:
        return {"projector_a"}
    role = expectation.removeprefix("staff:")
    assert role in ROLES, f"unknown expectation {expectation!r} in tests/access_expectations.py"
    return {"admin"} | {f"{held}_a" for held in ROLES if role in IMPLIED_ROLES[held]}


def _value(world: World, endpoint: str, name: str, actor: str, side=None):
    override = URL_VALUES.get(endpoint, {}).get(name)
    if override is not None:
        return override(side or world.a) if callable(override) else override
    if name == "token":
        return world.token_of(actor, endpoint)
    return {"fmt": "svg", "target": "en", "language": "de", "key": world.a.fragment_key}.get(name) or getattr(
        world.a, name)


def _expectation(endpoint: str, method: str) -> str | None:
    expectation = EXPECTATIONS.get(endpoint)
    return expectation.get(method) if isinstance(expectation, dict) else expectation


def _names(endpoint: str) -> set[str]:
    """The URL's variables and the query arguments declared for it."""
    return set(ROUTES[endpoint].arguments) | set(URL_VALUES.get(endpoint, {}))


def _url(world: World, endpoint: str, actor: str, **replaced) -> str:
    values = {name: _value(world, endpoint, name, actor) for name in _names(endpoint)}
    values.update(replaced)
    with world.app.test_request_context():
        return url_for(endpoint, **values)


def _ask(world: World, actor: str, method: str, url: str, data: dict, **headers):
    client = world.app.test_client()
    if world.cookies[actor]:
        client.set_cookie(SESSION_COOKIE, world.cookies[actor])
    return client.open(url, method=method, data=dict(data), headers=headers)


def _was_refused(response) -> bool:
    """Refused: 401, 403, 404, or sent to the login page or (a phone) to the join page."""
    if response.status_code in REFUSED:
        return True
    if response.status_code in REDIRECTS:
        path = urlsplit(response.location).path
        return path.startswith("/auth/login") or path.startswith("/j/")
    return False


def _describe(actor, method, url, response) -> str:
    where = f" → {response.location}" if response.status_code in REDIRECTS else ""
    return f"{actor}: {method} {url} answered {response.status_code}{where}"


def _changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _data_for(world, endpoint, method) -> dict:
    return FORMS[endpoint](world) if method == "POST" and endpoint in FORMS else {}


@pytest.mark.parametrize("endpoint,method", CASES, ids=[f"{e}-{m}" for e, m in CASES])
def test_who_may_use_the_route(world, endpoint, method):
    expectation = _expectation(endpoint, method)
    if expectation is None:
        pytest.fail(f"{endpoint} {method} has no declared access expectation: declare it in "
                    "tests/access_expectations.py")
    allowed = _allowed(expectation)
    data = _data_for(world, endpoint, method)
    problems = []
    if method == "POST":
        with world.app.app_context():
            before = _fingerprint()
            if _changed(world.prints, before):  # an allowed GET before wrote something (a host seen)
                _restore(world.rows)
                before = world.prints
    refused_actors = [actor for actor in ACTORS if actor not in allowed]
    for actor in refused_actors:
        url = _url(world, endpoint, actor)
        response = _ask(world, actor, method, url, data)
        if not _was_refused(response):
            problems.append(f"let in, but {expectation!r} only: " + _describe(actor, method, url, response))
    if method == "POST":
        with world.app.app_context():
            changed = _changed(before, _fingerprint())
        if changed:
            problems.append(f"a refused POST changed {', '.join(changed)}")
            with world.app.app_context():
                _restore(world.rows)
    for actor in sorted(allowed):
        url = _url(world, endpoint, actor)
        response = _ask(world, actor, method, url, data)
        if _was_refused(response) or response.status_code >= 500:
            problems.append(f"refused, but {expectation!r} may: " + _describe(actor, method, url, response))
        if method == "POST":
            with world.app.app_context():
                changed = _changed(world.prints, _fingerprint())
                if data and not changed:
                    problems.append(f"{actor}'s POST of tests/access_expectations.py FORMS changed nothing, "
                                    "so it does not show that a refused one would")
                    data = {}  # said once
                if changed:
                    _restore(world.rows)
    assert not problems, f"{endpoint} {method}:\n" + "\n".join(problems)


def _cross_scope_cases():
    for endpoint, method in CASES:
        expectation = _expectation(endpoint, method)
        if expectation in (None, PUBLIC, LOGIN, RETURN_LINK):
            continue
        for name in sorted(_names(endpoint) - SCOPE_FREE):
            yield endpoint, method, name, "B"
            if expectation == HOST or endpoint in OWN_ONLY:
                yield endpoint, method, name, "other table"


CROSS = list(_cross_scope_cases())


@pytest.mark.parametrize("endpoint,method,name,scope", CROSS, ids=[f"{e}-{m}-{n}-{s}" for e, m, n, s in CROSS])
def test_objects_of_another_scope_are_refused(world, endpoint, method, name, scope):
    """The URL names A (its process, event, or link) and one object of B, or of A's other table."""
    actor = sorted(_allowed(_expectation(endpoint, method)))[0]  # admin for staff routes: only the scope protects
    side = world.b if scope == "B" else world.a.other_table
    foreign = _value(world, endpoint, name, actor, side) if name in URL_VALUES.get(endpoint, {}) else getattr(
        side, name, None)
    if foreign is None:
        pytest.skip(f"no {name} at the {scope}")
    url = _url(world, endpoint, actor, **{name: foreign})
    with world.app.app_context():
        before = _fingerprint() if method == "POST" else None
    # Asked as a script would: routes that answer a plain form's mistake with a redirect say 404 then.
    response = _ask(world, actor, method, url, _data_for(world, endpoint, method), Accept="application/json")
    changed = []
    if method == "POST":
        with world.app.app_context():
            changed = _changed(before, _fingerprint())
            if changed:
                _restore(world.rows)
    # A POST may also refuse as its form's mistakes do (back to the page, or 400), as long as it
    # changed nothing; FORMS makes sure the allowed one would have.
    soft = method == "POST" and response.status_code in REDIRECTS | {400, 409, 422} and not changed
    problems = [] if response.status_code in REFUSED or soft else [_describe(actor, method, url, response)]
    if changed:
        problems.append(f"and it changed {', '.join(changed)}")
    assert not problems, f"{endpoint} with {name} of {scope}: " + "; ".join(problems)
