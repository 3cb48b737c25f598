"""Reading a process template (docs/template-format.md): every field checked, before anything is built.

`read_template` turns the JSON document into plain plans or raises a DomainError that names the
first wrong place ("events[1].rounds[0].question"), so a town sees what to fix in its file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.languages import BY_CODE
from app.safety import clean_text
from app.models.event import EVENT_FORMATS
from app.models.goaltree import KINDS
from app.services.administration import privacy, processes
from app.services.cafe import events as event_service
from app.services.cafe.voting import MAX_DOTS
from app.services.errors import DomainError
from app.services.goals import goaltree

FORMAT = "weltcafe-process-template"
VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 50
MAX_NODES = 2000
MAX_INDICATORS = 50
MAX_FIELDS = 50
MAX_NOTE_LENGTH = 2000
MAX_TOPIC_LENGTH = 300

NOT_JSON = _l("Diese Datei ist keine JSON-Datei. Eine Prozessvorlage ist eine .json-Datei, wie sie "
              "„Vorlage herunterladen (JSON)“ auf der Seite „Weitergeben“ schreibt.")
NOT_A_TEMPLATE = _l("Diese Datei ist keine Prozessvorlage, die diese Anwendung lesen kann.")
TOO_LARGE = _l("Diese Datei ist zu groß für eine Prozessvorlage (höchstens %(mb)d MB).", mb=MAX_BYTES // 2**20)


def newer_version(found: int):
    return _l("Diese Vorlage hat das Format %(found)d; diese Installation liest nur bis Format %(known)d. "
              "Bitte aktualisieren Sie die Anwendung, bevor Sie die Vorlage importieren.",
              found=found, known=VERSION)


def invalid_at(where: str):
    # The place may hold the file's own keys: cleaned and cut, as any text from outside.
    return _l("Die Vorlage ist an dieser Stelle fehlerhaft: %(where)s. Es wurde nichts angelegt.",
              where=clean_text(where)[:200])


class _Invalid(Exception):
    def __init__(self, where: str):
        self.where = where


@dataclass
class EventPlan:
    title: str
    format: str
    day: int | None
    default_language: str
    languages: list[str]
    action_field: str | None
    rotation_enabled: bool
    vote_dots: int
    vote_max_per_idea: int
    online_phase: tuple[int, int] | None
    online_premoderated: bool
    capacity: int | None
    registration_note: dict
    tables: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)


@dataclass
class NodePlan:
    kind: str
    title: dict
    description: dict
    action_field: str | None
    indicators: list[dict]
    children: list[NodePlan]


@dataclass
class TemplatePlan:
    title: str
    description: str
    default_language: str
    retention_days: int
    action_fields: list[dict]
    events: list[EventPlan]
    goal_tree: NodePlan | None
    nodes: int = 0


class _Reader:
    """Each method reads one kind of value at a path, or raises _Invalid(path)."""

    def __init__(self):
        self.nodes = 0

    @staticmethod
    def need(condition, where: str) -> None:
        if not condition:
            raise _Invalid(where)

    def obj(self, value, where: str) -> dict:
        self.need(isinstance(value, dict), where)
        return value

    def items(self, value, where: str, limit: int) -> list:
        self.need(isinstance(value, list) and len(value) <= limit, where)
        return value

    def text(self, value, where: str, limit: int, *, required: bool = False) -> str:
        self.need(isinstance(value, str) and len(value) <= limit, where)
        value = clean_text(value)  # as every form's text: no NUL, lone surrogates or control characters
        text = " ".join(value.split()) if "\n" not in value else value.strip()
        self.need(text or not required, where)
        return text

    def integer(self, value, where: str, low: int, high: int, *, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        self.need(isinstance(value, int) and not isinstance(value, bool) and low <= value <= high, where)
        return value

    def flag(self, value, where: str) -> bool:
        self.need(isinstance(value, bool), where)
        return value

    def language(self, value, where: str) -> str:
        self.need(isinstance(value, str) and value in BY_CODE, where)
        return value

    def interface_language(self, value, where: str) -> str:
        """A language the staff pages and exports can speak (a process's default)."""
        self.need(isinstance(value, str) and value in BY_CODE and BY_CODE[value].interface, where)
        return value

    def texts(self, value, where: str, limit: int, *, required: bool = False) -> dict:
        """{language code: text}; empty texts are left out."""
        found = {}
        for code, text in self.obj(value if value is not None else {}, where).items():
            self.language(code, f"{where}.{code}")
            cleaned = self.text(text, f"{where}.{code}", limit)
            if cleaned:
                found[code] = cleaned
        self.need(found or not required, where)
        return found

    def action_field(self, value, where: str) -> dict:
        data = self.obj(value, where)
        keywords = self.items(data.get("keywords", []), f"{where}.keywords", processes.MAX_KEYWORDS)
        colour = data.get("colour", "#1d70b8")
        self.need(isinstance(colour, str) and processes.COLOUR.fullmatch(colour), f"{where}.colour")
        return {"key": self.text(data.get("key"), f"{where}.key", 40, required=True),
                "name": self.texts(data.get("name"), f"{where}.name", processes.MAX_FIELD_NAME_LENGTH, required=True),
                "description": self.texts(data.get("description"), f"{where}.description",
                                          processes.MAX_FIELD_DESCRIPTION_LENGTH),
                "keywords": [self.text(k, f"{where}.keywords[{i}]", processes.MAX_KEYWORD_LENGTH, required=True)
                             for i, k in enumerate(keywords)],
                "colour": colour.lower()}

    def numbered(self, value, where: str, limit: int) -> list[dict]:
        rows = [self.obj(row, f"{where}[{i}]") for i, row in enumerate(self.items(value, where, limit))]
        numbers = [self.integer(row.get("number"), f"{where}[{i}].number", 1, 10_000) for i, row in enumerate(rows)]
        self.need(len(set(numbers)) == len(numbers), where)
        return rows

    def event(self, value, where: str, fields: set[str]) -> EventPlan:
        data = self.obj(value, where)
        self.need(data.get("format") in EVENT_FORMATS, f"{where}.format")
        default = self.language(data.get("default_language", "de"), f"{where}.default_language")
        languages = [self.language(code, f"{where}.languages[{i}]")
                     for i, code in enumerate(self.items(data.get("languages", [default]), f"{where}.languages", 40))]
        field_key = data.get("action_field")
        self.need(field_key is None or isinstance(field_key, str) and field_key in fields, f"{where}.action_field")
        dots = self.integer(data.get("vote_dots", 5), f"{where}.vote_dots", 1, MAX_DOTS)
        online = data.get("online_phase")
        if online is not None:
            online = self.obj(online, f"{where}.online_phase")
            online = (self.integer(online.get("from"), f"{where}.online_phase.from", -365, 365),
                      self.integer(online.get("days"), f"{where}.online_phase.days", 1, 366))
        registration = self.obj(data.get("registration", {}), f"{where}.registration")
        tables = self.numbered(data.get("tables", []), f"{where}.tables", event_service.MAX_TABLES)
        rounds = self.numbered(data.get("rounds", []), f"{where}.rounds", event_service.MAX_ROUNDS)
        return EventPlan(
            title=self.text(data.get("title"), f"{where}.title", 200, required=True),
            format=data["format"], day=self.integer(data.get("day"), f"{where}.day", 0, 3650, optional=True),
            default_language=default, languages=list(dict.fromkeys([default, *languages])),
            action_field=field_key, rotation_enabled=self.flag(data.get("rotation_enabled", True),
                                                               f"{where}.rotation_enabled"),
            vote_dots=dots, vote_max_per_idea=self.integer(data.get("vote_max_per_idea", min(3, dots)),
                                                           f"{where}.vote_max_per_idea", 1, dots),
            online_phase=online,
            online_premoderated=self.flag(data.get("online_premoderated", False), f"{where}.online_premoderated"),
            capacity=self.integer(registration.get("capacity"), f"{where}.registration.capacity", 1, 100_000,
                                  optional=True),
            registration_note=self.texts(registration.get("note"), f"{where}.registration.note", MAX_NOTE_LENGTH),
            tables=[{"number": row["number"], "name": self.text(row.get("name", ""), f"{where}.tables[{i}].name", 120),
                     "topic": self.texts(row.get("topic"), f"{where}.tables[{i}].topic", MAX_TOPIC_LENGTH)}
                    for i, row in enumerate(tables)],
            rounds=[{"number": row["number"],
                     "question": self.texts(row.get("question"), f"{where}.rounds[{i}].question",
                                            event_service.MAX_QUESTION_LENGTH),
                     "duration_minutes": self.integer(row.get("duration_minutes", 20),
                                                      f"{where}.rounds[{i}].duration_minutes", 1,
                                                      event_service.MAX_ROUND_MINUTES)}
                    for i, row in enumerate(rounds)],
        )

    def node(self, value, where: str, fields: set[str], depth: int, root: bool) -> NodePlan:
        data = self.obj(value, where)
        self.nodes += 1
        self.need(self.nodes <= MAX_NODES and depth <= goaltree.MAX_DEPTH, where)
        kind = data.get("kind")
        self.need(kind in KINDS and (kind == "leitziel") == root, f"{where}.kind")
        field_key = data.get("action_field")
        self.need(field_key is None or isinstance(field_key, str) and field_key in fields, f"{where}.action_field")
        title = self.texts(data.get("title"), f"{where}.title", goaltree.MAX_TITLE_LENGTH)
        self.need(title or field_key, f"{where}.title")
        indicators = self.items(data.get("indicators", []), f"{where}.indicators", MAX_INDICATORS)
        children = self.items(data.get("children", []), f"{where}.children", MAX_NODES)
        return NodePlan(
            kind=kind, title=title, action_field=field_key,
            description=self.texts(data.get("description"), f"{where}.description", goaltree.MAX_DESCRIPTION_LENGTH),
            indicators=[{"name": self.texts((ind := self.obj(item, f"{where}.indicators[{i}]")).get("name"),
                                            f"{where}.indicators[{i}].name", goaltree.MAX_TITLE_LENGTH, required=True),
                         "unit": self.text(ind.get("unit", ""), f"{where}.indicators[{i}].unit", 40),
                         "data_source": self.text(ind.get("data_source", ""), f"{where}.indicators[{i}].data_source", 300)}
                        for i, item in enumerate(indicators)],
            children=[self.node(child, f"{where}.children[{i}]", fields, depth + 1, False)
                      for i, child in enumerate(children)],
        )


def parse(raw: bytes):
    """The JSON document of an uploaded or given file, or DomainError."""
    if len(raw) > MAX_BYTES:
        raise DomainError(TOO_LARGE)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or a number too long to read
        raise DomainError(NOT_JSON) from None


def read_template(document) -> TemplatePlan:
    """The plan of a template document, all of it checked; DomainError if it cannot be imported."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DomainError(NOT_A_TEMPLATE)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DomainError(NOT_A_TEMPLATE)
    if version > VERSION:
        raise DomainError(newer_version(version))
    reader = _Reader()
    try:
        process = reader.obj(document.get("process"), "process")
        action_fields = [reader.action_field(f, f"action_fields[{i}]") for i, f in
                         enumerate(reader.items(document.get("action_fields", []), "action_fields", MAX_FIELDS))]
        keys = [f["key"] for f in action_fields]
        reader.need(len(set(keys)) == len(keys), "action_fields")
        events = [reader.event(e, f"events[{i}]", set(keys))
                  for i, e in enumerate(reader.items(document.get("events", []), "events", MAX_EVENTS))]
        tree = document.get("goal_tree")
        plan = TemplatePlan(
            title=reader.text(process.get("title"), "process.title", 200, required=True),
            description=reader.text(process.get("description", ""), "process.description", 5000),
            default_language=reader.interface_language(process.get("default_language", "de"),
                                                       "process.default_language"),
            retention_days=reader.integer(process.get("retention_days", 365), "process.retention_days",
                                          privacy.MIN_RETENTION_DAYS, privacy.MAX_RETENTION_DAYS),
            action_fields=action_fields, events=events,
            goal_tree=None if tree is None else reader.node(tree, "goal_tree", set(keys), 1, True))
    except _Invalid as error:
        raise DomainError(invalid_at(error.where)) from None
    except RecursionError:
        raise DomainError(invalid_at("goal_tree")) from None
    plan.nodes = reader.nodes
    return plan
