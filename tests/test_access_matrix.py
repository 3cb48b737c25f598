"""The authorization matrix: every route × every kind of visitor, against tests/access_expectations.py.

One world per database (tests/access_world.py: two demo processes A and B with all their objects,
staff of each role, participants, a host link and a projector link) is built once; each route is
asked as each actor with URLs naming process A's objects. Allowed actors get through (no 401/403/404,
no login or join redirect, no 500); the others are refused, and a refused POST changes no row. After
each allowed POST the database goes back to the world, so routes that delete do not spoil the next.
A second test puts one object of the URL in another scope (B's, or A's other table for host links)
and expects even the best-placed allowed actor to be refused; a third closes A's event and expects
its host links and phones to write nothing.
"""
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import url_for

from app import create_app
from app.extensions import db
from app.models import Event
from app.models.user import IMPLIED_ROLES, ROLES
from app.services.cafe import events
from config import TestConfig
from tests.access_expectations import (ACTOR_LINK, ADMIN, EXPECTATIONS, FORM_OBJECTS, FORMS, HOST, LOGIN, OWN_ONLY,
                                       PARTICIPANT, PROJECTOR, PUBLIC, RETURN_LINK, URL_VALUES,
                                       WRITES_AFTER_CLOSING)
from tests.access_world import ACTORS, SESSION_COOKIE, STAFF, World, built_world, fingerprint, restore

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
REFUSED = {401, 403, 404}
REDIRECTS = {301, 302, 303, 307, 308}
# Variables naming no object (or one the matrix varies by actor): never moved to another scope.
SCOPE_FREE = {"process_id", "event_id", "code", "token", "fmt", "action", "target", "language", "key", "chart",
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


@pytest.fixture(scope="module")
def world(database_url):
    with built_world(database_url) as made:
        yield made


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
    if expectation == ACTOR_LINK:
        return {"actor_a"}
    roles = expectation.removeprefix("staff:").split("|")  # any one of them
    assert set(roles) <= set(ROLES), f"unknown expectation {expectation!r} in tests/access_expectations.py"
    return {"admin"} | {f"{held}_a" for held in ROLES if set(roles) & IMPLIED_ROLES[held]}


def _value(world: World, endpoint: str, name: str, actor: str, side=None):
    override = URL_VALUES.get(endpoint, {}).get(name)
    if override is not None:
        return override(side or world.a) if callable(override) else override
    if name == "token":
        return world.token_of(actor)
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


def _data_for(endpoint, method, side) -> dict:
    return FORMS[endpoint](side) if method == "POST" and endpoint in FORMS else {}


@pytest.mark.parametrize("endpoint,method", CASES, ids=[f"{e}-{m}" for e, m in CASES])
def test_who_may_use_the_route(world, endpoint, method):
    expectation = _expectation(endpoint, method)
    if expectation is None:
        pytest.fail(f"{endpoint} {method} has no declared access expectation: declare it in "
                    "tests/access_expectations.py")
    allowed = _allowed(expectation)
    data = _data_for(endpoint, method, world.a)
    problems = []
    if method == "POST":
        with world.app.app_context():
            before = fingerprint()
            if _changed(world.prints, before):  # an allowed GET before wrote something (a host seen)
                restore(world.rows)
                before = world.prints
    refused_actors = [actor for actor in ACTORS if actor not in allowed]
    for actor in refused_actors:
        url = _url(world, endpoint, actor)
        response = _ask(world, actor, method, url, data)
        if not _was_refused(response):
            problems.append(f"let in, but {expectation!r} only: " + _describe(actor, method, url, response))
    if method == "POST":
        with world.app.app_context():
            changed = _changed(before, fingerprint())
        if changed:
            problems.append(f"a refused POST changed {', '.join(changed)}")
            with world.app.app_context():
                restore(world.rows)
    for actor in sorted(allowed):
        url = _url(world, endpoint, actor)
        response = _ask(world, actor, method, url, data)
        if _was_refused(response) or response.status_code >= 500 or response.status_code == 429:
            problems.append(f"refused, but {expectation!r} may: " + _describe(actor, method, url, response))
        if method == "POST":
            with world.app.app_context():
                changed = _changed(world.prints, fingerprint())
                if data and not changed:
                    problems.append(f"{actor}'s POST of tests/access_expectations.py FORMS changed nothing, "
                                    "so it does not show that a refused one would")
                    data = {}  # said once
                if changed:
                    restore(world.rows)
    assert not problems, f"{endpoint} {method}:\n" + "\n".join(problems)


def _cross_scope_cases():
    for endpoint, method in CASES:
        expectation = _expectation(endpoint, method)
        if expectation in (None, PUBLIC, LOGIN, RETURN_LINK):
            continue
        in_form = set(FORM_OBJECTS.get(endpoint, ())) if method == "POST" else set()
        for name in sorted(_names(endpoint) - SCOPE_FREE | in_form):
            yield endpoint, method, name, "B"
            if expectation == HOST or endpoint in OWN_ONLY:
                yield endpoint, method, name, "other table"


CROSS = list(_cross_scope_cases())


@pytest.mark.parametrize("endpoint,method,name,scope", CROSS, ids=[f"{e}-{m}-{n}-{s}" for e, m, n, s in CROSS])
def test_objects_of_another_scope_are_refused(world, endpoint, method, name, scope):
    """The URL names A (its process, event, or link) and one object of B, or of A's other table
    (in the URL, or in the form where FORM_OBJECTS says the form names it)."""
    actor = sorted(_allowed(_expectation(endpoint, method)))[0]  # admin for staff routes: only the scope protects
    side = world.b if scope == "B" else world.a.other_table
    foreign = _value(world, endpoint, name, actor, side) if name in URL_VALUES.get(endpoint, {}) else getattr(
        side, name, None)
    if foreign is None:
        pytest.skip(f"no {name} at the {scope}")
    mixed = SimpleNamespace(**{**vars(world.a), name: foreign})  # the form names the foreign object too
    url = _url(world, endpoint, actor, **({name: foreign} if name in _names(endpoint) else {}))
    problems = []
    response, changed = _ask_and_undo(world, actor, method, url, _data_for(endpoint, method, mixed))
    if changed:
        problems.append(f"and it changed {', '.join(changed)}")
    if response.status_code not in REFUSED:
        problems.insert(0, _describe(actor, method, url, response))
        # A POST may also refuse as its form's mistakes do (back to the page, or 400) as long as it
        # changed nothing, and the same POST on A's own object shows that it would have.
        if method == "POST" and response.status_code in REDIRECTS | {400, 409, 422} and not changed:
            own_url = _url(world, endpoint, actor)
            _, own_changed = _ask_and_undo(world, actor, method, own_url, _data_for(endpoint, method, world.a))
            if own_changed:
                problems = []
            else:
                problems.append(f"and changed nothing, but neither did {own_url} with A's own {name}: declare a "
                                "form in tests/access_expectations.py FORMS that changes something")
    assert not problems, f"{endpoint} with {name} of {scope}: " + "; ".join(problems)


def _ask_and_undo(world, actor, method, url, data):
    """The answer, and which tables a POST changed (undone again)."""
    with world.app.app_context():
        before = fingerprint() if method == "POST" else None
    # Asked as a script would: routes that answer a plain form's mistake with a redirect say 404 then.
    response = _ask(world, actor, method, url, data, Accept="application/json")
    changed = []
    if method == "POST":
        with world.app.app_context():
            changed = _changed(before, fingerprint())
            if changed:
                restore(world.rows)
    return response, changed


CLOSED = [(endpoint, method) for endpoint, method in CASES
          if _expectation(endpoint, method) in (PUBLIC, PARTICIPANT, RETURN_LINK, HOST, ACTOR_LINK)
          and {"code", "token"} & _names(endpoint) and (method == "POST" or _expectation(endpoint, method) == HOST)
          and endpoint not in WRITES_AFTER_CLOSING]


@pytest.mark.parametrize("endpoint,method", CLOSED, ids=[f"{e}-{m}" for e, m in CLOSED])
def test_a_closed_event_takes_no_writes_from_phones_and_links(world, endpoint, method):
    """Closed by its organiser: host links answer 410, and phones only read."""
    # A new phone on public pages (one there already may still change its languages).
    actor = {HOST: "host_a", PUBLIC: "anonymous", ACTOR_LINK: "actor_a"}.get(_expectation(endpoint, method),
                                                                              "participant_a")
    with world.app.app_context():
        events.close_event(db.session.get(Event, world.a.event_id))
        db.session.commit()
    try:
        url = _url(world, endpoint, actor)
        response, changed = _ask_and_undo(world, actor, method, url, _data_for(endpoint, method, world.a))
    finally:
        with world.app.app_context():
            restore(world.rows)
    problems = [f"changed {', '.join(changed)}"] if changed else []
    if response.status_code >= 500 or (
            _expectation(endpoint, method) == HOST and response.status_code not in REFUSED | {410}):
        problems.append(_describe(actor, method, url, response))
    assert not problems, f"{endpoint} {method} in a closed event: " + "; ".join(problems)
