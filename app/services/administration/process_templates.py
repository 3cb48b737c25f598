"""Process templates: a process's set-up as one JSON file another town imports as a new process.

A template holds what a town designs once and others reuse: the process's texts, its action fields
(names, keywords, colours), its events with their formats, tables, rounds and questions in every
language, the registration settings and notes, and, if wanted, the goal tree's skeleton (nodes and
indicator names, without values, responsibilities or dates). It never holds participants, ideas,
votes, names, links or tokens. The format is documented in docs/template-format.md; the consent
texts are carried for reading only (an installation always asks with its own, current texts).

Import checks the whole file first (`read_template`) and only then builds, in the caller's
transaction: a broken file or one of a newer version changes nothing.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.languages import BY_CODE
from app.models import ActionField, CafeTable, Event, GoalNode, Indicator, Process, Round
from app.services.administration import processes
from app.services.administration.template_format import (FORMAT, VERSION, EventPlan, NodePlan, TemplatePlan,
                                                         read_template)
from app.services.cafe import events as event_service
from app.services.cafe import registration
from app.services.errors import DomainError
from app.services.reports.progress import load_tree
from app.tokens import new_token

BAD_DAY = _l("Bitte geben Sie ein gültiges Datum an.")

__all__ = ["FORMAT", "VERSION", "export_template", "import_template", "read_template", "template_json"]


def _texts(value: dict) -> dict:
    return {code: text for code, text in (value or {}).items() if text}


def _consent_texts(languages: list[str]) -> dict:
    """The consent questions as this installation asks them, in each language of the events."""
    texts = {}
    for code in languages:
        language = BY_CODE.get(code)
        if language is None or not language.interface:
            continue
        with force_locale(language.babel_name):
            texts[code] = {"registration_needs": str(registration.NEEDS_CONSENT),
                           "self_description": str(registration.SELF_DESCRIPTION_CONSENT)}
    return texts


def template_json(document: dict) -> bytes:
    """The template as the file people download and import: indented UTF-8 JSON."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _event_document(event: Event, first_day: date | None, field_keys: dict[int, str]) -> dict:
    online_days = None
    if event.online_starts_on and event.online_ends_on:
        online_days = {"from": (event.online_starts_on - (event.starts_on or event.online_starts_on)).days,
                       "days": (event.online_ends_on - event.online_starts_on).days + 1}
    return {
        "title": event.title,
        "format": event.format,
        "day": (event.starts_on - first_day).days if event.starts_on and first_day else None,
        "default_language": event.default_language,
        "languages": list(event.languages),
        "action_field": field_keys.get(event.action_field_id),
        "rotation_enabled": event.rotation_enabled,
        "vote_dots": event.vote_dots,
        "vote_max_per_idea": event.vote_max_per_idea,
        "online_phase": online_days,
        "online_premoderated": event.online_premoderated,
        "registration": {"capacity": event.registration_capacity, "note": _texts(event.registration_note)},
        "tables": [{"number": t.number, "name": t.name, "topic": _texts(t.topic)} for t in event.tables],
        "rounds": [{"number": r.number, "question": _texts(r.question), "duration_minutes": r.duration_minutes}
                   for r in event.rounds],
    }


def _tree_document(process: Process, field_keys: dict[int, str]) -> dict | None:
    tree = load_tree(process)
    roots = tree.children.get(None, [])
    if not roots:
        return None

    def node(found: GoalNode) -> dict:
        linked_field = found.kind == "handlungsfeld" and found.action_field_id in field_keys
        return {
            "kind": found.kind,
            "title": {} if linked_field else _texts(found.title),
            "description": _texts(found.description),
            "action_field": field_keys.get(found.action_field_id),
            "indicators": [{"name": _texts(i.name), "unit": i.unit, "data_source": i.data_source}
                           for i in tree.indicators.get(found.id, [])],
            "children": [node(child) for child in tree.children.get(found.id, [])],
        }
    return node(roots[0])


def export_template(process: Process, *, with_goal_tree: bool = True) -> dict:
    """The template of `process` as a JSON-able document (see docs/template-format.md)."""
    fields = list(process.action_fields)
    field_keys = {field.id: f"field-{position}" for position, field in enumerate(fields, 1)}
    days = [event.starts_on for event in process.events if event.starts_on]
    first_day = min(days) if days else None
    ordered = sorted(process.events, key=lambda e: (e.starts_on is None, e.starts_on or date.min, e.id))
    languages = sorted({code for event in ordered for code in event.languages} | {process.default_language})
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_on": date.today().isoformat(),
        "process": {"title": process.title, "description": process.description,
                    "default_language": process.default_language, "retention_days": process.retention_days},
        "action_fields": [{"key": field_keys[field.id], "name": _texts(field.name),
                           "description": _texts(field.description), "keywords": list(field.keywords),
                           "colour": field.colour} for field in fields],
        "events": [_event_document(event, first_day, field_keys) for event in ordered],
        "goal_tree": _tree_document(process, field_keys) if with_goal_tree else None,
        "consent_texts": _consent_texts(languages),
    }


def _build_event(process: Process, plan: EventPlan, fields: dict[str, ActionField], first_day: date | None) -> Event:
    starts_on = first_day + timedelta(days=plan.day) if first_day is not None and plan.day is not None else None
    event = Event(process=process, title=plan.title, format=plan.format, starts_on=starts_on,
                  default_language=plan.default_language, languages=plan.languages,
                  code=event_service.unused_code(), action_field=fields.get(plan.action_field),
                  rotation_enabled=plan.rotation_enabled, vote_dots=plan.vote_dots,
                  vote_max_per_idea=plan.vote_max_per_idea, online_premoderated=plan.online_premoderated,
                  registration_capacity=plan.capacity, registration_note=plan.registration_note)
    if plan.online_phase and starts_on is not None:
        offset, length = plan.online_phase
        event.online_starts_on = starts_on + timedelta(days=offset)
        event.online_ends_on = event.online_starts_on + timedelta(days=length - 1)
    for table in plan.tables:
        event.tables.append(CafeTable(number=table["number"], name=table["name"], topic=table["topic"],
                                      host_token=new_token()))
    for round_ in plan.rounds:
        event.rounds.append(Round(number=round_["number"], question=round_["question"],
                                  duration_minutes=round_["duration_minutes"]))
    db.session.add(event)
    return event


def _build_node(process: Process, plan: NodePlan, parent: GoalNode | None, position: int,
                fields: dict[str, ActionField]) -> int:
    field = fields.get(plan.action_field)
    title = plan.title or (dict(field.name) if field is not None else {})
    node = GoalNode(process=process, parent=parent, kind=plan.kind, action_field=field, title=title,
                    description=plan.description, responsible=[], position=position, quotes=[])
    for index, indicator in enumerate(plan.indicators):
        node.indicators.append(Indicator(name=indicator["name"], unit=indicator["unit"],
                                         data_source=indicator["data_source"], position=index))
    db.session.add(node)
    return 1 + sum(_build_node(process, child, node, index, fields) for index, child in enumerate(plan.children))


def import_template(document, *, starts_on: date | None = None) -> tuple[Process, TemplatePlan]:
    """A new process built from a template document; raises DomainError (nothing built) if it is
    not a template this installation can read. With `starts_on`, the first event is on that day
    and the others keep their distance to it; without, the events have no dates yet."""
    plan = read_template(document)
    process = processes.create_process(plan.title, description=plan.description,
                                       default_language=plan.default_language, with_default_fields=False)
    process.retention_days = plan.retention_days
    fields = {}
    for position, data in enumerate(plan.action_fields):
        fields[data["key"]] = ActionField(process=process, name=data["name"], description=data["description"],
                                          keywords=data["keywords"], colour=data["colour"], position=position)
    db.session.add_all(fields.values())
    db.session.flush()
    try:
        for event_plan in plan.events:
            _build_event(process, event_plan, fields, starts_on)
    except OverflowError:  # a first day near year 1 or 9999, with the template's distances
        raise DomainError(BAD_DAY) from None
    if plan.goal_tree is not None:
        _build_node(process, plan.goal_tree, None, 0, fields)
    db.session.flush()
    return process, plan
