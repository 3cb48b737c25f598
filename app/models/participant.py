"""Pseudonymous participants and where they sit in each round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, check_in

GENDERS = ("female", "male", "diverse", "no_answer")
AGE_BANDS = ("under_18", "18_29", "30_44", "45_64", "65_plus", "no_answer")
MIGRATION_EXPERIENCE = ("own", "family", "none", "no_answer")
# A registration before the event (app/services/cafe/registration.py); NULL for people who
# simply joined at the event.
REGISTRATION_STATES = ("registered", "waiting", "cancelled")


class Participant(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(f"gender IS NULL OR {check_in('gender', GENDERS)}", name="gender"),
        CheckConstraint(f"age_band IS NULL OR {check_in('age_band', AGE_BANDS)}", name="age_band"),
        CheckConstraint(
            "migration_experience IS NULL OR "
            + check_in("migration_experience", MIGRATION_EXPERIENCE),
            name="migration_experience",
        ),
        CheckConstraint(f"registration_state IS NULL OR {check_in('registration_state', REGISTRATION_STATES)}",
                        name="registration_state"),
        UniqueConstraint("event_id", "number"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Secret of the personal return link; the cookie carries it signed.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    interface_language: Mapped[str] = mapped_column(String(12), default="de")
    writing_language: Mapped[str] = mapped_column(String(12), default="de")
    nickname: Mapped[str] = mapped_column(String(40), default="")
    # A short personal number within the event (1, 2, 3 … in the order of joining), shown on the
    # phone, so the projector's rotation plan can name people without a nickname.
    number: Mapped[int | None]
    # Self-description for the diversity report: optional, only with consent.
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gender: Mapped[str | None] = mapped_column(String(12))
    age_band: Mapped[str | None] = mapped_column(String(12))
    migration_experience: Mapped[str | None] = mapped_column(String(12))
    # Languages the person speaks (stored codes): for seating by language at registration, and
    # counted in the participation report only with the self-description's consent.
    languages: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An invited expert contributing through their personal link (app/models/actors.py).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    # Registration: name or pseudonym and an optional address, seen by organisers only.
    registration_state: Mapped[str | None] = mapped_column(String(10))
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Needs (special-category data, DSGVO Art. 9): kept only with needs_consented_at.
    needs_consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    interpretation_language: Mapped[str | None] = mapped_column(String(12))
    childcare_ages: Mapped[str] = mapped_column(String(60), default="", server_default="")  # "3, 6"
    step_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    other_needs: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Bumped when only this phone's view changes: it was seated elsewhere.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped["Event"] = relationship()  # noqa: F821
    seats: Mapped[list[Seat]] = relationship(back_populates="participant", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Participant {self.id} of event {self.event_id}>"


class Seat(IdentityMixin, TimestampMixin, db.Model):
    """Where a participant sits in one round, so rotation can move them between rounds."""

    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("participant_id", "round_id"),)

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"), index=True)

    participant: Mapped[Participant] = relationship(back_populates="seats")
    round: Mapped["Round"] = relationship()  # noqa: F821
    table: Mapped["CafeTable"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Seat participant={self.participant_id} round={self.round_id} table={self.table_id}>"
