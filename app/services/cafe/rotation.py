"""Rotation between World-Café rounds: who goes to which table next, in the database.

`propose` (app/services/cafe/rotation_search.py, re-exported here) is the pure algorithm over ids;
`plan_for`, `apply`, `apply_proposal`, `move`, `set_rotation` and `seat_started_round` (called by
`rounds.start`) are the database side. The plan passes each person's interpretation need (given
with consent at registration) and each table's languages in the round (its host's and those of
the interpreters assigned to it), so people who need interpretation stay where it is spoken.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import CafeTable, Event, Participant, Round, Seat
from app.services.cafe import live, table_languages
from app.services.cafe.rotation_search import Proposal, count_needs_met, count_repeats, propose
from app.services.errors import Conflict, NotFound
from app.services.cafe.seating import carry_seats_forward, previous_round


# The database side: seats of earlier rounds in, seats of the coming round out.

@dataclass
class PlannedSeat:
    participant: Participant
    table: CafeTable
    came_from: CafeTable | None  # their table in the previous round
    proposed: bool               # only proposed; False once the round has this seat
    need: str | None = None      # the language they need interpreted, if any (with consent)
    need_met: bool = False       # their table speaks it in this round


@dataclass
class Plan:
    """Where everyone goes in `round`: seats it has already, and the proposal for the rest."""

    round: Round
    previous: Round | None
    seats: list[PlannedSeat]
    proposed: dict[int, int]  # participant id -> table id, not yet written
    repeats: int
    hosted: set[int] = field(default_factory=set)
    coverage: dict[int, set[str]] = field(default_factory=dict)  # table id -> languages spoken there
    needs_met: int = 0  # people with an interpretation need at a table with their language
    needs: int = 0      # people with an interpretation need in the round

    def spoken_at(self, table: CafeTable) -> list[str]:
        """The languages besides German spoken at `table` in this round."""
        return table_languages.besides_german(self.coverage.get(table.id, ()))

    def nowhere(self, language: str) -> bool:
        """No table speaks `language` in this round."""
        return not any(language in languages for languages in self.coverage.values())

    def by_table(self, tables: list[CafeTable]) -> list[tuple[CafeTable, list[PlannedSeat]]]:
        seated: dict[int, list[PlannedSeat]] = defaultdict(list)
        for seat in self.seats:
            seated[seat.table.id].append(seat)
        return [(table, seated[table.id]) for table in tables]


def plan_for(event: Event, round_: Round) -> Plan:
    """The seats of `round_`: who already sits where, and a proposal for the previous round's others.

    Only people seated in the previous round are placed; later arrivals choose their table. With
    rotation switched off the proposal is that everyone stays at their table. People with an
    interpretation need are kept at tables that speak their language in this round.
    """
    _check_round(event, round_)
    previous = previous_round(round_)
    history, current, last = _seatings(event, round_, previous)
    tables = list(event.tables)
    hosted = {table.id for table in tables if table.host_seen_at is not None}
    to_place = sorted(person for person in last if person not in current)
    needs = table_languages.interpretation_needs(event, [*current, *to_place])
    coverage = table_languages.covered_languages(event, round_)
    if event.rotation_enabled:
        proposal: Proposal = propose(history, to_place, [table.id for table in tables], hosted, fixed=current,
                                     needs=needs, coverage=coverage)
        proposed, repeats = proposal.seats, proposal.repeats
    else:
        proposed = {person: last[person] for person in to_place}
        repeats, _ = count_repeats(history, {**current, **proposed}, hosted)
    everyone = {**current, **proposed}
    people = {p.id: p for p in db.session.scalars(
        db.select(Participant).where(Participant.event_id == event.id, Participant.id.in_(everyone)))}
    by_id = {table.id: table for table in tables}
    seats = [PlannedSeat(people[person], by_id[table], by_id.get(last.get(person)), person in proposed,
                         needs.get(person), needs.get(person) in coverage.get(table, ()))
             for person, table in sorted(everyone.items()) if person in people and table in by_id]
    needs_met, needs_total = count_needs_met(everyone, needs, coverage)
    return Plan(round_, previous, seats, proposed, repeats, hosted, coverage, needs_met, needs_total)


def _seatings(event: Event, round_: Round, previous: Round | None):
    """Earlier rounds' seatings in order, this round's seats, and the previous round's."""
    earlier = list(db.session.scalars(
        db.select(Round.id).where(Round.event_id == event.id, Round.number < round_.number)
        .order_by(Round.number)))
    by_round: dict[int, dict[int, int]] = {round_id: {} for round_id in [*earlier, round_.id]}
    rows = db.session.execute(
        db.select(Seat.round_id, Seat.participant_id, Seat.table_id)
        .where(Seat.round_id.in_(by_round)).order_by(Seat.id))
    for round_id, person, table in rows:
        by_round[round_id][person] = table
    last = by_round[previous.id] if previous is not None else {}
    return [by_round[round_id] for round_id in earlier], by_round[round_.id], last


def apply(event: Event, round_: Round, seats: dict[int, int]) -> int:
    """Write `seats` (participant id -> table id) for `round_`, replacing their seats in it.

    Returns how many people were seated; bumps the revision so phones show their new table.
    """
    _check_round(event, round_)
    if not seats:
        return 0
    tables = {table.id for table in event.tables}
    people = set(db.session.scalars(
        db.select(Participant.id).where(Participant.event_id == event.id, Participant.id.in_(seats))))
    if not people.issuperset(seats):
        raise NotFound(_l("Diese Person nimmt an dieser Veranstaltung nicht teil."))
    if not tables.issuperset(seats.values()):
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    existing = {seat.participant_id: seat for seat in db.session.scalars(
        db.select(Seat).where(Seat.round_id == round_.id, Seat.participant_id.in_(seats)))}
    for person, table in seats.items():
        if person in existing:
            existing[person].table_id = table
        else:
            db.session.add(Seat(participant_id=person, round_id=round_.id, table_id=table))
    db.session.flush()
    live.bump(event)
    return len(seats)


def seat_started_round(round_: Round) -> int:
    """Seat the previous round's people for `round_`, which has just started; returns how many.

    With rotation they go where the proposal says; seats the round already has (a proposal the
    moderator applied or changed, a table someone chose) stay. Without rotation everyone keeps
    their table and may choose another on their phone.
    """
    if not round_.event.rotation_enabled:
        return carry_seats_forward(round_)
    return apply_proposal(round_.event, round_)


def apply_proposal(event: Event, round_: Round) -> int:
    """Seat everyone the proposal for `round_` places; returns how many. Refused without rotation."""
    if not event.rotation_enabled:
        raise Conflict(_l("Die Rotation ist ausgeschaltet: Es gibt keinen Vorschlag zu übernehmen."))
    return apply(event, round_, plan_for(event, round_).proposed)


def move(participant: Participant, table: CafeTable, round_: Round) -> Seat:
    """The moderator seats one participant at `table` for `round_`, whatever was proposed."""
    event = participant.event
    if table.event_id != event.id:
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    apply(event, round_, {participant.id: table.id})
    return db.session.scalar(db.select(Seat).filter_by(participant_id=participant.id, round_id=round_.id))


def set_rotation(event: Event, enabled: bool) -> None:
    """Switch rotation on, or off so that people keep their table and choose a new one themselves."""
    event.rotation_enabled = enabled
    db.session.flush()
    live.bump(event)


def _check_round(event: Event, round_: Round) -> None:
    if round_.event_id != event.id:
        raise NotFound(_l("Diese Runde gibt es bei dieser Veranstaltung nicht."))
    if round_.state == "closed":
        raise Conflict(_l("Diese Runde ist beendet; ihre Plätze lassen sich nicht mehr ändern."))
