"""What the goal tree's pages show: numbering, titles in the reader's language, linked ideas, the
places a node can move to, and the way back to a node after a change."""
from dataclasses import dataclass

from flask import flash, redirect, url_for
from markupsafe import Markup
from flask_babel import lazy_gettext as _l

from sqlalchemy.orm import selectinload

from app.bidi import isolated_in
from app.i18n import current_language
from app.extensions import db
from app.models import ActionField, Contribution, GoalNode, GoalNodeIdea
from app.models.base import localized
from app.services.goals import goaltree
from app.services.errors import DomainError, NotFound
from app.services.reports import progress
from app.services.reports.progress import TreeData

ROOT_STAYS = _l("Das Leitziel lässt sich nicht verschieben.")


def say(message: str) -> None:
    """A notice; a message naming what users typed comes as Markup (see app.bidi)."""
    flash(message, "success")


def locale() -> str:
    return current_language()


def isolated_title(node: GoalNode) -> Markup:
    """The node's title for a notice: in the reader's language where it can be, isolated."""
    return isolated_in(node.display_title, locale())


def numbering(tree: TreeData) -> dict[int, str]:
    """Path numbers by node id: the Leitziel has none, its children 1, 2, …, theirs 1.1, 1.2, …"""
    numbers: dict[int, str] = {}
    todo = [(root, "") for root in tree.children.get(None, [])]
    while todo:
        node, number = todo.pop()
        numbers[node.id] = number
        for index, child in enumerate(tree.children.get(node.id, []), start=1):
            todo.append((child, f"{number}.{index}" if number else str(index)))
    return numbers


def path_of(tree: TreeData, node: GoalNode) -> list[tuple[GoalNode, str]]:
    """The node's ancestors and itself, from the Leitziel down, each with its number."""
    numbers, path, current = numbering(tree), [], tree.nodes.get(node.id)
    while current is not None:
        path.append((current, numbers[current.id]))
        current = tree.nodes.get(current.parent_id)
    return path[::-1]


@dataclass
class Target:
    uuid: str
    number: str
    title: str
    language: str  # of the title
    kind: str
    depth: int
    current: bool  # the node's parent now


def move_targets(process, node: GoalNode) -> list[Target]:
    """Every node `node` may go under: all but itself and its descendants, in tree order, and
    none so deep that the node's subtree would pass the tree's deepest level."""
    tree = progress.load_tree(process)
    numbers, targets, height = numbering(tree), [], goaltree.height(node)
    todo = list(reversed(tree.children.get(None, [])))
    while todo:
        candidate = todo.pop()
        if candidate.id == node.id:
            continue  # neither itself nor anything below it
        if (numbers[candidate.id].count(".") + 2 if numbers[candidate.id] else 1) + height > goaltree.MAX_DEPTH:
            continue  # too deep: what is below it is too
        title, language = localized(candidate.display_title, locale())
        targets.append(Target(str(candidate.uuid), numbers[candidate.id], title, language, candidate.kind,
                              numbers[candidate.id].count(".") + (1 if numbers[candidate.id] else 0),
                              candidate.id == node.parent_id))
        todo.extend(reversed(tree.children.get(candidate.id, [])))
    return targets


def position_from(value) -> int | None:
    """A position sent by the drag and drop (0 = first); none puts the node last."""
    if value in (None, ""):
        return None
    try:
        return max(0, int(value))
    except ValueError:
        raise DomainError(_l("Unbekannte Stelle.")) from None


def fields_without_node(process) -> list[ActionField]:
    """Action fields added since the tree was started, which have no Handlungsfeld node yet."""
    linked = db.select(GoalNode.action_field_id).filter_by(process_id=process.id).where(
        GoalNode.action_field_id.is_not(None))
    return list(db.session.scalars(db.select(ActionField).filter_by(process_id=process.id)
                                   .where(ActionField.id.not_in(linked)).order_by(ActionField.position)))


def linked_ideas(node: GoalNode) -> list[Contribution]:
    return list(db.session.scalars(db.select(Contribution).join(GoalNodeIdea)
                                   .where(GoalNodeIdea.node_id == node.id)
                                   .options(selectinload(Contribution.translations)).order_by(Contribution.id)))


def linked_idea(node: GoalNode, idea_uuid) -> Contribution:
    idea = db.session.scalar(db.select(Contribution).join(GoalNodeIdea).where(
        GoalNodeIdea.node_id == node.id, Contribution.uuid == idea_uuid))
    if idea is None:
        raise NotFound(goaltree.IDEA_GONE)
    return idea


def to_node(process, node, anchor=None):
    return redirect(url_for("goaltree.edit_node", process_id=process.id, node_uuid=node.uuid, _anchor=anchor), 303)


def to_indicator(process, indicator):
    return redirect(url_for("goaltree.edit_indicator", process_id=process.id, indicator_uuid=indicator.uuid), 303)
