"""The process around the café: local actors and experts, interviews, comments on the goal tree and
the steering group's decisions (issue 21)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, check_in

ACTOR_KINDS = ("association", "institution", "expert", "person", "other")
COMMENT_KINDS = ("agree", "concern", "comment", "answer")


class Actor(IdentityMixin, TimestampMixin, db.Model):
    """An association, institution or expert of the process's register; no account.

    Their personal secret link (/a/<token>) opens what they are asked for: feedback on the draft
    goal tree, and the online phase of the workshops they are invited to. An organiser replaces the
    link (a new token) or revokes it (no token); either way the old link stops at once.
    """

    __tablename__ = "actors"
    __table_args__ = (CheckConstraint(check_in("kind", ACTOR_KINDS), name="kind"),)

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="association")
    # Whom to reach there and how (person, address, phone), for organisers only.
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    languages: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # The action fields the actor works in (ids of the process's fields).
    field_ids: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    token: Mapped[str | None] = mapped_column(String(64), unique=True)

    process: Mapped["Process"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Actor {self.id} {self.name!r}>"


# Experts invited to contribute to a workshop (an event) through its online phase.
event_invitations = Table(
    "event_invitations", db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
)

# The actors responsible for a goal node, picked from the register (GoalNode.responsible keeps free text).
goal_node_actors = Table(
    "goal_node_actors", db.metadata,
    Column("node_id", ForeignKey("goal_nodes.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
)


class Interview(IdentityMixin, TimestampMixin, db.Model):
    """An expert interview: who (from the register, or only a role and organisation), when, notes.
    Its statements are ideas of origin "interview" in the interview's event."""

    __tablename__ = "interviews"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(200), default="", server_default="")
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    held_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")

    event: Mapped["Event"] = relationship()  # noqa: F821
    actor: Mapped[Actor | None] = relationship()

    def __repr__(self) -> str:
        return f"<Interview {self.id} of event {self.event_id}>"


class Comment(IdentityMixin, TimestampMixin, db.Model):
    """Feedback on a goal node or a snapshot: an actor's (through their link) or a staff member's
    (the steering group); organisers answer (a comment with `parent_id`) and resolve."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(check_in("kind", COMMENT_KINDS), name="kind"),
        CheckConstraint("node_id IS NOT NULL OR snapshot_id IS NOT NULL", name="has_subject"),
    )

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("goal_nodes.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="comment")
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    node: Mapped["GoalNode | None"] = relationship()  # noqa: F821
    snapshot: Mapped["Snapshot | None"] = relationship()  # noqa: F821
    actor: Mapped[Actor | None] = relationship()
    user: Mapped["User | None"] = relationship(foreign_keys=[user_id])  # noqa: F821
    answers: Mapped[list[Comment]] = relationship(order_by="Comment.created_at")

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.kind}>"


decision_nodes = Table(
    "decision_nodes", db.metadata,
    Column("decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("node_id", ForeignKey("goal_nodes.id", ondelete="CASCADE"), primary_key=True),
)


class Decision(IdentityMixin, TimestampMixin, db.Model):
    """One entry of the process's decision log: what the steering group decided, when, at which meeting."""

    __tablename__ = "decisions"

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    meeting: Mapped[str] = mapped_column(String(200), default="", server_default="")
    text: Mapped[str] = mapped_column(Text)

    nodes: Mapped[list["GoalNode"]] = relationship(secondary=decision_nodes)  # noqa: F821

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.decided_on}>"
