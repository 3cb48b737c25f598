"""A Hypothesis fuzz of every form and every page over the URL map, on each database backend.

Each rule of `app.url_map` is called with its path parts filled from the demo (or out of range),
its query string and form fields (read from the forms the demo's pages show) filled with hostile
values: NUL and other control characters, lone surrogates, huge and negative numbers, markup.
Never a 500; and markup typed into any field never comes back unescaped on any page.
"""
import os
import time
import uuid
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, UUIDConverter

from app import create_app
from app.extensions import db
from app.models import Contribution, GoalNode, Indicator, Participant
from app.services.administration import users
from app.services.administration.demo import seed_demo
from tests.conftest import PASSWORD, _empty_tables, config_for

SCRIPT = "<script>alert(1)</script>"
HUGE = ["99999999999999999999", str(2**31), str(2**63), "-" + str(2**63), "1e309", "0x10"]
NASTY = ["\x00", "a\x00b", "\x01\x1f", "\ud800", "\udfff x", "%00", "\t", "\r\n", "'", '"', "\\",
         "//evil.test", "/\t/evil.test", "javascript:alert(1)", "=1+1", "@SUM(A1)", "ä" * 600]
SKIP = {"static", "auth.logout", "participate.leave"}  # files; logging out and leaving end the run


class _Forms(HTMLParser):
    """Each POST form's action and the names (and values) of its fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif tag in ("input", "textarea", "select", "button") and self._current and attrs.get("name"):
            self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _values(demo_ids, rule):
    """Demo values for the rule's path parts; None where the demo has none (a random one is used)."""
    prefix = rule.rule.split("/")[1]
    token = {"h": demo_ids.host, "p": demo_ids.projector, "r": demo_ids.participant}.get(prefix)
    return {"process_id": demo_ids.process, "event_id": demo_ids.event, "code": demo_ids.code,
            "token": token, "round_id": demo_ids.round, "table_id": demo_ids.table,
            "table_number": 1, "idea_uuid": demo_ids.idea, "node_uuid": demo_ids.node,
            "indicator_uuid": demo_ids.indicator, "field_id": demo_ids.field,
            "language": "en", "target": "en", "key": "x"}


@pytest.fixture(scope="module")
def demo(database_url, tmp_path_factory):
    """The demo on this backend, a phone seated in it, the staff logged in, and the forms they see."""
    credentials = tmp_path_factory.mktemp("fuzz") / "demo-credentials.txt"
    app = create_app(config_for(database_url, DEMO_CREDENTIALS_FILE=str(credentials)))
    with app.app_context():
        result = seed_demo(str(credentials))
        event = result.event
        idea = db.session.scalar(db.select(Contribution).filter_by(event_id=event.id).order_by(Contribution.id))
        node = db.session.scalar(db.select(GoalNode).filter_by(process_id=result.process.id).order_by(GoalNode.id))
        indicator = db.session.scalar(db.select(Indicator).order_by(Indicator.id))
        participant = db.session.get(Participant, idea.participant_id)
        ids = SimpleNamespace(
            process=result.process.id, event=event.id, code=event.code, projector=event.projector_token,
            host=idea.table.host_token, participant=participant.token, round=event.rounds[0].id,
            table=idea.table_id, idea=idea.uuid, node=node.uuid, indicator=indicator.uuid if indicator else None,
            field=result.process.action_fields[0].id,
        )
        users.create_user("admin@fuzz.example", PASSWORD, is_admin=True)
        db.session.commit()
    staff, phone = app.test_client(), app.test_client()
    assert staff.post("/auth/login", data={"email": "admin@fuzz.example", "password": PASSWORD}).status_code == 302
    assert phone.get(f"/r/{ids.participant}").status_code == 200
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]
    adapter = app.url_map.bind("cafe.test")
    fields: dict[str, dict] = {}  # endpoint -> field name -> a value the page offered
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        path = _path(rule, _values(ids, rule), random_parts=False)
        for client in (staff, phone):
            page = client.get(path)
            if page.status_code != 200 or "html" not in page.content_type:
                continue
            parser = _Forms()
            parser.feed(page.get_data(as_text=True))
            for form in parser.forms:
                try:
                    endpoint, _args = adapter.match(form["action"].split("?")[0] or path, method="POST")
                except Exception:  # a form to another site or a rule this fuzz skips
                    continue
                fields.setdefault(endpoint, {}).update(form["fields"])
    yield SimpleNamespace(app=app, ids=ids, staff=staff, phone=phone, rules=rules, fields=fields)
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _path(rule, values, random_parts=True, draw=None):
    parts = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        value = values.get(name)
        if isinstance(converter, AnyConverter):
            value = sorted(converter.items)[0] if not draw else draw(st.sampled_from(sorted(converter.items)))
        elif isinstance(converter, UUIDConverter):
            value = value or uuid.uuid4()
        elif isinstance(converter, IntegerConverter):
            value = value or 1
        else:
            value = value or "x"
        parts[name] = value
    path = rule.build(parts, append_unknown=False)[1]
    if draw and random_parts and rule.arguments and draw(st.booleans()):
        # Replace one path part by something out of range (bounded by the converter: else 404).
        name = draw(st.sampled_from(sorted(rule.arguments)))
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            wild = draw(st.sampled_from(HUGE[:3] + ["0", "2147483647"]))
        else:
            wild = draw(st.sampled_from(["%00", "a%00b", "%0A", "%09x", "%C3%A4", "%ED%A0%80", SCRIPT]))
        path = path.replace(str(parts[name]), wild, 1)
    return path


text_values = st.one_of(st.sampled_from(NASTY + HUGE + [SCRIPT, "", "1", "-1", "0"]),
                        st.text(max_size=40), st.integers().map(str))


@st.composite
def requests_(draw, demo):
    rule = draw(st.sampled_from(demo.rules))
    method = "POST" if "POST" in rule.methods and ("GET" not in rule.methods or draw(st.booleans())) else "GET"
    path = _path(rule, _values(demo.ids, rule), draw=draw)
    offered = demo.fields.get(rule.endpoint, {})
    names = sorted(offered) + ["next", "round", "q", "page", "lang"]
    chosen = draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    data = {name: offered.get(name, "") for name in offered}
    data.update({name: draw(text_values) for name in chosen})
    client = draw(st.sampled_from([demo.staff, demo.phone]))
    json_wanted = draw(st.booleans())
    return SimpleNamespace(rule=rule, method=method, path=path, data=data, client=client, json=json_wanted)


def _encoded(data: dict) -> str:
    """A query string or form body as a browser (or an attacker) may send it: lone surrogates as
    the bytes a lax encoder makes of them."""
    return urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in data.items()})


def _send(demo, request):
    headers = {"Accept": "application/json"} if request.json else {}
    if request.method == "GET":
        return request.client.get(request.path, query_string=_encoded(request.data), headers=headers)
    return request.client.post(request.path, data=_encoded(request.data), headers=headers,
                               content_type="application/x-www-form-urlencoded")


# Per backend; both together stay well under three minutes on a shared CI machine.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 1000))
BUDGET_SECONDS = 60


def test_no_request_gives_a_500_and_markup_comes_back_escaped(demo):
    stop_at = time.monotonic() + BUDGET_SECONDS

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        request = data.draw(requests_(demo))
        if time.monotonic() > stop_at:
            return  # over budget on a slow machine: the examples left only draw
        response = _send(demo, request)
        assert response.status_code < 500, (request.method, request.path, request.data)

    # Every form once with markup in each field it leaves free (the fuzz's random values
    # rarely pass all of a form's checks at once), so the pages below have markup to show.
    for endpoint, offered in demo.fields.items():
        rule = next((r for r in demo.rules if r.endpoint == endpoint and "POST" in r.methods), None)
        if rule is None or endpoint in ("auth.login", "participate.join", "participate.join_table"):
            continue
        data = {name: value or SCRIPT for name, value in offered.items()}
        for client in (demo.staff, demo.phone):
            request = SimpleNamespace(method="POST", path=_path(rule, _values(demo.ids, rule), random_parts=False),
                                      data=data, client=client, json=False)
            assert _send(demo, request).status_code < 500, (endpoint, data)

    run()
    # Everything the fuzz managed to store is shown escaped on every page that shows it.
    escaped = False
    for rule in demo.rules:
        if "GET" not in rule.methods or rule.arguments - set(_values(demo.ids, rule)):
            continue
        path = _path(rule, _values(demo.ids, rule), random_parts=False)
        for client in (demo.staff, demo.phone):
            page = client.get(path)
            assert page.status_code < 500, path
            if "html" in page.content_type:
                text = page.get_data(as_text=True)
                assert SCRIPT not in text, path
                escaped = escaped or "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert escaped  # some of it was stored and shown, so the check above saw it
