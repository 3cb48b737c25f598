"""The goal tree (Zielbaum): building it from action fields, clusters and ideas, editing it, and
indicators with their measured values. How far a node has come is in services.progress.
"""
from __future__ import annotations

import math
import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update

from app.extensions import db
from app.models import ActionField, Cluster, Contribution, Event, GoalNode, GoalNodeIdea, Indicator, Process
from app.models.goaltree import KINDS, NODE_STATUSES
from app.services.errors import Conflict, DomainError, NotFound

MAX_TITLE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 5000
# Levels from the Leitziel (1) down: Word has nine heading levels for the report, and pages, the
# diagram and the outline exports stay readable. A tree nested ~230 deep broke its page for good.
MAX_DEPTH = 9
TOO_DEEP = _l("Der Zielbaum darf höchstens %(max)d Ebenen tief sein. "
              "Bitte hängen Sie den Knoten weiter oben ein.", max=MAX_DEPTH)
LINKABLE_STATUSES = ("new", "clustered")  # merged ideas and duplicates keep their status
NODE_GONE = _l("Diesen Knoten gibt es nicht (mehr).")
IDEA_GONE = _l("Diese Idee gibt es nicht (mehr).")


# Lookups

def node_of_process(process: Process, node_uuid) -> GoalNode:
    """A node looked up only among the nodes of `process` (by its UUID, as forms send it)."""
    try:
        node_uuid = node_uuid if isinstance(node_uuid, uuid_module.UUID) else uuid_module.UUID(str(node_uuid))
    except ValueError:
        raise NotFound(NODE_GONE) from None
    node = db.session.scalar(db.select(GoalNode).filter_by(process_id=process.id, uuid=node_uuid))
    if node is None:
        raise NotFound(NODE_GONE)
    return node


def root_of(process: Process) -> GoalNode | None:
    """The Leitziel of the process, if the tree has been started."""
    return db.session.scalar(db.select(GoalNode).filter_by(process_id=process.id, parent_id=None))


# Validation

def _texts(value, language: str, *, required: bool, max_length: int = MAX_TITLE_LENGTH) -> dict:
    """Localized text from a plain string (in `language`) or a dict language → text.

    A title (`required`) is one line; a description keeps its line breaks.
    """
    texts = {language: value} if isinstance(value, str) else dict(value or {})
    clean = (lambda text: " ".join(text.split())) if required else (lambda text: text.strip())
    texts = {lang: clean(str(text)) for lang, text in texts.items() if text and str(text).strip()}
    if required and not texts:
        raise DomainError(_l("Bitte geben Sie einen Titel ein."))
    if any(len(text) > max_length for text in texts.values()):
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=max_length))
    return texts


def _number(value, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise DomainError(_l("Bitte geben Sie eine Zahl ein."))
    return number


def _check_node(node: GoalNode) -> None:
    if node.status not in NODE_STATUSES:
        raise DomainError(_l("Unbekannter Status."))
    if node.weight < 0:
        raise DomainError(_l("Das Gewicht darf nicht negativ sein."))
    if node.starts_on and node.ends_on and node.starts_on > node.ends_on:
        raise DomainError(_l("Das Ende liegt vor dem Beginn."))


def _responsible(names) -> list[str]:
    return [" ".join(str(name).split()) for name in (names or ()) if str(name).strip()]


# Building and editing

def depth_of(node: GoalNode) -> int:
    """The level of `node`: 1 for the Leitziel, 2 for the action fields, …"""
    depth, ancestor = 1, node.parent
    while ancestor is not None:
        depth, ancestor = depth + 1, ancestor.parent
    return depth


def height(node: GoalNode) -> int:
    """Levels in the subtree of `node`, itself included (1 for a leaf)."""
    children = defaultdict(list)
    for node_id, parent_id in db.session.execute(
            db.select(GoalNode.id, GoalNode.parent_id).filter_by(process_id=node.process_id)):
        children[parent_id].append(node_id)
    levels, level = 0, [node.id]
    while level:
        levels += 1
        level = [child for current in level for child in children[current]]
    return levels


def _append_position(parent: GoalNode) -> int:
    last = db.session.scalar(db.select(func.max(GoalNode.position)).filter_by(parent_id=parent.id))
    return (last if last is not None else -1) + 1


def ensure_tree(process: Process) -> GoalNode:
    """The process's tree, started if need be: a Leitziel root titled after the process, and one
    Handlungsfeld node per action field (fields added since get theirs). Safe to call again."""
    # A no-op UPDATE takes the process's row lock (PostgreSQL) or the write lock (SQLite), so two
    # workers starting the tree at once do not make two roots.
    db.session.execute(update(Process).where(Process.id == process.id).values(id=Process.id))
    root = root_of(process)
    if root is None:
        root = GoalNode(process_id=process.id, kind="leitziel",
                        title={process.default_language: process.title})
        db.session.add(root)
        db.session.flush()
    linked = {node.action_field_id: node for node in db.session.scalars(
        db.select(GoalNode).filter_by(process_id=process.id, kind="handlungsfeld")
        .where(GoalNode.action_field_id.is_not(None)))}
    fields = db.session.scalars(db.select(ActionField).filter_by(process_id=process.id)
                                .order_by(ActionField.position, ActionField.id))
    for action_field in fields:
        node = linked.get(action_field.id)
        if node is None:
            db.session.add(GoalNode(process_id=process.id, parent=root, kind="handlungsfeld",
                                    action_field=action_field, title=dict(action_field.name),
                                    position=_append_position(root)))
            db.session.flush()
        elif node.title != action_field.name:
            node.title = dict(action_field.name)  # the last known name, kept if the field goes
    db.session.flush()
    return root


def add_node(parent: GoalNode, kind: str, title, *, description=None, responsible=(),
             starts_on: date | None = None, ends_on: date | None = None, status: str = "planned",
             weight: float = 1.0, action_field: ActionField | None = None,
             position: int | None = None) -> GoalNode:
    """A new node under `parent`, at the end of its children unless `position` says otherwise.

    `title` and `description` are a string in the process's language or a dict language → text;
    a Handlungsfeld node with an `action_field` takes the field's name as its title.
    """
    if kind not in KINDS:
        raise DomainError(_l("Unbekannte Art von Knoten."))
    if kind == "leitziel":
        raise DomainError(_l("Es gibt nur ein Leitziel: die Wurzel des Zielbaums."))
    if action_field is not None and action_field.process_id != parent.process_id:
        raise NotFound(_l("Dieses Handlungsfeld gibt es nicht (mehr)."))
    if depth_of(parent) >= MAX_DEPTH:
        raise DomainError(TOO_DEEP)
    language = parent.process.default_language
    if kind == "handlungsfeld" and action_field is not None:
        title = dict(action_field.name)
    node = GoalNode(process_id=parent.process_id, kind=kind, action_field=action_field,
                    title=_texts(title, language, required=True),
                    description=_texts(description, language, required=False,
                                       max_length=MAX_DESCRIPTION_LENGTH),
                    responsible=_responsible(responsible), starts_on=starts_on, ends_on=ends_on,
                    status=status, weight=_number(weight), position=_append_position(parent))
    _check_node(node)
    node.parent = parent
    db.session.add(node)
    db.session.flush()
    if position is not None:
        move_node(node, parent, position)
    return node


def _merged(old: dict, new, language: str) -> dict:
    """Texts sent for some languages over the ones kept for others (an empty text removes one)."""
    return {**old, **({language: new} if isinstance(new, str) else dict(new or {}))}


EDITABLE = ("kind", "title", "description", "responsible", "starts_on", "ends_on", "status", "weight")
CHANGEABLE_KINDS = ("ziel", "teilziel", "massnahme")


def update_node(node: GoalNode, **changes) -> None:
    """Change some of a node's fields (see EDITABLE); the others stay as they are."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    language = node.process.default_language
    if "kind" in changes and changes["kind"] != node.kind:
        if node.kind not in CHANGEABLE_KINDS or changes["kind"] not in CHANGEABLE_KINDS:
            raise DomainError(_l("Leitziel und Handlungsfelder behalten ihre Art."))
        node.kind = changes["kind"]
    if "title" in changes:
        if node.kind == "handlungsfeld" and node.action_field_id is not None:
            raise DomainError(_l("Der Titel eines Handlungsfelds wird beim Handlungsfeld selbst geändert."))
        node.title = _texts(_merged(node.title, changes["title"], language), language, required=True)
    if "description" in changes:
        node.description = _texts(_merged(node.description, changes["description"], language), language,
                                  required=False, max_length=MAX_DESCRIPTION_LENGTH)
    if "responsible" in changes:
        node.responsible = _responsible(changes["responsible"])
    for name in ("starts_on", "ends_on", "status"):
        if name in changes:
            setattr(node, name, changes[name])
    if "weight" in changes:
        node.weight = _number(changes["weight"])
    _check_node(node)
    db.session.flush()


def _renumber(parent: GoalNode, ordered: list[GoalNode]) -> None:
    for position, child in enumerate(ordered):
        child.position = position
    db.session.flush()
    db.session.expire(parent, ["children"])


def move_node(node: GoalNode, new_parent: GoalNode, position: int | None = None) -> None:
    """Put `node` (with its subtree) under `new_parent` at `position` (0 = first; default last).

    The root stays where it is, and a node never goes under itself or one of its descendants.
    """
    if node.parent_id is None:
        raise Conflict(_l("Das Leitziel lässt sich nicht verschieben."))
    if new_parent.process_id != node.process_id:
        raise NotFound(NODE_GONE)
    ancestor = new_parent
    while ancestor is not None:
        if ancestor.id == node.id:
            raise Conflict(_l("Ein Knoten lässt sich nicht unter sich selbst "
                              "oder einen seiner Unterknoten verschieben."))
        ancestor = ancestor.parent
    if depth_of(new_parent) + height(node) > MAX_DEPTH:
        raise Conflict(TOO_DEEP)
    old_parent = node.parent
    siblings = [child for child in new_parent.children if child.id != node.id]
    position = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    siblings.insert(position, node)
    node.parent = new_parent
    _renumber(new_parent, siblings)
    if old_parent.id != new_parent.id:
        _renumber(old_parent, [child for child in old_parent.children if child.id != node.id])


def _subtree_ids(node: GoalNode) -> set[int]:
    children = defaultdict(list)
    for node_id, parent_id in db.session.execute(
            db.select(GoalNode.id, GoalNode.parent_id).filter_by(process_id=node.process_id)):
        children[parent_id].append(node_id)
    found, todo = set(), [node.id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children[current])
    return found


def _ideas_only_in(subtree: set[int]) -> set[int]:
    """The ideas linked to nodes of `subtree` and to no node outside it."""
    linked = set(db.session.scalars(
        db.select(GoalNodeIdea.contribution_id).where(GoalNodeIdea.node_id.in_(subtree))))
    still_linked = set(db.session.scalars(
        db.select(GoalNodeIdea.contribution_id).where(GoalNodeIdea.contribution_id.in_(linked),
                                                     GoalNodeIdea.node_id.not_in(subtree))))
    return linked - still_linked


@dataclass
class Deletion:
    """What deleting a node takes with it, for the page that asks first."""

    below: int  # nodes under it
    indicators: int
    ideas_back: int  # ideas that go back to the board, linked to no other node


def deletion_of(node: GoalNode) -> Deletion:
    subtree = _subtree_ids(node)
    indicators = db.session.scalar(db.select(func.count(Indicator.id)).where(Indicator.node_id.in_(subtree)))
    return Deletion(len(subtree) - 1, indicators, len(_ideas_only_in(subtree)))


def delete_node(node: GoalNode) -> None:
    """Delete a node with its subtree and indicators. Ideas no longer in any node return to
    "clustered" (or "new" when unsorted)."""
    if node.parent_id is None:
        raise Conflict(_l("Das Leitziel lässt sich nicht löschen."))
    for idea in db.session.scalars(db.select(Contribution).where(
            Contribution.id.in_(_ideas_only_in(_subtree_ids(node))), Contribution.status == "in_goal_tree")):
        idea.status = "clustered" if idea.action_field_id is not None else "new"
    parent = node.parent
    db.session.delete(node)
    db.session.flush()
    _renumber(parent, [child for child in parent.children if child.id != node.id])


# From clusters and ideas

def link_ideas(node: GoalNode, ideas: list[Contribution]) -> None:
    """Record that `node` came from `ideas` (of the same process); they become "in_goal_tree"."""
    event_ids = set(db.session.scalars(db.select(Event.id).filter_by(process_id=node.process_id)))
    if any(idea.event_id not in event_ids for idea in ideas):
        raise NotFound(IDEA_GONE)
    known = set(db.session.scalars(db.select(GoalNodeIdea.contribution_id).filter_by(node_id=node.id)))
    for idea in ideas:
        if idea.id not in known:
            db.session.add(GoalNodeIdea(node=node, contribution=idea))
            known.add(idea.id)
        if idea.status in LINKABLE_STATUSES:
            idea.status = "in_goal_tree"
    db.session.flush()


def unlink_idea(node: GoalNode, idea: Contribution) -> None:
    """The node no longer names `idea` as a source; an idea in no node any more goes back to the board."""
    link = db.session.scalar(db.select(GoalNodeIdea).filter_by(node_id=node.id, contribution_id=idea.id))
    if link is None:
        raise NotFound(IDEA_GONE)
    db.session.delete(link)
    db.session.flush()
    elsewhere = db.session.scalar(db.select(GoalNodeIdea.id).filter_by(contribution_id=idea.id).limit(1))
    if elsewhere is None and idea.status == "in_goal_tree":
        idea.status = "clustered" if idea.action_field_id is not None else "new"
    db.session.flush()


def node_from_ideas(parent: GoalNode, ideas: list[Contribution], title, **fields) -> GoalNode:
    """A new goal ("ziel") under `parent`, linked to the ideas it came from."""
    if not ideas:
        raise DomainError(_l("Bitte wählen Sie mindestens eine Idee aus."))
    node = add_node(parent, "ziel", title, **fields)
    link_ideas(node, ideas)
    return node


def node_from_cluster(parent: GoalNode, cluster: Cluster, **fields) -> GoalNode:
    """A new goal ("ziel") under `parent`, named after `cluster` and linked to its visible ideas."""
    if cluster.process_id != parent.process_id:
        raise NotFound(_l("Diesen Cluster gibt es nicht (mehr)."))
    ideas = list(db.session.scalars(db.select(Contribution).filter_by(cluster_id=cluster.id)
                                    .where(Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))
                                    .order_by(Contribution.id)))
    node = add_node(parent, "ziel", cluster.name, **fields)
    link_ideas(node, ideas)
    return node


def field_node(process: Process, action_field: ActionField) -> GoalNode:
    """The Handlungsfeld node of `action_field`; made (and the tree started) if need be, leaving
    the other fields' nodes as the organiser left them."""
    def find():
        return db.session.scalar(db.select(GoalNode).filter_by(process_id=process.id, kind="handlungsfeld",
                                                                action_field_id=action_field.id))

    root = root_of(process)
    if root is None:
        ensure_tree(process)  # a new tree has a node for every field
        return find()
    return find() or add_node(root, "handlungsfeld", action_field.name, action_field=action_field)


def goal_from_ideas(process: Process, ideas: list[Contribution], title) -> GoalNode:
    """A goal from ideas ticked on the board, under the Handlungsfeld they were sorted into."""
    fields = {idea.action_field_id for idea in ideas}
    if not ideas:
        raise DomainError(_l("Bitte wählen Sie mindestens eine Idee aus."))
    if len(fields) != 1 or None in fields:
        raise DomainError(_l("Ein Ziel entsteht aus Ideen eines Handlungsfelds. Ordnen Sie die Ideen zuerst "
                             "einem Handlungsfeld zu, oder wählen Sie nur Ideen desselben Felds."))
    return node_from_ideas(field_node(process, ideas[0].action_field), ideas, title)


def goal_from_cluster(process: Process, cluster: Cluster) -> GoalNode:
    """A goal named after a cluster, under its Handlungsfeld, linked to the cluster's ideas."""
    return node_from_cluster(field_node(process, cluster.action_field), cluster)
