"""An event of a process, its rounds and its tables."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import IdentityMixin, LocalizedText, TimestampMixin, UTCDateTime, check_in
from app.tokens import new_token

EVENT_FORMATS = ("world_cafe", "workshop", "multiplier_round", "interview", "conference", "online")
ROUND_STATES = ("planned", "running", "paused", "closed")
OPEN_STATES = ("running", "paused")  # a round people are at: at most one per event
VOTE_STATES = ("none", "open", "closed")
# What the projector shows, chosen on the console (app/projector/routes.py).
PROJECTOR_SCENES = ("question", "wall", "vote", "rotation", "pause")


class Event(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(check_in("format", EVENT_FORMATS), name="format"),
        CheckConstraint(check_in("vote_state", VOTE_STATES), name="vote_state"),
        CheckConstraint(check_in("projector_scene", PROJECTOR_SCENES), name="projector_scene"),
        CheckConstraint("vote_dots BETWEEN 1 AND 50 AND vote_max_per_idea BETWEEN 1 AND vote_dots",
                        name="vote_limits"),
    )

    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20), default="world_cafe")
    starts_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    # Short, case-insensitive join code printed on posters (stored upper case).
    code: Mapped[str] = mapped_column(String(12), unique=True)
    default_language: Mapped[str] = mapped_column(String(12), default="de")
    # Languages the questions and posters are given in, the default first.
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["de"])
    # Bumped in the same transaction as every change the console or the projector shows
    # (app/services/cafe/live.py); phones follow the narrower revisions below.
    revision: Mapped[int] = mapped_column(default=0)
    # Bumped by changes every phone shows: rounds, the vote, the event's settings.
    phones_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Closed by an organiser, or counted as closed EVENT_CLOSES_AFTER_DAYS after starts_on
    # (app/services/cafe/events.py): host links stop and phones only read.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When `flask privacy purge` removed nicknames and self-descriptions; the ideas stay.
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Read-only link for the projector laptop, which needs no staff login.
    projector_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    # Off: participants choose their table freely each round instead of a proposed rotation.
    rotation_enabled: Mapped[bool] = mapped_column(default=True)
    # Dot voting: closed until the moderator opens it; each participant has vote_dots dots,
    # at most vote_max_per_idea on one idea.
    vote_state: Mapped[str] = mapped_column(String(10), default="none")
    vote_dots: Mapped[int] = mapped_column(default=5)
    vote_max_per_idea: Mapped[int] = mapped_column(default=3)
    projector_scene: Mapped[str] = mapped_column(String(10), default="question", server_default="question")
    # An online phase (app/services/cafe/online.py): from the first to the last day, inclusive,
    # every question of the event is open at once to people without a table; format "online" is
    # only that.
    online_starts_on: Mapped[date | None] = mapped_column(Date)
    online_ends_on: Mapped[date | None] = mapped_column(Date)
    # Pre-moderation: online ideas reach others only once a moderator released them.
    online_premoderated: Mapped[bool] = mapped_column(default=False, server_default=false())
    # How many people have joined: the last personal number handed out (Participant.number).
    participants_joined: Mapped[int] = mapped_column(default=0, server_default="0")
    # Registration before the event (app/services/cafe/registration.py): open or not, and how
    # many places; beyond them people join a waiting list that moves up on cancellation.
    registration_open: Mapped[bool] = mapped_column(default=False, server_default=false())
    registration_capacity: Mapped[int | None]
    # What people read on the registration page above the form, per language (childcare, access,
    # what to bring); part of a process template (app/services/administration/process_templates.py).
    registration_note: Mapped[dict] = mapped_column(LocalizedText, default=dict, server_default="{}")
    # A workshop bound to one action field: its ideas land in that field (issue 21).
    action_field_id: Mapped[int | None] = mapped_column(ForeignKey("action_fields.id", ondelete="SET NULL"))

    process: Mapped["Process"] = relationship(back_populates="events")  # noqa: F821
    action_field: Mapped["ActionField | None"] = relationship()  # noqa: F821
    # Experts of the register invited to contribute through the online phase.
    invited: Mapped[list["Actor"]] = relationship(secondary="event_invitations")  # noqa: F821
    rounds: Mapped[list[Round]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Round.number"
    )
    tables: Mapped[list[CafeTable]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="CafeTable.number"
    )

    def __repr__(self) -> str:
        return f"<Event {self.code} {self.title!r}>"


class Round(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint(check_in("state", ROUND_STATES), name="state"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("number > 0", name="number_positive"),
        # At most one round per event is running or paused, even when two moderators click at once.
        Index("uq_rounds_one_open_per_event", "event_id", unique=True,
              sqlite_where=text("state IN ('running', 'paused')"),
              postgresql_where=text("state IN ('running', 'paused')")),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]
    question: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    duration_minutes: Mapped[int] = mapped_column(default=20)
    state: Mapped[str] = mapped_column(String(10), default="planned")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The timer: clients count down to ends_at; a pause keeps the rest in remaining_seconds.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remaining_seconds: Mapped[int | None]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="rounds")

    def __repr__(self) -> str:
        return f"<Round {self.number} of event {self.event_id} {self.state}>"


class InterpreterAssignment(IdentityMixin, TimestampMixin, db.Model):
    """An interpreter of the process (a membership with its languages) at one table in one round."""

    __tablename__ = "interpreter_assignments"
    __table_args__ = (UniqueConstraint("membership_id", "round_id"),)

    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"), index=True)

    membership: Mapped["Membership"] = relationship()  # noqa: F821
    round: Mapped[Round] = relationship()
    table: Mapped["CafeTable"] = relationship()

    def __repr__(self) -> str:
        return f"<InterpreterAssignment {self.membership_id} round={self.round_id} table={self.table_id}>"


class CafeTable(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "cafe_tables"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(120), default="")
    topic: Mapped[dict] = mapped_column(LocalizedText, default=dict)
    # Whoever holds the host link is the table host; long and random, never the short code.
    host_token: Mapped[str] = mapped_column(String(64), unique=True)
    # When the host link was last opened, so the console shows which tables have a host.
    host_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who hosts the table and the languages they speak (stored codes), for seating by language.
    host_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    host_languages: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # Bumped by changes the phones at this table show: its ideas and their translations.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship(back_populates="tables")

    def __repr__(self) -> str:
        return f"<CafeTable {self.number} of event {self.event_id}>"
