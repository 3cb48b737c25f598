"""Actors of the register on the goal tree: the ones responsible for a node (picked from the
register; `GoalNode.responsible` keeps free text for others), and the feedback an actor gives on
the draft tree through their personal link: agree, concern or comment per node, stored as a
Comment with `actor_id` (organisers answer it with a Comment with `parent_id`, app/services/goals/comments.py).
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Actor, Comment, GoalNode, Process
from app.models.actors import goal_node_actors
from app.services.errors import DomainError, NotFound
from app.services.goals.goaltree import node_of_process

FEEDBACK_KINDS = ("agree", "concern", "comment")
MAX_FEEDBACK_LENGTH = 4000
TEXT_NEEDED = _l("Bitte schreiben Sie, was Sie bedenken oder anmerken möchten.")


# Responsible actors

def responsible_names(process: Process) -> dict[int, list[str]]:
    """The names of the register's actors responsible for each node of `process`, by node id."""
    names: dict[int, list[str]] = defaultdict(list)
    for node_id, name in db.session.execute(
            db.select(goal_node_actors.c.node_id, Actor.name)
            .join(Actor, Actor.id == goal_node_actors.c.actor_id)
            .where(Actor.process_id == process.id).order_by(db.func.lower(Actor.name), Actor.id)):
        names[node_id].append(name)
    return dict(names)


def with_actor_names(free_text: list[str], names: list[str]) -> list[str]:
    """The responsible list as exports and pages show it: the free text, then the register's
    actors not already named there."""
    return [*free_text, *(name for name in names if name not in free_text)]


def set_node_actors(node: GoalNode, actor_ids) -> None:
    """The register's actors responsible for `node` become exactly `actor_ids` (of its process)."""
    wanted = set(actor_ids or ())
    actors = list(db.session.scalars(db.select(Actor).filter_by(process_id=node.process_id)
                                     .where(Actor.id.in_(wanted)))) if wanted else []
    if len(actors) != len(wanted):
        raise NotFound(_l("Diesen Eintrag gibt es im Register nicht (mehr)."))
    node.actors = sorted(actors, key=lambda actor: (actor.name.lower(), actor.id))
    db.session.flush()


def nodes_of_actor(actor: Actor) -> list[GoalNode]:
    """The nodes the actor is responsible for, in tree order as far as the position tells."""
    return list(db.session.scalars(
        db.select(GoalNode).join(goal_node_actors, goal_node_actors.c.node_id == GoalNode.id)
        .where(goal_node_actors.c.actor_id == actor.id, GoalNode.process_id == actor.process_id)
        .order_by(GoalNode.position, GoalNode.id)))


# Feedback through the link

def give_feedback(actor: Actor, node_uuid, kind: str, text: str | None) -> tuple[Comment, bool]:
    """The actor's feedback on a node of its process: (comment, created). Agreeing needs no text;
    a concern or a comment does. The same feedback sent twice (a form sent again) is kept once."""
    node = node_of_process(actor.process, node_uuid)  # a node of another process: 404
    if kind not in FEEDBACK_KINDS:
        raise DomainError(_l("Bitte wählen Sie: Zustimmung, Bedenken oder Anmerkung."))
    text = (text or "").strip()
    if kind != "agree" and not text:
        raise DomainError(TEXT_NEEDED)
    if len(text) > MAX_FEEDBACK_LENGTH:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=MAX_FEEDBACK_LENGTH))
    same = db.session.scalar(db.select(Comment).filter_by(
        process_id=actor.process_id, node_id=node.id, actor_id=actor.id, parent_id=None, kind=kind, text=text,
        resolved_at=None).limit(1))
    if same is not None:
        return same, False
    comment = Comment(process_id=actor.process_id, node_id=node.id, actor_id=actor.id, kind=kind, text=text)
    db.session.add(comment)
    db.session.flush()
    return comment, True


def feedback_of(actor: Actor) -> list[Comment]:
    """The actor's feedback on nodes of its process with the answers to it, oldest first."""
    return list(db.session.scalars(
        db.select(Comment).filter_by(process_id=actor.process_id, actor_id=actor.id, parent_id=None)
        .where(Comment.node_id.is_not(None))
        .options(selectinload(Comment.answers), selectinload(Comment.node).selectinload(GoalNode.action_field))
        .order_by(Comment.created_at, Comment.id)))


def feedback_by_node(actor: Actor) -> dict[str, list[Comment]]:
    """The actor's feedback grouped by the node's UUID (as tree documents name nodes)."""
    grouped: dict[str, list[Comment]] = defaultdict(list)
    for comment in feedback_of(actor):
        grouped[str(comment.node.uuid)].append(comment)
    return dict(grouped)


def feedback_counts(process: Process) -> dict[int, int]:
    """How much feedback each actor of the process gave, by actor id."""
    return dict(db.session.execute(
        db.select(Comment.actor_id, db.func.count(Comment.id))
        .filter_by(process_id=process.id, parent_id=None).where(Comment.actor_id.is_not(None))
        .group_by(Comment.actor_id)).all())
