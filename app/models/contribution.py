"""Ideas (contributions) and their translations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, check_in, utcnow

ORIGINS = ("participant", "host", "interview", "paper_scan", "online")
STATUSES = ("new", "clustered", "in_goal_tree", "merged", "duplicate")


class Contribution(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint(check_in("origin", ORIGINS), name="origin"),
        CheckConstraint(check_in("status", STATUSES), name="status"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        # A resent form carries the same key and finds the idea already stored.
        UniqueConstraint("event_id", "idempotency_key"),
        Index("ix_contributions_event_round_table", "event_id", "round_id", "table_id"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("cafe_tables.id", ondelete="SET NULL"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    action_field_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_fields.id", ondelete="SET NULL"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), index=True)
    # A statement of an expert interview (origin "interview").
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(12), default="de")
    origin: Mapped[str] = mapped_column(String(12), default="participant")
    # Written in a pre-moderated online phase and not released yet: hidden (hidden_at set, no
    # reason) until a moderator releases it (app/services/cafe/merging.py, unhide).
    awaiting_release: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(14), default="new")
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Moderation: a hidden idea vanishes from phones, walls and votes but stays in the record.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    # A merged duplicate points at the idea it was merged into (status "merged").
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL"), index=True
    )

    event: Mapped["Event"] = relationship()  # noqa: F821
    round: Mapped["Round | None"] = relationship()  # noqa: F821
    table: Mapped["CafeTable | None"] = relationship()  # noqa: F821
    participant: Mapped["Participant | None"] = relationship()  # noqa: F821
    action_field: Mapped["ActionField | None"] = relationship()  # noqa: F821
    cluster: Mapped["Cluster | None"] = relationship()  # noqa: F821
    interview: Mapped["Interview | None"] = relationship()  # noqa: F821
    translations: Mapped[list[ContributionTranslation]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan"
    )
    merged_into: Mapped["Contribution | None"] = relationship(remote_side="Contribution.id")

    @property
    def visible(self) -> bool:
        """Shown on phones, walls and votes: not hidden and not merged into another idea."""
        return self.hidden_at is None and self.merged_into_id is None

    def translation(self, language: str) -> str | None:
        """The text in `language`: the original if written in it, else a stored translation."""
        if language == self.language:
            return self.text
        found = self.translation_row(language)
        return found.text if found is not None else None

    def translation_row(self, language: str) -> ContributionTranslation | None:
        return next((t for t in self.translations if t.language == language), None)

    def __repr__(self) -> str:
        return f"<Contribution {self.id} {self.text[:30]!r}>"


class ContributionTranslation(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "contribution_translations"
    __table_args__ = (
        UniqueConstraint("contribution_id", "language"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
    )

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    # Who made it: a machine translator (never overwrites a human one), else a person: an
    # interpreter or organiser (translator_id), or a table host (no account, named in made_by).
    machine: Mapped[bool] = mapped_column(default=False, server_default=false())
    made_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="translations")
    translator: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ContributionTranslation {self.contribution_id} {self.language}>"
