"""Joining an event by its code, being remembered, and sitting at a table."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.extensions import db
from app.models import CafeTable, Event, Participant, Round, Seat
from app.models.base import utcnow
from app.services.cafe import live
from app.services.errors import NoSuchEvent, NotFound
from app.services.cafe.events import is_closed, refuse_if_closed
from app.services.cafe.rounds import seating_round
from app.services.cafe.seating import seat_of
from app.tokens import new_token, normalise_code

NICKNAME_MAX = 40


def event_by_code(code: str) -> Event:
    """The event with this join code (case-insensitive), or a translated 404."""
    event = db.session.scalar(db.select(Event).where(Event.code == normalise_code(code)))
    if event is None:
        raise NoSuchEvent(_l("Zu diesem Code gibt es keine Veranstaltung. Bitte prüfen Sie den Code auf dem Plakat."),
                          normalise_code(code))
    return event


def table_by_number(event: Event, number: int) -> CafeTable:
    table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, number=number))
    if table is None:
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    return table


def participant_by_token(event: Event, token: str | None) -> Participant | None:
    """The participant of *this* event holding `token`; a token of another event finds nobody."""
    if not token:
        return None
    return db.session.scalar(db.select(Participant).filter_by(event_id=event.id, token=token))


def join(event: Event, *, interface_language: str, writing_language: str, nickname: str = "",
         existing: Participant | None = None) -> Participant:
    """A participant of `event`; the one this phone already is, if any, with its choices updated.

    A closed event takes no new participants; one already there may still change languages, but
    not the nickname, which a purge of the closed event's personal data has to leave removed.
    """
    closed = is_closed(event)
    if existing is None and closed:
        refuse_if_closed(event)
    participant = existing or Participant(event=event, token=new_token(), number=next_number(event))
    participant.interface_language = interface_language
    participant.writing_language = writing_language
    if not closed:
        participant.nickname = (nickname or "").strip()[:NICKNAME_MAX]
    participant.last_seen_at = utcnow()
    db.session.add(participant)
    db.session.flush()
    return participant


def next_number(event: Event) -> int:
    """The next personal number of the event, counted in its row (one UPDATE, safe for two workers)."""
    number = db.session.scalar(update(Event).where(Event.id == event.id)
                               .values(participants_joined=Event.participants_joined + 1)
                               .returning(Event.participants_joined))
    db.session.expire(event, ["participants_joined"])
    return number


def sit_down(participant: Participant, table: CafeTable, round_: Round | None = None) -> Seat | None:
    """Seat the participant at `table` for `round_` (default: the open or next round).

    One seat per round, so a later round can put them elsewhere; sitting down again moves them.
    """
    if table.event_id != participant.event_id:
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    round_ = round_ or seating_round(participant.event)
    if round_ is None:
        return None
    seat = seat_of(participant, round_)
    if seat is None or seat.table_id != table.id:
        refuse_if_closed(participant.event)  # where they sit stays as it was
    if participant.registration_state is not None and participant.checked_in_at is None:
        participant.checked_in_at = utcnow()  # a registered person at a table has arrived
    if seat is None:
        seat = Seat(participant=participant, round=round_, table=table)
        db.session.add(seat)
    elif seat.table_id == table.id:
        return seat
    else:
        seat.table = table
    db.session.flush()
    live.bump_participants(participant.event, [participant.id])
    return seat
