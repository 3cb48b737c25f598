"""Rebuild a goal tree from its JSON document (the export, or a snapshot of another installation).

Into a new process, or into one whose tree has not been worked on yet. UUIDs of nodes,
indicators and action fields are kept where they are free in this installation, else new ones
are made. A linked idea stays linked where an idea with its UUID belongs to the target process;
otherwise its text is kept as a quotation on the node (never a link into another process).
"""
from __future__ import annotations

import math
import uuid as uuid_module
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import ActionField, Contribution, Event, GoalNode, GoalNodeIdea, Indicator, IndicatorValue, Process
from app.models.goaltree import KINDS, NODE_STATUSES
from app.services.goals import goaltree
from app.services.administration import processes
from app.services.errors import Conflict, DomainError
from app.services.goals.snapshots import SCHEMA, VERSION

NOT_A_TREE = _l("Diese Datei ist kein Zielbaum, den diese Anwendung lesen kann.")
TREE_IN_USE = _l("Dieser Prozess hat schon einen bearbeiteten Zielbaum. Importieren Sie in einen neuen Prozess.")
COLOUR_DEFAULT = "#1d70b8"
# Far above any real tree (the demo has ~40 nodes), low enough that one file cannot fill a worker.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_NODES = 5000
MAX_IMPORT_ITEMS = 1000  # indicators, values, ideas or action fields in one list
TOO_LARGE = _l("Diese Datei ist zu groß für einen Zielbaum (höchstens %(mb)d MB, %(nodes)d Knoten "
               "und %(items)d Einträge je Liste).", mb=MAX_IMPORT_BYTES // 2**20, nodes=MAX_IMPORT_NODES,
               items=MAX_IMPORT_ITEMS)


@dataclass
class ImportResult:
    process: Process
    nodes: int = 0
    linked_ideas: int = 0
    quotations: int = 0


class _Invalid(Exception):
    pass


def _need(condition) -> None:
    if not condition:
        raise _Invalid


def _texts(value, limit: int, *, required: bool = False) -> dict:
    _need(isinstance(value, dict))
    texts = {str(lang)[:12]: str(text) for lang, text in value.items() if isinstance(text, str) and text.strip()}
    _need(not required or texts)
    _need(all(len(text) <= limit for text in texts.values()))
    return texts


def _day(value) -> date | None:
    if value is None:
        return None
    _need(isinstance(value, str))
    return date.fromisoformat(value)


def _number(value, *, optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    _need(isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value))
    return float(value)


def _keywords(value) -> list[str]:
    """As they were (the default fields' keywords would not pass today's cleaning), within limits."""
    _need(isinstance(value, list) and len(value) <= processes.MAX_KEYWORDS * 2)
    _need(all(isinstance(k, str) and len(k) <= processes.MAX_KEYWORD_LENGTH for k in value))
    return list(value)


def _uuid(value) -> uuid_module.UUID:
    return uuid_module.UUID(str(value))


def _free(model, wanted: set[uuid_module.UUID]) -> set[uuid_module.UUID]:
    """Those of `wanted` that no row of `model` carries yet."""
    taken = set(db.session.scalars(db.select(model.uuid).where(model.uuid.in_(wanted)))) if wanted else set()
    return wanted - taken


class _TooLarge(Exception):
    def __init__(self, message):
        self.message = message


def _nodes(document: dict) -> list[dict]:
    """Every node of the document; a tree too large or too deep is refused before anything is built."""
    found, todo = [], [(node, 1) for node in document["nodes"]]
    while todo:
        node, depth = todo.pop()
        _need(isinstance(node, dict) and isinstance(node.get("children", []), list))
        if depth > goaltree.MAX_DEPTH:
            raise _TooLarge(goaltree.TOO_DEEP)
        lists = [node.get(key, []) for key in ("indicators", "ideas", "quotes", "children")]
        _need(all(isinstance(items, list) for items in lists))
        if any(len(items) > MAX_IMPORT_ITEMS for items in lists) or any(
                len(i.get("values", [])) > MAX_IMPORT_ITEMS for i in lists[0] if isinstance(i, dict)):
            raise _TooLarge(TOO_LARGE)
        found.append(node)
        if len(found) > MAX_IMPORT_NODES:
            raise _TooLarge(TOO_LARGE)
        todo.extend((child, depth + 1) for child in node.get("children", []))
    return found



class _Builder:
    def __init__(self, document: dict, process: Process):
        self.process = process
        self.result = ImportResult(process)
        nodes = _nodes(document)
        self.free_nodes = _free(GoalNode, {_uuid(n["uuid"]) for n in nodes})
        self.free_indicators = _free(Indicator, {_uuid(i["uuid"]) for n in nodes for i in n.get("indicators", [])})
        idea_uuids = {_uuid(i["uuid"]) for n in nodes for i in [*n.get("ideas", []), *n.get("quotes", [])]
                      if i.get("uuid")}
        # Only ideas of this very process may be linked.
        found = db.session.scalars(db.select(Contribution).join(Event).where(
            Event.process_id == process.id, Contribution.uuid.in_(idea_uuids))) if idea_uuids else []
        self.ideas = {idea.uuid: idea for idea in found}
        self.fields: dict[str, ActionField] = {}

    def uuid(self, value, free: set) -> uuid_module.UUID:
        wanted = _uuid(value)
        if wanted in free:
            free.discard(wanted)
            return wanted
        return uuid_module.uuid4()

    def action_fields(self, documents: list[dict]) -> None:
        existing = list(self.process.action_fields)
        free = _free(ActionField, {_uuid(f["uuid"]) for f in documents})
        for position, data in enumerate(documents, len(existing)):
            name = _texts(data.get("name"), processes.MAX_FIELD_NAME_LENGTH, required=True)
            field = (next((f for f in existing if str(f.uuid) == data["uuid"]), None)
                     or next((f for f in existing if name.get("de") and f.name.get("de") == name.get("de")), None))
            if field is None:
                colour = data.get("colour") if processes.COLOUR.fullmatch(str(data.get("colour"))) else COLOUR_DEFAULT
                field = ActionField(process=self.process, uuid=self.uuid(data["uuid"], free), name=name,
                                    description=_texts(data.get("description", {}),
                                                       processes.MAX_FIELD_DESCRIPTION_LENGTH),
                                    keywords=_keywords(data.get("keywords", [])),
                                    colour=colour, position=position)
                db.session.add(field)
                existing.append(field)
            self.fields[data["uuid"]] = field
        db.session.flush()

    def node(self, data: dict, parent: GoalNode | None, position: int) -> None:
        kind, status = data.get("kind"), data.get("status")
        _need(kind in KINDS and status in NODE_STATUSES and (kind == "leitziel") == (parent is None))
        responsible = data.get("responsible", [])
        _need(isinstance(responsible, list) and all(isinstance(r, str) for r in responsible))
        field_uuid = data.get("action_field_uuid")
        _need(field_uuid is None or field_uuid in self.fields)
        node = GoalNode(process_id=self.process.id, parent=parent, kind=kind,
                        uuid=self.uuid(data["uuid"], self.free_nodes), action_field=self.fields.get(field_uuid),
                        title=_texts(data.get("title"), goaltree.MAX_TITLE_LENGTH, required=True),
                        description=_texts(data.get("description", {}), goaltree.MAX_DESCRIPTION_LENGTH),
                        responsible=[" ".join(r.split()) for r in responsible if r.strip()],
                        starts_on=_day(data.get("starts_on")), ends_on=_day(data.get("ends_on")), status=status,
                        weight=_number(data.get("weight", 1.0), optional=False), position=position, quotes=[])
        _need(node.weight >= 0 and not (node.starts_on and node.ends_on and node.starts_on > node.ends_on))
        db.session.add(node)
        linked = set()
        for said in [*data.get("ideas", []), *data.get("quotes", [])]:
            _need(isinstance(said, dict) and isinstance(said.get("text"), str) and said["text"].strip())
            idea = self.ideas.get(_uuid(said["uuid"])) if said.get("uuid") else None
            if idea is not None and idea.id in linked:
                continue
            if idea is not None:
                linked.add(idea.id)
                db.session.add(GoalNodeIdea(node=node, contribution=idea))
                if idea.status in goaltree.LINKABLE_STATUSES:
                    idea.status = "in_goal_tree"
                self.result.linked_ideas += 1
            else:
                node.quotes.append({"text": said["text"], "language": str(said.get("language") or "de")[:12],
                                    "uuid": str(_uuid(said["uuid"])) if said.get("uuid") else None})
                self.result.quotations += 1
        for index, indicator in enumerate(data.get("indicators", [])):
            self.indicator(node, indicator, index)
        self.result.nodes += 1
        for index, child in enumerate(data.get("children", [])):
            self.node(child, node, index)

    def indicator(self, node: GoalNode, data: dict, position: int) -> None:
        baseline, target = data.get("baseline") or {}, data.get("target") or {}
        indicator = Indicator(node=node, uuid=self.uuid(data["uuid"], self.free_indicators),
                              name=_texts(data.get("name"), goaltree.MAX_TITLE_LENGTH, required=True),
                              unit=str(data.get("unit") or "")[:40], baseline_value=_number(baseline.get("value")),
                              baseline_on=_day(baseline.get("date")), target_value=_number(target.get("value")),
                              target_on=_day(target.get("date")), data_source=str(data.get("data_source") or "")[:300],
                              position=position)
        dates = set()
        for value in data.get("values", []):
            measured_on = _day(value["date"])
            _need(measured_on is not None and measured_on not in dates)
            dates.add(measured_on)
            indicator.values.append(IndicatorValue(measured_on=measured_on,
                                                   value=_number(value["value"], optional=False)))
        db.session.add(indicator)


def _untouched_tree(process: Process) -> list[GoalNode] | None:
    """The nodes of a tree only started (Leitziel and empty action-field nodes), else None."""
    nodes = list(db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id)))
    if any(n.kind not in ("leitziel", "handlungsfeld") or n.indicators or n.idea_links or n.quotes for n in nodes):
        return None
    return nodes


def import_tree(document: dict, process: Process | None = None) -> ImportResult:
    """Build the tree of `document` in `process`, or in a new process named after the document's."""
    if not isinstance(document, dict) or document.get("schema") != SCHEMA or document.get("version") != VERSION:
        raise DomainError(NOT_A_TREE)
    try:
        nodes = document["nodes"]
        _need(isinstance(nodes, list) and len(nodes) <= 1 and isinstance(document.get("action_fields", []), list))
        if len(document.get("action_fields", [])) > MAX_IMPORT_ITEMS:
            raise _TooLarge(TOO_LARGE)
        _nodes(document)  # sizes checked before a process is made
        if process is None:
            title = " ".join(str((document.get("process") or {}).get("title") or "").split())[:200]
            _need(title)
            process = processes.create_process(title, with_default_fields=False)
        else:
            started = _untouched_tree(process)
            if started is None:
                raise Conflict(TREE_IN_USE)
            root = next((n for n in started if n.parent_id is None), None)
            if root is not None:
                db.session.delete(root)  # the empty start, replaced by the imported tree
                db.session.flush()
        builder = _Builder(document, process)
        builder.action_fields(document.get("action_fields", []))
        for node in nodes:
            builder.node(node, None, 0)
        db.session.flush()
    except _TooLarge as error:
        raise DomainError(error.message) from None
    except (_Invalid, KeyError, TypeError, ValueError, AttributeError):
        raise DomainError(NOT_A_TREE) from None
    return builder.result
