"""What the participation report counts, read once per report as plain rows: who took part, where
they sat, the visible ideas and their dots, for a set of events that access resolved.

Who took part: those who joined at the event (or online), and registered people who were checked
in, seated, wrote an idea or gave a dot; a registration alone (waiting, cancelled, never come) is
no participation. Ideas: hidden ones (also those awaiting release) and duplicates merged into
another idea are left out, as on the walls and in the vote; a dot counts where it is now (a merge
moved it to the idea kept).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_

from app.extensions import db
from app.models import CafeTable, Contribution, Event, Participant, Round, Seat, Vote


def took_part():
    """SQL: the participant took part (see the module's docstring)."""
    return or_(Participant.registration_state.is_(None), Participant.checked_in_at.is_not(None),
               exists().where(Seat.participant_id == Participant.id),
               exists().where(Contribution.participant_id == Participant.id),
               exists().where(Vote.participant_id == Participant.id))


def visible_idea():
    """SQL: the idea counts (neither hidden nor merged into another)."""
    return (Contribution.hidden_at.is_(None)) & (Contribution.merged_into_id.is_(None))


@dataclass(frozen=True)
class Person:
    id: int
    event_id: int
    language: str  # the language they write in
    arrived_at: datetime  # checked in, else joined; a registered person: their first seat, else registering


@dataclass(frozen=True)
class Sitting:
    participant_id: int
    event_id: int
    table: int  # the table's number
    round: int  # the round's number


@dataclass(frozen=True)
class Idea:
    id: int
    event_id: int
    table: int | None
    round: int | None
    language: str
    action_field_id: int | None
    created_at: datetime
    dots: int


@dataclass(frozen=True)
class Dot:
    event_id: int
    idea_id: int
    given_at: datetime


@dataclass
class Data:
    events: list[Event]
    people: list[Person]
    sittings: list[Sitting]
    ideas: list[Idea]
    dots: list[Dot]


def load(events: list[Event]) -> Data:
    """Everything the report counts for `events`, in five queries however large they are."""
    ids = [event.id for event in events]
    if not ids:
        return Data(events, [], [], [], [])
    first_seat = dict(db.session.execute(
        db.select(Seat.participant_id, func.min(Seat.created_at))
        .join(Participant, Seat.participant_id == Participant.id)
        .where(Participant.event_id.in_(ids), Participant.registration_state.is_not(None))
        .group_by(Seat.participant_id)).all())
    people = []
    for pid, event_id, language, created, checked_in, registered in db.session.execute(
            db.select(Participant.id, Participant.event_id, Participant.writing_language, Participant.created_at,
                      Participant.checked_in_at, Participant.registration_state)
            .where(Participant.event_id.in_(ids), took_part()).order_by(Participant.id)):
        arrived = checked_in or (created if registered is None else first_seat.get(pid) or created)
        people.append(Person(pid, event_id, language, arrived))
    sittings = [Sitting(pid, event_id, table, round_) for pid, event_id, table, round_ in db.session.execute(
        db.select(Seat.participant_id, Participant.event_id, CafeTable.number, Round.number)
        .join(Participant, Seat.participant_id == Participant.id)
        .join(CafeTable, Seat.table_id == CafeTable.id).join(Round, Seat.round_id == Round.id)
        .where(Participant.event_id.in_(ids)))]
    dots = [Dot(event_id, idea_id, given) for event_id, idea_id, given in db.session.execute(
        db.select(Contribution.event_id, Vote.contribution_id, Vote.created_at)
        .join(Contribution, Vote.contribution_id == Contribution.id)
        .where(Contribution.event_id.in_(ids), visible_idea()).order_by(Vote.id))]
    dots_per_idea: dict[int, int] = {}
    for dot in dots:
        dots_per_idea[dot.idea_id] = dots_per_idea.get(dot.idea_id, 0) + 1
    ideas = [Idea(idea_id, event_id, table, round_, language, field, created, dots_per_idea.get(idea_id, 0))
             for idea_id, event_id, table, round_, language, field, created in db.session.execute(
                 db.select(Contribution.id, Contribution.event_id, CafeTable.number, Round.number,
                           Contribution.language, Contribution.action_field_id, Contribution.created_at)
                 .outerjoin(CafeTable, Contribution.table_id == CafeTable.id)
                 .outerjoin(Round, Contribution.round_id == Round.id)
                 .where(Contribution.event_id.in_(ids), visible_idea()).order_by(Contribution.id))]
    return Data(events, people, sittings, ideas, dots)

