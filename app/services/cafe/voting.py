"""Dot voting: the moderator opens and closes the vote; participants give and take back dots.

Each dot is one `Vote` row. A participant has `event.vote_dots` dots and may put at most
`event.vote_max_per_idea` of them on one idea; only visible ideas (not hidden, not merged) of
their own event take dots, and only while the vote is open.

Concurrency: several taps at once (one phone tapping fast, or two phones of one person, on several
workers) must never exceed the limits. So `give_dot` and `take_back_dot` first write the
participant's row, which takes its row lock on PostgreSQL and the write lock on SQLite; only then
do they read the vote state and count, so the second tap sees what the first one did. Last before
the commit they bump the event's revision, which waits for a moderator closing the vote at the
same moment, and read the vote state again: a dot never lands after a close has committed, and
the event's row, which every tap in the hall bumps, is locked only briefly. No lock lives in
Python memory.
"""
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, update
from sqlalchemy.orm import selectinload

from app import limits
from app.extensions import db
from app.models import CafeTable, Contribution, Event, Participant, Round, Vote
from app.models.base import utcnow
from app.services.cafe import live
from app.services.errors import Conflict, DomainError, NotFound
from app.services.cafe.events import refuse_if_closed
from app.services.cafe.seating import latest_seat

MAX_DOTS = 50

NOT_OPEN = {
    "none": _l("Die Abstimmung ist noch nicht geöffnet."),
    "closed": _l("Die Abstimmung ist beendet."),
}


@dataclass
class Result:
    """One idea with the dots it got."""

    idea: Contribution
    dots: int


def _visible(query):
    return query.where(Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))


def open_vote(event: Event, dots: int, max_per_idea: int) -> Event:
    """Open the vote with `dots` per participant and at most `max_per_idea` on one idea.

    Allowed before the first vote and after a close; reopening keeps the dots already given.
    """
    if not 1 <= dots <= MAX_DOTS:
        raise DomainError(_l("Bitte geben Sie 1 bis %(max)d Punkte pro Person an.", max=MAX_DOTS))
    if not 1 <= max_per_idea <= dots:
        raise DomainError(_l("„Höchstens pro Idee“ muss zwischen 1 und der Zahl der Punkte pro Person (%(max)d) liegen.",
                             max=dots))
    # Serialise with another moderator and with dots in flight, then look at the state afresh.
    live.bump(event)
    db.session.refresh(event)
    refuse_if_closed(event)
    if event.vote_state == "open":
        raise Conflict(_l("Die Abstimmung ist schon geöffnet."))
    event.vote_dots = dots
    event.vote_max_per_idea = max_per_idea
    event.vote_state = "open"
    event.projector_scene = "vote"  # the hall sees the dots come in; the console can switch back
    db.session.flush()
    return event


def close_vote(event: Event) -> Event:
    """Close an open vote; dots given stay, no further dot is taken or given back."""
    live.bump(event)
    db.session.refresh(event)
    if event.vote_state != "open":
        raise Conflict(_l("Die Abstimmung ist nicht geöffnet und kann nicht beendet werden."))
    event.vote_state = "closed"
    db.session.flush()
    return event


def votable_idea(event: Event, idea_uuid) -> Contribution:
    """An idea of `event` by its UUID, looked up only within that event."""
    idea = db.session.scalar(db.select(Contribution).filter_by(event_id=event.id, uuid=idea_uuid))
    if idea is None:
        raise NotFound(_l("Diese Idee gibt es bei dieser Veranstaltung nicht."))
    return idea


def _lock_and_check(participant: Participant, idea: Contribution) -> Event:
    """Serialise this participant's taps, then check the vote window and the idea.

    The event and the idea were read at the start of this request, a moment ago; the event's
    row is not locked here: `_confirm_open` reads it fresh under its lock, last before the commit,
    so a close or a change of the limits in between still refuses the tap."""
    if idea.event_id != participant.event_id:
        raise NotFound(_l("Diese Idee gibt es bei dieser Veranstaltung nicht."))
    # The first write of the transaction: on SQLite it takes the write lock at once (a read
    # before it in this transaction could not be upgraded under load); on PostgreSQL it locks
    # the participant's row.
    db.session.execute(
        update(Participant).where(Participant.id == participant.id).values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    event = participant.event
    refuse_if_closed(event)
    if event.vote_state != "open":
        raise Conflict(NOT_OPEN[event.vote_state])
    if not idea.visible:
        raise Conflict(_l("Über diese Idee kann nicht abgestimmt werden."))
    return event


def _confirm_open(event: Event) -> None:
    """Last before the commit: bump the event's revision (the projector shows the dots), which waits
    for a close in flight, then read the vote fresh: a dot never lands after a close has committed.

    Every tap in the hall bumps this one row, so it stays locked only for this and the commit; on
    PostgreSQL, locking it at the start of the tap made the taps of a full hall queue for seconds."""
    limits_counted = (event.vote_dots, event.vote_max_per_idea)
    live.bump_staff(event)
    db.session.refresh(event)
    if event.vote_state != "open" or (event.vote_dots, event.vote_max_per_idea) != limits_counted:
        raise Conflict(NOT_OPEN[event.vote_state if event.vote_state != "open" else "closed"])


@dataclass(frozen=True)
class Tally:
    """A participant's dots after a tap: on the idea tapped, still to give, and in all."""

    on_idea: int
    left: int
    total: int


def _counts(participant: Participant, idea: Contribution) -> tuple[int, int]:
    """The participant's dots on visible ideas, and on `idea`, in one read."""
    given, on_idea = db.session.execute(
        _visible(db.select(func.count(Vote.id), func.coalesce(func.sum(case((Vote.contribution_id == idea.id, 1),
                                                                            else_=0)), 0))
                 .join(Contribution, Vote.contribution_id == Contribution.id)
                 .where(Vote.participant_id == participant.id))
    ).one()
    return given, on_idea


@dataclass(frozen=True)
class OwnDots:
    """A participant's dots, read once: per idea (hidden ones too), per group of visible ideas
    (round id, table id), and how many of them are on visible ideas."""

    per_idea: dict[int, int]
    per_group: dict[tuple, int]
    given: int

    def left(self, event: Event) -> int:
        """How many of their dots the participant can still give (never below zero; a dot on an
        idea hidden since is theirs again)."""
        return max(0, event.vote_dots - self.given)


def own_dots(participant: Participant) -> OwnDots:
    """The participant's dots, in one read."""
    visible = and_(Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))
    rows = db.session.execute(
        db.select(Vote.contribution_id, Contribution.round_id, Contribution.table_id, visible, func.count(Vote.id))
        .join(Contribution, Vote.contribution_id == Contribution.id)
        .where(Vote.participant_id == participant.id)
        .group_by(Vote.contribution_id, Contribution.round_id, Contribution.table_id,
                  Contribution.hidden_at, Contribution.merged_into_id))
    per_idea, per_group, given = {}, {}, 0
    for idea_id, round_id, table_id, shown, count in rows:
        per_idea[idea_id] = count
        if shown:
            per_group[(round_id, table_id)] = per_group.get((round_id, table_id), 0) + count
            given += count
    return OwnDots(per_idea, per_group, given)


def give_dot(participant: Participant, idea: Contribution) -> Tally:
    """Put one of the participant's dots on `idea`; refused beyond the limits or outside the vote."""
    event = _lock_and_check(participant, idea)
    limits.check_votes(participant)  # 429 beyond the dots a minute; after the lock, so taps in parallel count
    given, on_idea = _counts(participant, idea)
    if given >= event.vote_dots:
        raise Conflict(_l("Sie haben alle Ihre Punkte vergeben. Nehmen Sie einen Punkt zurück, um ihn neu zu setzen."))
    if on_idea >= event.vote_max_per_idea:
        raise Conflict(_l("Diese Idee hat schon so viele Punkte von Ihnen, wie möglich sind (höchstens %(max)d).",
                          max=event.vote_max_per_idea))
    db.session.add(Vote(participant_id=participant.id, contribution_id=idea.id))
    db.session.flush()
    _confirm_open(event)
    return Tally(on_idea + 1, event.vote_dots - given - 1, event.vote_dots)


def take_back_dot(participant: Participant, idea: Contribution) -> Tally:
    """Take one of the participant's dots off `idea` again, while the vote is open (never rate-limited)."""
    event = _lock_and_check(participant, idea)
    vote = db.session.scalar(
        db.select(Vote).where(Vote.participant_id == participant.id, Vote.contribution_id == idea.id)
        .order_by(Vote.id.desc()).limit(1)
    )
    if vote is None:
        raise Conflict(_l("Sie haben dieser Idee keinen Punkt gegeben."))
    given, on_idea = _counts(participant, idea)
    db.session.delete(vote)
    db.session.flush()
    _confirm_open(event)
    return Tally(on_idea - 1, max(0, event.vote_dots - given + 1), event.vote_dots)


def results(event: Event, limit: int | None = None) -> list[Result]:
    """The event's visible ideas with their dots, most dots first, ties by the older idea first."""
    dots = func.count(Vote.id)
    query = (
        _visible(db.select(Contribution, dots).outerjoin(Vote, Vote.contribution_id == Contribution.id)
                 .where(Contribution.event_id == event.id))
        .group_by(Contribution.id).order_by(dots.desc(), Contribution.id)
        .options(selectinload(Contribution.translations))
    )
    if limit is not None:
        query = query.limit(limit)
    return [Result(idea, count) for idea, count in db.session.execute(query)]


class Ref(NamedTuple):
    """A round or a table as the vote page needs it: its id and its number."""

    id: int
    number: int


@dataclass
class Group:
    """The visible ideas of one table in one round: the vote page shows one group at a time."""

    round: Ref | None
    table: Ref | None
    ideas: int
    own_dots: int = 0

    @property
    def key(self) -> str:
        """The group in a URL: round and table number, 0 for none (an idea typed in after the café)."""
        return f"{self.round.number if self.round else 0}-{self.table.number if self.table else 0}"

    def holds(self, round_id: int | None, table_id: int | None) -> bool:
        """Whether an idea (or a seat) of this round and table belongs to this group."""
        return (self.round.id if self.round else None, self.table.id if self.table else None) == (round_id, table_id)


def _group_order(group: Group) -> tuple:
    return (group.round is None, group.round.number if group.round else 0,
            group.table is None, group.table.number if group.table else 0)


def vote_groups(event: Event, dots: OwnDots | None = None) -> list[Group]:
    """The event's visible ideas counted by round and table, in that order, with the participant's
    `dots` in each; one grouped read, however many ideas and tables there are."""
    counts = db.session.execute(
        _visible(db.select(Contribution.round_id, Round.number, Contribution.table_id, CafeTable.number,
                           func.count(Contribution.id))
                 .outerjoin(Round, Round.id == Contribution.round_id)
                 .outerjoin(CafeTable, CafeTable.id == Contribution.table_id)
                 .where(Contribution.event_id == event.id))
        .group_by(Contribution.round_id, Round.number, Contribution.table_id, CafeTable.number))
    per_group = dots.per_group if dots else {}
    groups = [Group(Ref(round_id, round_number) if round_id is not None else None,
                    Ref(table_id, table_number) if table_id is not None else None,
                    count, per_group.get((round_id, table_id), 0))
              for round_id, round_number, table_id, table_number, count in counts]
    return sorted(groups, key=_group_order)


def group_to_show(groups: list[Group], key: str | None, participant: Participant) -> Group | None:
    """The group asked for by its key; else the participant's own table in their latest round;
    else the first group."""
    if not groups:
        return None
    found = next((group for group in groups if group.key == key), None)
    if found is None:
        seat = latest_seat(participant)
        found = next((group for group in groups if seat and group.holds(seat.round_id, seat.table_id)), groups[0])
    return found


def ideas_to_vote_on(event: Event, group: Group | None = None) -> list[Contribution]:
    """The visible ideas of the event (of one group, if given), in the order they came in,
    with their translations."""
    query = _visible(db.select(Contribution).where(Contribution.event_id == event.id))
    if group is not None:
        query = query.where(
            Contribution.round_id == group.round.id if group.round else Contribution.round_id.is_(None),
            Contribution.table_id == group.table.id if group.table else Contribution.table_id.is_(None),
        )
    return list(db.session.scalars(
        query.options(selectinload(Contribution.translations))
        .order_by(Contribution.id)
    ))
