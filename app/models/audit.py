"""What staff did, and how an idea's text changed: kept for organisers to check."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, utcnow


class AuditEntry(TimestampMixin, db.Model):
    """One staff action: rounds, moderation, goal tree, exports, deletions, roles, links.

    Kept AUDIT_RETENTION_DAYS; `subject` names the object as it was then, so an entry still
    reads right after the object is gone."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_process_created", "process_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who, as a name that outlives the account or the host link: an e-mail or "host of table 3".
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.subject!r}>"


class IdeaRevision(db.Model):
    """An idea's text before a change: who changed it (a staff account or a table's host), when."""

    __tablename__ = "idea_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    text_before: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("cafe_tables.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254), default="")

    contribution: Mapped["Contribution"] = relationship()  # noqa: F821
    user: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<IdeaRevision of {self.contribution_id} at {self.changed_at}>"
