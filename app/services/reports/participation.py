"""The participation report of an event or a process: participants, ideas and dots by language,
table, round, action field, event and format, over time, and the self-described groups.

Counted (app/services/reports/participation_data.py): people who took part, visible ideas (not
hidden, not merged into another), and dots where they are now. In each row, "participants" are the
people in that category (by the language they write in; seated at that table or in that round at
least once), "ideas" the ideas of that category, and "dots" the dots those ideas got. Self-described
groups come suppressed from participation_groups, for the process and its events alike.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.labels import AGE_BAND_LABELS, EVENT_FORMAT_LABELS, GENDER_LABELS, MIGRATION_LABELS
from app.languages import name_of
from app.models import ActionField, Event, Process
from app.models.base import utcnow
from app.services.reports import participation_data
from app.services.reports.participation_groups import LANGUAGES_KEY, PROCESS, SelfDescribed, self_described
from app.services.reports.participation_time import TimeSeries, over_time

NONE = ""  # the key of the row for ideas or people without a table, round or action field

DIMENSION_TITLES = {
    "event": _l("Nach Veranstaltung"),
    "format": _l("Nach Format"),
    "language": _l("Nach Sprache"),
    "table": _l("Nach Tisch"),
    "round": _l("Nach Runde"),
    "action_field": _l("Nach Handlungsfeld"),
}
GROUP_TITLES = {
    "gender": _l("Geschlecht"),
    "age_band": _l("Altersgruppe"),
    "migration_experience": _l("Migrationserfahrung"),
    LANGUAGES_KEY: _l("Gesprochene Sprachen"),
}
GROUP_LABELS = {"gender": GENDER_LABELS, "age_band": AGE_BAND_LABELS, "migration_experience": MIGRATION_LABELS}


@dataclass
class Row:
    key: str
    label: object  # a (lazy) string in the report's language
    participants: int | None = 0  # None: not counted in this dimension (action fields)
    ideas: int = 0
    dots: int = 0
    language: str | None = None  # the language the label is written in, where it is a name of its own


@dataclass
class Dimension:
    key: str
    title: object
    rows: list[Row]
    note: object = ""

    @property
    def counts_people(self) -> bool:
        return any(row.participants is not None for row in self.rows)


@dataclass
class GroupRow:
    key: str
    label: object
    people: int | None  # None: hidden
    language: str | None = None


@dataclass
class GroupTable:
    key: str
    title: object
    rows: list[GroupRow]
    multiple: bool  # people may be in several rows (languages)


@dataclass
class Report:
    process: Process
    event: Event | None  # None: the report of the whole process
    participants: int
    ideas: int
    dots: int
    dimensions: list[Dimension]
    time: TimeSeries
    described: int | None  # people who described themselves; None: hidden
    groups: list[GroupTable]
    anything_hidden: bool
    generated_at: datetime = field(default_factory=utcnow)

    @property
    def title(self) -> str:
        return self.event.title if self.event is not None else self.process.title


def event_report(event: Event, language: str) -> Report:
    """The report of one event, its action fields named in `language`."""
    return _report(event.process, event, [event], language)


def process_report(process: Process, language: str) -> Report:
    """The report of a process and all its events."""
    return _report(process, None, list(process.events), language)


def _report(process: Process, event: Event | None, events: list[Event], language: str) -> Report:
    data = participation_data.load(events)
    fields = list(db.session.scalars(db.select(ActionField).filter_by(process_id=process.id)
                                     .order_by(ActionField.position, ActionField.id)))
    across = "" if event is not None else _l(
        "Tische und Runden mit derselben Nummer sind über alle Veranstaltungen zusammengezählt.")
    dimensions = ([] if event is not None else [_by_event(data), _by_format(data)])
    dimensions += [_by_language(data), _by_number(data, "table", across), _by_number(data, "round", across),
                   _by_field(data, fields, language)]
    groups = self_described(process)
    unit = PROCESS if event is None else event.id
    return Report(process, event, len(data.people), len(data.ideas), len(data.dots), dimensions,
                  over_time(data, event), groups.total(unit), _group_tables(groups, unit),
                  groups.anything_hidden(unit))


def _row(key: str, label, people: set | None, ideas: list) -> Row:
    return Row(key, label, None if people is None else len(people), len(ideas), sum(idea.dots for idea in ideas))


def _grouped(data, person_key, idea_key) -> tuple[dict, dict]:
    people, ideas = defaultdict(set), defaultdict(list)
    for person in data.people:
        people[person_key(person)].add(person.id)
    for idea in data.ideas:
        ideas[idea_key(idea)].append(idea)
    return people, ideas


def _by_event(data) -> Dimension:
    people, ideas = _grouped(data, lambda p: p.event_id, lambda i: i.event_id)
    rows = [_row(str(event.id), event.title, people[event.id], ideas[event.id]) for event in data.events]
    for row, event in zip(rows, data.events):
        row.language = event.default_language
    return Dimension("event", DIMENSION_TITLES["event"], rows)


def _by_format(data) -> Dimension:
    formats = {event.id: event.format for event in data.events}
    people, ideas = _grouped(data, lambda p: formats[p.event_id], lambda i: formats[i.event_id])
    rows = [_row(key, label, people[key], ideas[key]) for key, label in EVENT_FORMAT_LABELS.items()
            if key in formats.values()]
    return Dimension("format", DIMENSION_TITLES["format"], rows)


def _by_language(data) -> Dimension:
    people, ideas = _grouped(data, lambda p: p.language, lambda i: i.language)
    codes = sorted(set(people) | set(ideas), key=lambda code: (-len(people[code]), -len(ideas[code]), code))
    rows = [_row(code, name_of(code), people[code], ideas[code]) for code in codes]
    for row in rows:
        row.language = row.key
    return Dimension("language", DIMENSION_TITLES["language"], rows,
                     _l("Teilnehmende nach der Sprache, in der sie schreiben; Ideen nach ihrer Sprache."))


def _by_number(data, kind: str, note) -> Dimension:
    """By table or by round number: the people seated there at least once, and its ideas."""
    people, ideas = defaultdict(set), defaultdict(list)
    seated = set()
    for sitting in data.sittings:
        people[getattr(sitting, kind)].add(sitting.participant_id)
        seated.add(sitting.participant_id)
    for idea in data.ideas:
        ideas[getattr(idea, kind)].append(idea)
    defined = {thing.number for event in data.events for thing in (event.tables if kind == "table" else event.rounds)}
    numbers = sorted((defined | set(people) | set(ideas)) - {None})
    rows = [_row(str(number), _l("Tisch %(number)d", number=number) if kind == "table"
                 else _l("Runde %(number)d", number=number), people[number], ideas[number]) for number in numbers]
    unseated = {person.id for person in data.people} - seated
    if unseated or ideas[None]:
        rows.append(_row(NONE, _l("Ohne Tisch (z. B. online)") if kind == "table" else _l("Ohne Runde"),
                         unseated, ideas[None]))
    return Dimension(kind, DIMENSION_TITLES[kind], rows, note)


def _by_field(data, fields: list[ActionField], language: str) -> Dimension:
    ideas = defaultdict(list)
    for idea in data.ideas:
        ideas[idea.action_field_id].append(idea)
    rows = [_row(str(f.id), f.name_in(language), None, ideas[f.id]) for f in fields]
    if ideas[None]:
        rows.append(_row(NONE, _l("Noch keinem Handlungsfeld zugeordnet"), None, ideas[None]))
    return Dimension("action_field", DIMENSION_TITLES["action_field"], rows)


def _group_tables(groups: SelfDescribed, unit) -> list[GroupTable]:
    tables = []
    for dimension in groups.dimensions:
        labels = GROUP_LABELS.get(dimension.key, {})
        rows = [GroupRow(category, labels.get(category) or name_of(category),
                         groups.figure(unit, dimension.key, category),
                         category if dimension.key == LANGUAGES_KEY else None)
                for category in dimension.categories]
        tables.append(GroupTable(dimension.key, GROUP_TITLES[dimension.key], rows, dimension.multiple))
    return tables

