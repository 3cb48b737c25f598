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
from contextlib import contextmanager
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import and_, bindparam, false, func, select, update

from app.extensions import db
from app.models import CafeTable, Contribution, Event, Participant, Round, Seat
from app.models.event import OPEN_STATES
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
    _bump_rows(CafeTable, event, table_ids)


def bump_participants(event: Event, participant_ids: Iterable[int]) -> None:
    """A change only these people's phones show (their seat); staff see it too."""
    _bump_rows(Participant, event, participant_ids)
    bump_staff(event)


def _bump_rows(model, event: Event, row_ids: Iterable[int | None]) -> None:
    """Increase `revision` of these rows of the event's tables or participants, in SQL, and expire
    the loaded copies so the next read sees the new value."""
    ids = sorted({row_id for row_id in row_ids if row_id is not None})
    if not ids:
        return
    db.session.execute(update(model).where(model.id.in_(ids), model.event_id == event.id)
                       .values(revision=model.revision + 1).execution_options(synchronize_session=False))
    for row in db.session.identity_map.values():
        if isinstance(row, model) and row.id in ids:
            db.session.expire(row, ["revision"])


# The polls' reads. Each is a Core statement compiled once per dialect and run on the driver's
# own cursor: the polls run the same few statements thousands of times a minute, and SQLAlchemy's
# work around each execution costs ten times the indexed read itself.
_events, _tables, _people = Event.__table__, CafeTable.__table__, Participant.__table__
_ideas, _rounds, _seats = Contribution.__table__, Round.__table__, Seat.__table__


class Reader(NamedTuple):
    """A driver connection (the pool's, or the ORM session's) and the dialect that speaks to it."""

    connection: object
    dialect: object


def session_reader() -> Reader:
    """A Reader on the ORM session's connection, inside its transaction, after its pending changes."""
    db.session.flush()
    return Reader(db.session.connection().connection, db.engine.dialect)


@contextmanager
def reader(engine):
    """A Reader on a connection of the engine's pool, given back afterwards; dropped if anything
    failed on it, so a connection the database closed (a restart) is not handed out again.

    On PostgreSQL the reads run in autocommit: a poll is then one round trip per statement,
    without BEGIN and ROLLBACK around it. Each read names the revisions it was made from, so two
    reads need no common snapshot; a change between them only makes the next poll answer again.
    """
    connection = engine.raw_connection()
    autocommit = engine.dialect.name == "postgresql"
    try:
        if autocommit:
            connection.driver_connection.autocommit = True
        yield Reader(connection, engine.dialect)
        if autocommit:
            connection.driver_connection.autocommit = False
    except Exception:
        connection.invalidate()
        raise
    finally:
        connection.close()


class Prepared:
    """A Core statement, compiled once per dialect, run on a Reader's driver cursor."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: dict = {}

    def rows(self, read: Reader, **params) -> list[tuple]:
        return self.run(read, fetch=True, **params)

    def run(self, read: Reader, fetch: bool = False, **params):
        """Execute on the Reader's connection; the rows if `fetch`."""
        compiled = self._compiled.get(read.dialect.name)
        if compiled is None:
            compiled = self._compiled[read.dialect.name] = self.statement.compile(dialect=read.dialect)
        arguments = [params[name] for name in compiled.positiontup] if compiled.positional else params
        cursor = read.connection.cursor()
        try:
            cursor.execute(compiled.string, arguments)
            return cursor.fetchall() if fetch else None
        finally:
            cursor.close()


# The revisions a live ETag may name, by the letter that names them in the tag.
COUNTERS = {
    "e": (_events, _events.c.revision),
    "E": (_events, _events.c.phones_revision),
    "t": (_tables, _tables.c.revision),
    "p": (_people, _people.c.revision),
}
_revision_statements: dict[str, Prepared] = {}


def revisions(read: Reader, kinds: str, ids: list[int]) -> tuple:
    """The current revisions of `kinds` (letters of COUNTERS) for `ids`, in one indexed read.

    A row that is gone reads as None.
    """
    statement = _revision_statements.get(kinds)
    if statement is None:
        statement = _revision_statements[kinds] = Prepared(select(*(
            select(column).where(table.c.id == bindparam(f"id{position}")).scalar_subquery()
            for position, (table, column) in enumerate(COUNTERS[kind] for kind in kinds))))
    rows = statement.rows(read, **{f"id{position}": value for position, value in enumerate(ids)})
    return tuple(rows[0]) if rows else ()


class Phone(NamedTuple):
    id: int
    code: str
    revision: int
    phones_revision: int
    default_language: str
    participant_id: int | None
    participant_revision: int | None
    token: str | None


MAX_TOKENS = 16  # events one phone joined that are looked at; more is a forged or an odd cookie
_phone_statements: dict[int, Prepared] = {}


def _phone_statement(count: int) -> Prepared:
    statement = _phone_statements.get(count)
    if statement is None:
        tokens = [bindparam(f"token{n}") for n in range(count)]
        statement = _phone_statements[count] = Prepared(
            select(_events.c.id, _events.c.code, _events.c.revision, _events.c.phones_revision,
                   _events.c.default_language, _people.c.id, _people.c.revision, _people.c.token)
            .select_from(_events.outerjoin(_people, and_(_people.c.event_id == _events.c.id,
                                                          _people.c.token.in_(tokens) if tokens else false())))
            .where(_events.c.code == bindparam("code")))
    return statement


def phone_now(read: Reader, code: str, tokens: dict) -> Phone | None:
    """The event with join code `code` and this phone's participant in it, in one read; None: no event.

    `tokens` is the phone's signed cookie (event id -> participant token). The participant's id
    and revision are None where the phone is no participant of this event.
    """
    wanted = [token for token in tokens.values() if isinstance(token, str)][:MAX_TOKENS]
    rows = _phone_statement(len(wanted)).rows(
        read, code=normalise_code(code), **{f"token{n}": token for n, token in enumerate(wanted)})
    if not rows:
        return None
    phone = Phone(*rows[0])
    if phone.participant_id is not None and tokens.get(str(phone.id)) != phone.token:
        return phone._replace(participant_id=None, participant_revision=None)
    return phone


_TABLE = Prepared(
    select(_tables.c.revision, _ideas.c.uuid)
    .select_from(_tables.outerjoin(_ideas, and_(
        _ideas.c.table_id == _tables.c.id, _ideas.c.participant_id == bindparam("participant_id"),
        _ideas.c.round_id == bindparam("round_id"), _ideas.c.hidden_at.is_(None),
        _ideas.c.merged_into_id.is_(None))))
    .where(_tables.c.id == bindparam("table_id"))
    .order_by(_ideas.c.id)
)


def table_now(read: Reader, table_id: int, participant_id: int, round_id: int | None) -> tuple[int | None, list[str]]:
    """Table `table_id`'s revision and the participant's visible ideas there in `round_id`, in one read."""
    rows = _TABLE.rows(read, table_id=table_id, participant_id=participant_id, round_id=round_id)
    if not rows:
        return None, []
    # The driver gives a UUID (PostgreSQL) or its 32 hex digits (SQLite).
    return rows[0][0], [str(value if isinstance(value, UUID) else UUID(value)) for _, value in rows if value]


_TABLE_STATE = Prepared(
    select(_tables.c.number, _tables.c.name,
           select(func.count(_ideas.c.id)).where(
               _ideas.c.table_id == _tables.c.id, _ideas.c.round_id == bindparam("round_id"),
               _ideas.c.hidden_at.is_(None), _ideas.c.merged_into_id.is_(None)).scalar_subquery())
    .where(_tables.c.id == bindparam("table_id"))
)


def table_state(read: Reader, table_id: int, round_id: int | None, shows_ideas: bool) -> dict | None:
    """What every phone at a table shares in any language: its number, name and how many ideas
    it has in the round (none counted before the round starts); None: the table is gone."""
    rows = _TABLE_STATE.rows(read, table_id=table_id, round_id=round_id)
    if not rows:
        return None
    number, name, count = rows[0]
    return {"number": number, "name": name, "idea_count": count if shows_ideas else 0}


class Rounds(NamedTuple):
    """An event's rounds as phones are seated by them: the round now (the open one, else the next
    planned one), its state, the round before it, and every round's place in the order."""

    seating_id: int | None
    seating_state: str | None
    previous_id: int | None
    order: dict


class Place(NamedTuple):
    """Where a participant is now, as ids: the round phones show, their table, where they came from."""

    round_id: int | None
    table_id: int | None
    moved_from_id: int | None


_ROUNDS = Prepared(select(_rounds.c.id, _rounds.c.state).where(_rounds.c.event_id == bindparam("event_id"))
                   .order_by(_rounds.c.number))
_SEATS = Prepared(select(_seats.c.round_id, _seats.c.table_id)
                  .where(_seats.c.participant_id == bindparam("participant_id")))


def rounds_now(read: Reader, event_id: int) -> Rounds:
    """The event's rounds in one read; they change only with the event's phone revision."""
    rows = _ROUNDS.rows(read, event_id=event_id)
    seating = next((i for i, (_, state) in enumerate(rows) if state in OPEN_STATES), None)
    if seating is None:
        seating = next((i for i, (_, state) in enumerate(rows) if state == "planned"), None)
    if seating is None:
        return Rounds(None, None, None, {})
    return Rounds(rows[seating][0], rows[seating][1], rows[seating - 1][0] if seating else None,
                  {round_id: position for position, (round_id, _) in enumerate(rows)})


def place_now(read: Reader, rounds: Rounds, participant_id: int) -> Place:
    """Where the participant sits in the round now, in one read of their seats.

    Moved: they sat at another table in the round before. Until a planned round starts, they sit
    where they sat last.
    """
    if rounds.seating_id is None:
        return Place(None, None, None)
    tables = dict(_SEATS.rows(read, participant_id=participant_id))  # round id -> table id
    table_id, moved_from_id = tables.get(rounds.seating_id), None
    if table_id is not None:
        before = tables.get(rounds.previous_id)
        moved_from_id = before if before is not None and before != table_id else None
    elif rounds.seating_state == "planned" and tables:
        table_id = tables[max(tables, key=lambda round_id: rounds.order.get(round_id, -1))]
    return Place(rounds.seating_id, table_id, moved_from_id)
