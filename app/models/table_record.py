"""What a table host records besides ideas: photos of the paper tablecloth and round summaries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, utcnow

PHOTO_TYPES = ("image/jpeg", "image/png")


class TablePhoto(IdentityMixin, TimestampMixin, db.Model):
    """A photo of a tablecloth, resized and stripped of EXIF, kept in the database for any server."""

    __tablename__ = "table_photos"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="content_type"),
        CheckConstraint("byte_size > 0", name="byte_size_positive"),
    )

    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    # Deferred: listing photos must not load megabytes of image data.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    table: Mapped["CafeTable"] = relationship()  # noqa: F821
    round: Mapped["Round | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<TablePhoto {self.id} table={self.table_id} {self.width}x{self.height}>"


class RoundSummary(IdentityMixin, TimestampMixin, db.Model):
    """The host's short summary of what a table discussed in one round, for the harvest."""

    __tablename__ = "round_summaries"
    __table_args__ = (UniqueConstraint("table_id", "round_id"),)

    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<RoundSummary table={self.table_id} round={self.round_id}>"
