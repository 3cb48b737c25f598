"""A participation process and its action fields (Handlungsfelder)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, LocalizedText, TimestampMixin, UTCDateTime, localized


class Process(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "processes"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    default_language: Mapped[str] = mapped_column(String(12), default="de")
    # Suggestions are recomputed in the background after sortings change; these timestamps let
    # exactly one worker compute at a time, and tell the board whether they are current.
    suggestions_stale_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suggestions_computing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suggestions_computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Days after an event's date until its personal data is purged and return links end
    # (`flask privacy purge` proposes it); the anonymous ideas are kept.
    retention_days: Mapped[int] = mapped_column(default=365, server_default="365")
    # Public results (app/public): off until an organiser opts in; then a page for the whole town
    # with the goal tree and the ideas that fed it, and the downloads named here (app.exports.FORMATS).
    results_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The format keys, space-separated: a plain string, since PostgreSQL cannot compare JSON and
    # lists of processes are made DISTINCT.
    published_downloads: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def published_formats(self) -> list[str]:
        return self.published_downloads.split()

    @published_formats.setter
    def published_formats(self, keys: list[str]) -> None:
        self.published_downloads = " ".join(keys)

    action_fields: Mapped[list[ActionField]] = relationship(
        back_populates="process", cascade="all, delete-orphan", order_by="ActionField.position"
    )
    events: Mapped[list["Event"]] = relationship(  # noqa: F821
        back_populates="process", cascade="all, delete-orphan", order_by="Event.id"
    )
    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="process", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Process {self.id} {self.title!r}>"


class ActionField(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "action_fields"
    __table_args__ = (
        CheckConstraint("colour LIKE '#%' AND length(colour) = 7", name="colour_hex"),
    )

    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    description: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    colour: Mapped[str] = mapped_column(String(7), default="#1d70b8")
    position: Mapped[int] = mapped_column(default=0)

    process: Mapped[Process] = relationship(back_populates="action_fields")

    def name_in(self, locale: str) -> str:
        return localized(self.name, locale)[0]

    def __repr__(self) -> str:
        return f"<ActionField {self.id} {self.name.get('de')!r}>"
