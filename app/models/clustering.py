"""Sorting ideas into action fields: named clusters (sub-topics), and the stored suggestions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, utcnow


class Cluster(IdentityMixin, TimestampMixin, db.Model):
    """A named group of ideas inside an action field: a sub-topic that may become a goal."""

    __tablename__ = "clusters"

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    action_field_id: Mapped[int] = mapped_column(ForeignKey("action_fields.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    action_field: Mapped["ActionField"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Cluster {self.id} {self.name!r}>"


class Suggestion(IdentityMixin, TimestampMixin, db.Model):
    """The most likely action field for an unsorted idea, with a confidence, and the runner-up.

    Computed in the background and stored, so the board never waits for the model.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    )

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), unique=True
    )
    action_field_id: Mapped[int] = mapped_column(ForeignKey("action_fields.id", ondelete="CASCADE"))
    confidence: Mapped[float] = mapped_column(Float)
    runner_up_id: Mapped[int | None] = mapped_column(ForeignKey("action_fields.id", ondelete="CASCADE"))
    runner_up_confidence: Mapped[float | None] = mapped_column(Float)
    # Fields the organiser rejected for this idea; a recomputation never suggests them again.
    rejected_field_ids: Mapped[list] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action_field: Mapped["ActionField"] = relationship(foreign_keys=[action_field_id])  # noqa: F821
    runner_up: Mapped["ActionField | None"] = relationship(foreign_keys=[runner_up_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<Suggestion idea={self.contribution_id} field={self.action_field_id} {self.confidence:.2f}>"


class ClusterCandidate(IdentityMixin, TimestampMixin, db.Model):
    """A group of similar unsorted ideas the model proposes as a cluster, with a suggested label."""

    __tablename__ = "cluster_candidates"

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    contribution_ids: Mapped[list] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<ClusterCandidate {self.label!r} {len(self.contribution_ids)} ideas>"
