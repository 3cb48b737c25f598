"""Comments on the goal tree: the steering group's on nodes and snapshots, the actors' feedback
through their links (the same rows, with `actor_id`), and the organisers' answers and resolutions.

A comment names its subject (a node or a snapshot of one process); an answer is a comment with
`parent_id`, kind "answer", on the same subject. Only comments without a parent are resolved.
"""
from __future__ import annotations

import uuid as uuid_module

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Comment, GoalNode, Process, Snapshot, User
from app.models.base import utcnow
from app.services.errors import DomainError, NotFound

MAX_TEXT_LENGTH = 4000
STAFF_KINDS = ("comment", "concern")  # what a staff member writes; actors may also agree
STATES = ("open", "resolved", "all")

COMMENT_GONE = _l("Diese Rückmeldung gibt es nicht (mehr).")
TEXT_MISSING = _l("Bitte schreiben Sie einen Text.")
TEXT_TOO_LONG = _l("Höchstens %(max)d Zeichen.", max=MAX_TEXT_LENGTH)
UNKNOWN_KIND = _l("Bitte wählen Sie: Anmerkung oder Bedenken.")


def _clean(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(TEXT_MISSING)
    if len(text) > MAX_TEXT_LENGTH:
        raise DomainError(TEXT_TOO_LONG)
    return text


def add_comment(process: Process, user: User, kind: str, text: str, *, node: GoalNode | None = None,
                snapshot: Snapshot | None = None) -> Comment:
    """A staff member's comment or concern on a node or a snapshot of `process` (looked up there)."""
    if kind not in STAFF_KINDS:
        raise DomainError(UNKNOWN_KIND)
    if (node is None) == (snapshot is None) or (node or snapshot).process_id != process.id:
        raise NotFound(COMMENT_GONE)
    comment = Comment(process_id=process.id, node_id=node.id if node else None,
                      snapshot_id=snapshot.id if snapshot else None, user_id=user.id, kind=kind, text=_clean(text))
    db.session.add(comment)
    db.session.flush()
    return comment


def comment_of_process(process: Process, comment_uuid) -> Comment:
    """A comment (not an answer) looked up only among those of `process`."""
    try:
        key = uuid_module.UUID(str(comment_uuid))
    except ValueError:
        raise NotFound(COMMENT_GONE) from None
    comment = db.session.scalar(db.select(Comment).filter_by(process_id=process.id, uuid=key, parent_id=None))
    if comment is None:
        raise NotFound(COMMENT_GONE)
    return comment


def answer(comment: Comment, user: User, text: str) -> Comment:
    """An organiser's answer to `comment`, on the same subject."""
    reply = Comment(process_id=comment.process_id, node_id=comment.node_id, snapshot_id=comment.snapshot_id,
                    parent_id=comment.id, user_id=user.id, kind="answer", text=_clean(text))
    db.session.add(reply)
    db.session.flush()
    return reply


def resolve(comment: Comment, user: User) -> bool:
    """Mark the comment as dealt with; False where it was already."""
    if comment.resolved_at is not None:
        return False
    comment.resolved_at, comment.resolved_by_id = utcnow(), user.id
    db.session.flush()
    return True


def reopen(comment: Comment) -> bool:
    """Open a resolved comment again; False where it was open."""
    if comment.resolved_at is None:
        return False
    comment.resolved_at, comment.resolved_by_id = None, None
    db.session.flush()
    return True


def comments_of(process: Process, *, node: GoalNode | None = None, snapshot: Snapshot | None = None,
                state: str = "all") -> list[Comment]:
    """The comments (with their answers) of the process, or of one node or snapshot of it: open ones
    first, each group oldest first; `state` narrows to "open" or "resolved"."""
    query = (db.select(Comment).filter_by(process_id=process.id, parent_id=None)
             .options(selectinload(Comment.answers).selectinload(Comment.user), selectinload(Comment.actor),
                      selectinload(Comment.user), selectinload(Comment.node), selectinload(Comment.snapshot)))
    if node is not None:
        query = query.filter_by(node_id=node.id)
    if snapshot is not None:
        query = query.filter_by(snapshot_id=snapshot.id)
    if state == "open":
        query = query.where(Comment.resolved_at.is_(None))
    elif state == "resolved":
        query = query.where(Comment.resolved_at.is_not(None))
    comments = list(db.session.scalars(query.order_by(Comment.created_at, Comment.id)))
    return sorted(comments, key=lambda c: c.resolved_at is not None)


def open_counts(process: Process) -> dict[str, int]:
    """How many open comments each node of the process has, by the node's UUID (as a string, as
    tree documents name nodes)."""
    rows = db.session.execute(
        db.select(GoalNode.uuid, db.func.count(Comment.id)).join(GoalNode, GoalNode.id == Comment.node_id)
        .where(Comment.process_id == process.id, Comment.parent_id.is_(None), Comment.resolved_at.is_(None))
        .group_by(GoalNode.uuid))
    return {str(key): count for key, count in rows}


def resolver_of(comment: Comment) -> User | None:
    return db.session.get(User, comment.resolved_by_id) if comment.resolved_by_id else None
