"""Dot votes and merges of duplicate ideas (which move dots, and can be undone)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime


class Vote(IdentityMixin, TimestampMixin, db.Model):
    """One dot a participant put on an idea. Several rows for several dots on the same idea."""

    __tablename__ = "votes"
    __table_args__ = (Index("ix_votes_participant_contribution", "participant_id", "contribution_id"),)

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    # Where the dot was given, when a merge moved it: an undo puts it back there.
    original_contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL")
    )

    participant: Mapped["Participant"] = relationship()  # noqa: F821
    contribution: Mapped["Contribution"] = relationship(foreign_keys=[contribution_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<Vote participant={self.participant_id} idea={self.contribution_id}>"


class Merge(IdentityMixin, TimestampMixin, db.Model):
    """A duplicate (source) merged into another idea (target), kept so the merge can be undone."""

    __tablename__ = "merges"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    source_status: Mapped[str] = mapped_column(String(14))
    # The dots moved onto the target (vote ids), and those above the per-idea cap that went back to
    # their participants ([{"participant_id": ..}]): an undo puts both back where they were.
    moved_votes: Mapped[list] = mapped_column(JSON, default=list)
    returned_votes: Mapped[list] = mapped_column(JSON, default=list)
    # Who merged: a staff user, or the host of a table.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("cafe_tables.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    source: Mapped["Contribution"] = relationship(foreign_keys=[source_id])  # noqa: F821
    target: Mapped["Contribution"] = relationship(foreign_keys=[target_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<Merge {self.source_id} -> {self.target_id}{' undone' if self.undone_at else ''}>"
