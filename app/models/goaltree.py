"""The goal tree (Zielbaum) of a process: nodes, their indicators with measured values, the ideas
they came from, and evaluation snapshots (the tree frozen as a document at a date)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, LocalizedText, TimestampMixin, UTCDateTime, check_in, utcnow

# Leitziel → Handlungsfeld → Ziel (strategic) → Teilziel / Maßnahme (operational), deeper at will.
KINDS = ("leitziel", "handlungsfeld", "ziel", "teilziel", "massnahme")
NODE_STATUSES = ("planned", "in_progress", "done", "dropped")


class GoalNode(IdentityMixin, TimestampMixin, db.Model):
    """One goal or measure in the tree; the root (no parent) is the process's Leitziel."""

    __tablename__ = "goal_nodes"
    __table_args__ = (
        CheckConstraint(check_in("kind", KINDS), name="kind"),
        CheckConstraint(check_in("status", NODE_STATUSES), name="status"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint("parent_id IS NOT NULL OR kind = 'leitziel'", name="root_is_leitziel"),
        CheckConstraint("starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="timeframe"),
        Index("ix_goal_nodes_process_parent", "process_id", "parent_id"),
    )

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal_nodes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(14))
    # A Handlungsfeld node takes its title from its action field, so renaming the field renames it;
    # `title` then keeps the last known name, for when the field is deleted (SET NULL).
    action_field_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_fields.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    description: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    responsible: Mapped[list] = mapped_column(JSON, default=list)  # free-text names of actors
    # ... and actors picked from the process's register (app/models/actors.py).
    actors: Mapped[list["Actor"]] = relationship(secondary="goal_node_actors", order_by="Actor.name")  # noqa: F821
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    # Ideas this node came from that are not ideas of this installation's process (a tree imported
    # from elsewhere): their texts, kept as quotations [{"text", "language", "uuid"}].
    quotes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    process: Mapped["Process"] = relationship()  # noqa: F821
    action_field: Mapped["ActionField | None"] = relationship()  # noqa: F821
    parent: Mapped[GoalNode | None] = relationship(back_populates="children", remote_side="GoalNode.id")
    children: Mapped[list[GoalNode]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(GoalNode.position, GoalNode.id)",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="node", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Indicator.position, Indicator.id)",
    )
    idea_links: Mapped[list[GoalNodeIdea]] = relationship(
        back_populates="node", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def display_title(self) -> dict:
        """The title to show: the action field's name for a linked Handlungsfeld node."""
        if self.kind == "handlungsfeld" and self.action_field is not None:
            return dict(self.action_field.name)
        return dict(self.title)

    def __repr__(self) -> str:
        return f"<GoalNode {self.id} {self.kind} {self.display_title.get('de')!r}>"


class Indicator(IdentityMixin, TimestampMixin, db.Model):
    """A measurable sign of a node's progress: from a baseline towards a target, in dated values."""

    __tablename__ = "indicators"

    node_id: Mapped[int] = mapped_column(ForeignKey("goal_nodes.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_on: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_on: Mapped[date | None] = mapped_column(Date)
    data_source: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)

    node: Mapped[GoalNode] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IndicatorValue.measured_on",
    )

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name.get('de')!r}>"


class IndicatorValue(IdentityMixin, TimestampMixin, db.Model):
    """One measured value of an indicator; at most one per date."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "measured_on"),)

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)

    indicator: Mapped[Indicator] = relationship(back_populates="values")

    def __repr__(self) -> str:
        return f"<IndicatorValue {self.indicator_id} {self.measured_on} {self.value}>"


class GoalNodeIdea(IdentityMixin, TimestampMixin, db.Model):
    """A node came (in part) from this idea: the way back from the council's tree to the phone."""

    __tablename__ = "goal_node_ideas"
    __table_args__ = (UniqueConstraint("node_id", "contribution_id"),)

    node_id: Mapped[int] = mapped_column(ForeignKey("goal_nodes.id", ondelete="CASCADE"))
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )

    node: Mapped[GoalNode] = relationship(back_populates="idea_links")
    contribution: Mapped["Contribution"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<GoalNodeIdea node={self.node_id} idea={self.contribution_id}>"


class Snapshot(IdentityMixin, TimestampMixin, db.Model):
    """The goal tree with its indicator values, frozen as a versioned document (see services.snapshots)."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("process_id", "name"),)

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    document: Mapped[dict] = mapped_column(JSON)

    process: Mapped["Process"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Snapshot {self.id} {self.name!r}>"
