"""The goal tree as one versioned JSON document, evaluation snapshots, and their comparison.

`tree_document` is the one serializer: snapshots store it, every export reads it, and
`app.exports.importing` rebuilds a tree from it. Everything in it is plain JSON (strings, numbers,
lists, dicts, null), objects are named by their stable UUIDs and dates are ISO strings, so it
survives json.dumps/json.loads unchanged and means the same on another installation.
"""
from __future__ import annotations

import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, selectinload

from app.extensions import db
from app.models import ActionField, Contribution, GoalNode, GoalNodeIdea, Process, Snapshot
from app.labels import idea_source
from app.models.base import utcnow
from app.services.errors import Conflict, DomainError, NotFound
from app.services.goals.actors import responsible_names, with_actor_names
from app.services.reports.progress import load_tree

SCHEMA = "worldcafe.goal-tree"
VERSION = 1
MAX_NAME_LENGTH = 120


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def tree_document(process: Process, *, as_of: date | None = None) -> dict:
    """The process's goal tree with indicators, values, progress and linked ideas as a document.

    With `as_of`, indicator values (and so progress) are those measured up to that date; the
    nodes themselves are as they are now.
    """
    tree = load_tree(process, as_of=as_of)
    progress = tree.progress()
    fields = list(db.session.scalars(db.select(ActionField).filter_by(process_id=process.id)
                                     .order_by(ActionField.position, ActionField.id)))
    field_by_id = {f.id: f for f in fields}
    actor_names = responsible_names(process)  # the register's actors, after the free text
    ideas = defaultdict(list)
    for node_id, idea in db.session.execute(
            db.select(GoalNodeIdea.node_id, Contribution).join(Contribution)
            .join(GoalNode, GoalNode.id == GoalNodeIdea.node_id)
            .where(GoalNode.process_id == process.id, Contribution.hidden_at.is_(None))
            .options(selectinload(Contribution.translations), selectinload(Contribution.event),
                     selectinload(Contribution.participant))
            .order_by(Contribution.id)):
        # The translations go along, so every export can show the German text beside the original.
        ideas[node_id].append({"uuid": str(idea.uuid), "text": idea.text, "language": idea.language,
                               "translations": {row.language: row.text for row in idea.translations},
                               "machine_translated": sorted(row.language for row in idea.translations if row.machine)})
        source = idea_source(idea)  # a workshop's or an interview's idea, an invited expert's (issue 21)
        if source:
            ideas[node_id][-1]["source"] = source

    def node_document(node: GoalNode) -> dict:
        action_field = field_by_id.get(node.action_field_id)
        title = dict(action_field.name) if node.kind == "handlungsfeld" and action_field else dict(node.title)
        return {
            "uuid": str(node.uuid),
            "kind": node.kind,
            "title": title,
            "description": dict(node.description),
            "responsible": with_actor_names(list(node.responsible), actor_names.get(node.id, [])),
            "starts_on": _iso(node.starts_on),
            "ends_on": _iso(node.ends_on),
            "status": node.status,
            "weight": float(node.weight),
            "action_field_uuid": str(action_field.uuid) if action_field else None,
            "progress": progress[node.id],
            "ideas": ideas.get(node.id, []),
            # Ideas from another installation or process, kept as their texts (see exports.importing).
            "quotes": [dict(quote) for quote in node.quotes or []],
            "indicators": [{
                "uuid": str(indicator.uuid),
                "name": dict(indicator.name),
                "unit": indicator.unit,
                "baseline": {"value": indicator.baseline_value, "date": _iso(indicator.baseline_on)},
                "target": {"value": indicator.target_value, "date": _iso(indicator.target_on)},
                "data_source": indicator.data_source,
                "values": [{"date": _iso(v.measured_on), "value": v.value}
                           for v in tree.values.get(indicator.id, [])],
                "progress": tree.indicator_progress(indicator),
            } for indicator in tree.indicators.get(node.id, [])],
            "children": [node_document(child) for child in tree.children.get(node.id, [])],
        }

    return {
        "schema": SCHEMA,
        "version": VERSION,
        "process": {"uuid": str(process.uuid), "title": process.title},
        "generated_at": utcnow().isoformat(),
        "as_of": _iso(as_of),
        "action_fields": [{
            "uuid": str(f.uuid), "name": dict(f.name), "description": dict(f.description),
            "colour": f.colour, "keywords": list(f.keywords),
        } for f in fields],
        "nodes": [node_document(root) for root in tree.children.get(None, [])],
    }


# Snapshots

def freeze(process: Process, name: str) -> Snapshot:
    """Freeze the tree with its indicator values now, under a name unique within the process."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Bitte geben Sie einen Namen ein."))
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=MAX_NAME_LENGTH))
    if db.session.scalar(db.select(Snapshot.id).filter_by(process_id=process.id, name=name)):
        raise Conflict(_l("Es gibt schon einen Stand mit diesem Namen."))
    snapshot = Snapshot(process_id=process.id, name=name, taken_at=utcnow(), document=tree_document(process))
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def snapshots_of(process: Process) -> list[Snapshot]:
    """The process's snapshots, newest first; each document is read only when asked for."""
    return list(db.session.scalars(db.select(Snapshot).filter_by(process_id=process.id)
                                   .options(defer(Snapshot.document))
                                   .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())))


def count_of(process: Process) -> int:
    """How many snapshots the process has (without loading their documents)."""
    return db.session.scalar(db.select(db.func.count(Snapshot.id)).filter_by(process_id=process.id))


def snapshot_of_process(process: Process, snapshot_uuid) -> Snapshot:
    """A snapshot looked up only among those of `process` (by its UUID)."""
    try:
        snapshot_uuid = uuid_module.UUID(str(snapshot_uuid))
    except ValueError:
        snapshot_uuid = None
    snapshot = snapshot_uuid and db.session.scalar(
        db.select(Snapshot).filter_by(process_id=process.id, uuid=snapshot_uuid))
    if not snapshot:
        raise NotFound(_l("Diesen Stand gibt es nicht (mehr)."))
    return snapshot


# Comparison

@dataclass
class IndicatorChange:
    uuid: str
    name: dict
    unit: str
    before: float | None  # the latest value then; None where there was none or no indicator yet
    after: float | None


@dataclass
class NodeChange:
    uuid: str
    kind: str
    title: dict
    progress_before: float
    progress_after: float
    indicators: list[IndicatorChange] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return self.progress_before != self.progress_after or any(
            i.before != i.after for i in self.indicators)


@dataclass
class Comparison:
    added: list[dict]    # node documents (without their children) new since
    dropped: list[dict]  # present before, and now gone or dropped
    changed: list[NodeChange]  # in both, in the order of the newer tree


def _flatten(document: dict) -> dict[str, dict]:
    if document.get("schema") != SCHEMA or document.get("version") != VERSION:
        raise DomainError(_l("Dieser Stand hat ein unbekanntes Format."))
    found: dict[str, dict] = {}
    todo = list(reversed(document["nodes"]))
    while todo:
        node = todo.pop()
        found[node["uuid"]] = node
        todo.extend(reversed(node["children"]))
    return found


def _without_children(node: dict) -> dict:
    return {key: value for key, value in node.items() if key != "children"}


def _latest(indicator: dict) -> float | None:
    values = sorted(indicator["values"], key=lambda v: v["date"])
    return values[-1]["value"] if values else None


def compare(old_doc: dict, new_doc: dict) -> Comparison:
    """What changed between two tree documents, nodes and indicators matched by UUID.

    Comparing a snapshot with today: compare(snapshot.document, tree_document(process)).
    """
    old, new = _flatten(old_doc), _flatten(new_doc)
    added = [_without_children(n) for key, n in new.items() if key not in old]
    dropped = [_without_children(n) for key, n in old.items()
               if n["status"] != "dropped" and (key not in new or new[key]["status"] == "dropped")]
    changed = []
    for key, after in new.items():
        before = old.get(key)
        if before is None or after["status"] == "dropped":
            continue
        old_indicators = {i["uuid"]: i for i in before["indicators"]}
        new_indicators = {i["uuid"]: i for i in after["indicators"]}
        indicators = [IndicatorChange(i["uuid"], i["name"], i["unit"],
                                      _latest(old_indicators[u]) if u in old_indicators else None, _latest(i))
                      for u, i in new_indicators.items()]
        indicators += [IndicatorChange(i["uuid"], i["name"], i["unit"], _latest(i), None)
                       for u, i in old_indicators.items() if u not in new_indicators]
        changed.append(NodeChange(key, after["kind"], after["title"], before["progress"], after["progress"],
                                  indicators))
    return Comparison(added=added, dropped=dropped, changed=changed)


def compare_with_today(snapshot: Snapshot) -> Comparison:
    """The snapshot against the tree as it is now."""
    return compare(snapshot.document, tree_document(snapshot.process))
