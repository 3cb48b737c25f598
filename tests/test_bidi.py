"""Right to left and language marking: on Arabic, Persian and Pashto pages, every piece of text that users or staff
wrote sits in an element that isolates its direction and names its language (WCAG 1.3.2, 3.1.2);
in the spreadsheets, every text cell reads in the direction of its own text.

The demo is seeded once per module; every page of the participants', hosts' and staff journeys is
fetched in Arabic, and each user-content string from the database that occurs in a text node must
have, between it and <html>, an isolating element (a <bdi>, any element with `dir`, or a form
control's own text) and an element with `lang` (`lang=""` where the language is not known, as in
labels the model made from several ideas' words).
"""
import io
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import openpyxl
import pytest

from app import create_app
from app.exports.common import direction
from app.extensions import db
from app.models import (ActionField, CafeTable, Cluster, ClusterCandidate, Contribution, ContributionTranslation,
                        Event, GoalNode, Indicator, Participant, Process, Round, Snapshot)
from app.services.administration.demo import DEMO_EMAIL, seed_demo
from tests.conftest import _empty_tables, config_for

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
# Form controls draw their text as a paragraph of its own.
CONTROLS = {"input", "textarea", "option"}
# Text the check does not look at: the document head (<title> takes no markup) and scripts.
SKIPPED = {"head", "script", "style"}
# Enough of a string to find it again when a page shortens it ("…").
PREFIX = 40
# Nicknames as phones type them: right to left, and left to right with digits and punctuation.
NICKNAMES = ["سمير ٢", "Oma Gerda (Herdecke)"]


class TextNodes(HTMLParser):
    """Every text node of a page outside <head> and scripts, with the elements it sits in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.nodes: list[tuple[str, list[tuple[str, dict]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if data.strip() and not any(tag in SKIPPED for tag, _attrs in self.stack):
            self.nodes.append((data, list(self.stack)))


def unmarked(page: str, strings: list[str]) -> list[str]:
    """Each string found in a text node with no isolating element or no `lang` below <html>."""
    parser = TextNodes()
    parser.feed(page)
    found = []
    for data, ancestors in parser.nodes:
        inner = [(tag, attrs) for tag, attrs in ancestors if tag != "html"]
        isolated = any(tag == "bdi" or tag in CONTROLS or "dir" in attrs for tag, attrs in inner)
        named = any("lang" in attrs for _tag, attrs in inner)  # lang="": known to be unknown
        if isolated and named:
            continue
        text = " ".join(data.split())
        found.extend(f"{string!r} in {text[:120]!r}" for string in strings if string[:PREFIX] in text)
    return found


def user_strings() -> list[str]:
    """Every text a user or staff member wrote: titles, names, questions, ideas, nicknames, …"""
    strings: set[str] = set()

    def add(*values):
        for value in values:
            if isinstance(value, dict):
                add(*value.values())
            elif isinstance(value, (list, tuple)):
                add(*value)
            elif isinstance(value, str):
                strings.add(" ".join(value.split()))

    for process in db.session.scalars(db.select(Process)):
        add(process.title, process.description)
    for event in db.session.scalars(db.select(Event)):
        add(event.title, event.venue)
    for round_ in db.session.scalars(db.select(Round)):
        add(round_.question)
    for table in db.session.scalars(db.select(CafeTable)):
        add(table.name, table.topic)
    for idea in db.session.scalars(db.select(Contribution)):
        add(idea.text)
    for translation in db.session.scalars(db.select(ContributionTranslation)):
        add(translation.text)
    for field in db.session.scalars(db.select(ActionField)):
        add(field.name, field.description)
    for node in db.session.scalars(db.select(GoalNode)):
        add(node.title, node.description, node.responsible, [quote.get("text") for quote in node.quotes or []])
    for indicator in db.session.scalars(db.select(Indicator)):
        add(indicator.name, indicator.unit, indicator.data_source)
    for column in (Snapshot.name, Cluster.name, ClusterCandidate.label, Participant.nickname):
        add(list(db.session.scalars(db.select(column))))
    # Too short to find without false alarms ("%"), or no words at all.
    return sorted(s for s in strings if len(s) >= 4 and re.search(r"[^\W\d_]", s))


@pytest.fixture(scope="module")
def demo(database_url, tmp_path_factory):
    """The demo with nicknames and an open vote, its user texts, and what the pages need."""
    credentials = tmp_path_factory.mktemp("bidi") / "demo-credentials.txt"
    app = create_app(config_for(database_url, DEMO_CREDENTIALS_FILE=str(credentials)))
    with app.app_context():
        result = seed_demo(str(credentials))
        event, process = result.event, result.process
        event.vote_state = "open"
        arabic = db.session.scalar(db.select(Contribution).filter_by(event_id=event.id, language="ar")
                                   .order_by(Contribution.id))
        german = db.session.scalar(db.select(Contribution).filter_by(event_id=event.id, language="de")
                                   .where(Contribution.table_id == arabic.table_id).order_by(Contribution.id))
        arabic.participant.nickname, german.participant.nickname = NICKNAMES
        db.session.commit()
        nodes = db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id).order_by(GoalNode.id)).all()
        node = next(n for n in nodes if n.indicators and len(n.responsible) > 1)
        field_node = next(n for n in nodes if n.kind == "handlungsfeld")
        linked = next(n for n in nodes if n.idea_links)
        snapshot = db.session.scalar(db.select(Snapshot).filter_by(process_id=process.id))
        table = arabic.table
        ids = SimpleNamespace(
            process=process.id, event=event.id, code=event.code, projector=event.projector_token,
            host=table.host_token, participant=arabic.participant.token, round=event.rounds[0].id,
            field=process.action_fields[0].id, node=node.uuid, field_node=field_node.uuid, linked=linked.uuid,
            indicator=node.indicators[0].uuid, snapshot=snapshot.uuid, password=result.password,
        )
        strings = user_strings()
    yield SimpleNamespace(app=app, ids=ids, strings=strings)
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


PAGES = {
    # Participants and hosts
    "join": "/j/{code}",
    "table": "/e/{code}",
    "my ideas": "/r/{participant}",
    "vote": "/e/{code}/vote",
    "host": "/h/{host}",
    "projector": "/p/{projector}",
    # Organisers, moderators, the steering group
    "organiser index": "/organise/",
    "process": "/organise/processes/{process}",
    "action field": "/organise/processes/{process}/fields/{field}/edit",
    "event": "/organise/events/{event}",
    "event form": "/organise/events/{event}/edit",
    "round form": "/organise/events/{event}/rounds/{round}/edit",
    "posters": "/organise/events/{event}/posters",
    "console": "/moderate/events/{event}",
    "rotation": "/moderate/events/{event}/rotation",
    "ideas": "/moderate/events/{event}/ideas",
    "board": "/organise/processes/{process}/board",
    "goal tree": "/organise/processes/{process}/goal-tree",
    "node": "/organise/processes/{process}/goal-tree/nodes/{node}",
    "field node": "/organise/processes/{process}/goal-tree/nodes/{field_node}",
    "node with ideas": "/organise/processes/{process}/goal-tree/nodes/{linked}",
    "move node": "/organise/processes/{process}/goal-tree/nodes/{node}/move",
    "delete node": "/organise/processes/{process}/goal-tree/nodes/{node}/delete",
    "indicator": "/organise/processes/{process}/goal-tree/indicators/{indicator}",
    "snapshots": "/organise/processes/{process}/goal-tree/snapshots",
    "snapshot": "/organise/processes/{process}/goal-tree/snapshots/{snapshot}",
    "comparison": "/organise/processes/{process}/goal-tree/compare?old={snapshot}&new=today",
}
PARTICIPANT_PAGES = {"join", "table", "my ideas", "vote"}
ANONYMOUS_PAGES = {"host", "projector"}


@pytest.fixture(scope="module", params=["ar", "fa", "ps"])
def clients(demo, request):
    """A phone (back in through its return link, confirmed), a browser without login, and a staff browser; all in
    one right-to-left language: Arabic, Persian, Pashto."""
    phone, anonymous, staff = (demo.app.test_client() for _ in range(3))
    for client in (phone, anonymous, staff):
        client.set_cookie("lang", request.param)
    assert phone.get(f"/r/{demo.ids.participant}").status_code == 200
    assert phone.post(f"/r/{demo.ids.participant}/take").status_code == 303
    response = staff.post("/auth/login", data={"email": DEMO_EMAIL, "password": demo.ids.password})
    assert response.status_code == 302
    return {"phone": phone, "anonymous": anonymous, "staff": staff, "language": request.param}


@pytest.mark.parametrize("name", PAGES)
def test_user_texts_are_isolated_and_marked_with_their_language(demo, clients, name):
    who = "phone" if name in PARTICIPANT_PAGES else "anonymous" if name in ANONYMOUS_PAGES else "staff"
    response = clients[who].get(PAGES[name].format(**vars(demo.ids)))
    assert response.status_code == 200, response.status
    page = response.get_data(as_text=True)
    assert f'<html lang="{clients["language"]}" dir="rtl">' in page
    problems = unmarked(page, demo.strings)
    assert not problems, f"{len(problems)} unmarked on the {name} page:\n" + "\n".join(problems)


def test_the_check_finds_unmarked_and_accepts_marked_text():
    strings = ["Jobcenter", "Agentur für Arbeit"]
    assert unmarked('<html lang="ar" dir="rtl"><body><p>Jobcenter, Agentur für Arbeit</p></body></html>', strings)
    assert unmarked('<html lang="ar"><body><bdi>Jobcenter</bdi></body></html>', strings)  # no lang below <html>
    assert not unmarked('<html lang="ar" dir="rtl"><body><p>المسؤول: <bdi lang="de" dir="ltr">Jobcenter</bdi>، '
                        '<bdi lang="de" dir="ltr">Agentur für Arbeit</bdi></p></body></html>', strings)
    assert not unmarked('<html><body><select lang="de"><option>Jobcenter<option>x</select></body></html>', strings)


@pytest.mark.parametrize("language", ["ar", "fa", "de"])
@pytest.mark.parametrize("export", ["results", "goal tree"])
def test_spreadsheet_cells_read_in_the_direction_of_their_text(demo, clients, export, language):
    url = {"results": "/organise/events/{event}/results?format=xlsx&lang={language}",
           "goal tree": "/organise/processes/{process}/goal-tree/export?format=xlsx&lang={language}"}[export]
    response = clients["staff"].get(url.format(language=language, **vars(demo.ids)))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    seen = set()
    for sheet in workbook.worksheets:
        assert sheet.sheet_view.rightToLeft == (language != "de")
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    wanted = 2 if direction(cell.value) == "rtl" else 1
                    assert cell.alignment.readingOrder == wanted, (sheet.title, cell.coordinate, cell.value)
                    seen.add(wanted)
    assert seen == {1, 2}  # both kinds were there to check: German and Arabic texts in one sheet


def test_a_notice_isolates_the_name_it_quotes_and_escapes_it(demo):
    from flask_babel import force_locale, gettext
    from markupsafe import Markup

    from app.bidi import isolated

    with demo.app.test_request_context(), force_locale("ar"):
        notice = Markup(gettext("Der Cluster „%(name)s“ ist angelegt.", name=isolated("<b>Café</b> 2030?", "de")))
    assert '<bdi lang="de" dir="ltr">&lt;b&gt;Café&lt;/b&gt; 2030?</bdi>' in notice
    assert not unmarked(f'<html lang="ar" dir="rtl"><body><div class="notice">{notice}</div></body></html>',
                        ["Café</b> 2030?"])
