"""Live state: every change a phone, the console or the projector must see bumps a revision.

Four counters, each bumped atomically in SQL in the transaction of the change:

- `events.revision`: any change at all; the console and the projector follow it. Every bump below
  moves it, so it is also the event's row lock that serialises rounds, merges and dots.
- `events.phones_revision`: a change every phone shows (rounds, the vote, the event's settings).
- `cafe_tables.revision`: a change the phones at one table show (its ideas, their translations).
- `participants.revision`: a change one phone shows (where its person sits).

A phone's poll names the three revisions of its view, so an idea at table 3 leaves table 5's
phones on a 304. Rows are locked in one order, participants → event → tables, so two changes
never wait on each other in a circle on PostgreSQL.
"""
from collections.abc import Iterable

from sqlalchemy import and_, bindparam, select, update

from app.extensions import db
from app.models import CafeTable, Contribution, Event, Participant
from app.tokens import normalise_code


def bump(event: Event) -> None:
    """A change every phone of the event shows, and the console and projector too."""
    db.session.execute(update(Event).where(Event.id == event.id).values(
        revision=Event.revision + 1, phones_revision=Event.phones_revision + 1))
    db.session.expire(event, ["revision", "phones_revision"])


def bump_staff(event: Event) -> None:
    """A change only the console and the projector show (dots, hosts arriving).

    The UPDATE ... SET revision = revision + 1 lets two workers bump at once without losing one.
    """
    db.session.execute(update(Event).where(Event.id == event.id).values(revision=Event.revision + 1))
    db.session.expire(event, ["revision"])


def bump_tables(event: Event, table_ids: Iterable[int | None]) -> None:
    """A change the phones at these tables show (an idea there, its translation); staff see it too."""
    bump_staff(event)
    ids = sorted({table_id for table_id in table_ids if table_id is not None})
    if ids:
        db.session.execute(update(CafeTable).where(CafeTable.id.in_(ids), CafeTable.event_id == event.id)
                           .values(revision=CafeTable.revision + 1).execution_options(synchronize_session=False))
        for table in db.session.identity_map.values():
            if isinstance(table, CafeTable) and table.id in ids:
                db.session.expire(table, ["revision"])


def bump_participants(event: Event, participant_ids: Iterable[int]) -> None:
    """A change only these people's phones show (their seat); staff see it too."""
    ids = sorted(set(participant_ids))
    if ids:
        db.session.execute(update(Participant).where(Participant.id.in_(ids), Participant.event_id == event.id)
                           .values(revision=Participant.revision + 1).execution_options(synchronize_session=False))
        for person in db.session.identity_map.values():
            if isinstance(person, Participant) and person.id in ids:
                db.session.expire(person, ["revision"])
    bump_staff(event)


# Polls read these with Core statements made once: no ORM objects, no statement built per poll.
_events, _tables, _people = Event.__table__, CafeTable.__table__, Participant.__table__
_ideas = Contribution.__table__

# The revisions a live ETag may name, by the letter that names them in the tag.
COUNTERS = {
    "e": (_events, _events.c.revision),
    "E": (_events, _events.c.phones_revision),
    "t": (_tables, _tables.c.revision),
    "p": (_people, _people.c.revision),
}
_revision_statements: dict[str, object] = {}


def revisions(connection, kinds: str, ids: list[int]) -> tuple:
    """The current revisions of `kinds` (letters of COUNTERS) for `ids`, in one indexed read.

    Runs on a bare connection, without the ORM session, for the polls answered before Flask runs.
    A row that is gone reads as None.
    """
    statement = _revision_statements.get(kinds)
    if statement is None:
        statement = _revision_statements[kinds] = select(*(
            select(column).where(table.c.id == bindparam(f"id{position}")).scalar_subquery()
            for position, (table, column) in enumerate(COUNTERS[kind] for kind in kinds)))
    row = connection.execute(statement, {f"id{position}": value for position, value in enumerate(ids)}).first()
    return tuple(row) if row is not None else ()


_PHONE = (
    select(_events.c.id, _events.c.code, _events.c.revision, _events.c.phones_revision,
           _events.c.default_language, _people.c.id.label("participant_id"),
           _people.c.revision.label("participant_revision"), _people.c.token)
    .select_from(_events.outerjoin(_people, and_(_people.c.event_id == _events.c.id,
                                                  _people.c.token.in_(bindparam("tokens", expanding=True)))))
    .where(_events.c.code == bindparam("code"))
)


def phone_now(connection, code: str, tokens: dict):
    """The event with join code `code` and this phone's participant in it, as one row, or None.

    `tokens` is the phone's signed cookie (event id -> participant token). The row has the event's
    `id`, `code`, `revision`, `phones_revision`, `default_language` and the participant's
    `participant_id` and `participant_revision` (None where the phone is no participant of it).
    """
    wanted = [token for token in tokens.values() if isinstance(token, str)]
    row = connection.execute(_PHONE, {"code": normalise_code(code), "tokens": wanted}).first()
    if row is not None and row.participant_id is not None and tokens.get(str(row.id)) != row.token:
        return row._replace(participant_id=None, participant_revision=None)
    return row


_TABLE = (
    select(_tables.c.revision, _ideas.c.uuid)
    .select_from(_tables.outerjoin(_ideas, and_(
        _ideas.c.table_id == _tables.c.id, _ideas.c.participant_id == bindparam("participant_id"),
        _ideas.c.round_id == bindparam("round_id"), _ideas.c.hidden_at.is_(None),
        _ideas.c.merged_into_id.is_(None))))
    .where(_tables.c.id == bindparam("table_id"))
    .order_by(_ideas.c.id)
)


def table_now(connection, table_id: int, participant_id: int, round_id: int | None) -> tuple[int | None, list[str]]:
    """Table `table_id`'s revision and the participant's visible ideas there in `round_id`, in one read."""
    rows = connection.execute(
        _TABLE, {"table_id": table_id, "participant_id": participant_id, "round_id": round_id}).all()
    if not rows:
        return None, []
    return rows[0].revision, [str(row.uuid) for row in rows if row.uuid is not None]
