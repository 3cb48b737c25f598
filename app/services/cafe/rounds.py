"""Rounds: which one is current, how much time it has left, and the moderator's controls.

The state machine `planned → running ⇄ paused → closed` lives here and nowhere else. Every
control first bumps the event's revision, which takes the event's row lock on PostgreSQL (and the
write lock on SQLite), so two moderators clicking at once act one after the other and the second
sees what the first did. A partial unique index keeps at most one open round per event regardless.
"""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Event, Round
from app.models.event import OPEN_STATES
from app.models.base import utcnow
from app.services.cafe import live, rotation
from app.services.cafe.events import refuse_if_closed
from app.services.errors import Conflict, DomainError

MAX_EXTENSION_MINUTES = 120

# Which states each control starts from.
ALLOWED_FROM = {
    "start": ("planned",),
    "pause": ("running",),
    "resume": ("paused",),
    "extend": ("running", "paused"),
    "close": ("running", "paused"),
}

REFUSALS = {
    "start": _l("Diese Runde kann nicht mehr gestartet werden: sie läuft schon oder ist beendet."),
    "pause": _l("Nur eine laufende Runde kann pausiert werden."),
    "resume": _l("Nur eine pausierte Runde kann fortgesetzt werden."),
    "extend": _l("Nur eine laufende oder pausierte Runde kann verlängert werden."),
    "close": _l("Diese Runde ist nicht offen und kann nicht beendet werden."),
}


def current_round(event: Event) -> Round | None:
    """The round that is running or paused, if any."""
    return db.session.scalar(
        db.select(Round).where(Round.event_id == event.id, Round.state.in_(OPEN_STATES))
        .order_by(Round.number).limit(1)
    )


def next_planned_round(event: Event) -> Round | None:
    return db.session.scalar(
        db.select(Round).where(Round.event_id == event.id, Round.state == "planned")
        .order_by(Round.number).limit(1)
    )


def seating_round(event: Event) -> Round | None:
    """The round a new arrival sits down for: the open one, else the next planned one."""
    return current_round(event) or next_planned_round(event)


def remaining_seconds(round_: Round, now: datetime | None = None) -> int | None:
    """Seconds left on the round's timer (0 when time is up); None for a round without a timer."""
    if round_.state == "paused":
        return round_.remaining_seconds
    if round_.state != "running" or round_.ends_at is None:
        return None
    return max(0, int((round_.ends_at - (now or utcnow())).total_seconds()))


def _locked(round_: Round, action: str) -> Round:
    """Serialise controls of one event, then re-read the round and check the move is allowed."""
    live.bump(round_.event)
    db.session.refresh(round_)
    if action in ("start", "resume", "extend"):
        refuse_if_closed(round_.event)  # a closed event's rounds only end
    if round_.state not in ALLOWED_FROM[action]:
        raise Conflict(REFUSALS[action])
    return round_


def start(round_: Round, now: datetime | None = None) -> Round:
    """Start a planned round; refused while another round of the event is open."""
    now = now or utcnow()
    _locked(round_, "start")
    other = current_round(round_.event)
    if other is not None:
        raise Conflict(_l("Runde %(number)d ist noch offen. Beenden Sie sie zuerst.", number=other.number))
    round_.state = "running"
    round_.started_at = now
    round_.ends_at = now + timedelta(minutes=round_.duration_minutes)
    round_.remaining_seconds = None
    try:
        db.session.flush()
    except IntegrityError:
        # The index caught a round opened in the same instant by another moderator.
        raise Conflict(_l("Gerade wurde eine andere Runde gestartet. Bitte laden Sie die Seite neu."))
    rotation.seat_started_round(round_)
    return round_


def pause(round_: Round, now: datetime | None = None) -> Round:
    """Stop the clock and keep the time left."""
    now = now or utcnow()
    _locked(round_, "pause")
    round_.remaining_seconds = remaining_seconds(round_, now)
    round_.state = "paused"
    round_.ends_at = None
    db.session.flush()
    return round_


def resume(round_: Round, now: datetime | None = None) -> Round:
    """Run the clock again with the time that was left at the pause."""
    now = now or utcnow()
    _locked(round_, "resume")
    round_.ends_at = now + timedelta(seconds=round_.remaining_seconds or 0)
    round_.remaining_seconds = None
    round_.state = "running"
    db.session.flush()
    return round_


def extend(round_: Round, minutes: int, now: datetime | None = None) -> Round:
    """Give an open round more time; a round whose time is up gets the minutes from now."""
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise DomainError(_l("Bitte verlängern Sie um 1 bis %(max)d Minuten.", max=MAX_EXTENSION_MINUTES))
    now = now or utcnow()
    _locked(round_, "extend")
    if round_.state == "paused":
        round_.remaining_seconds = (round_.remaining_seconds or 0) + minutes * 60
    else:
        round_.ends_at = max(round_.ends_at or now, now) + timedelta(minutes=minutes)
    db.session.flush()
    return round_


def close(round_: Round, now: datetime | None = None) -> Round:
    """End an open round for good; a closed round cannot restart."""
    _locked(round_, "close")
    round_.state = "closed"
    round_.closed_at = now or utcnow()
    round_.remaining_seconds = None
    db.session.flush()
    return round_


def next_round(event: Event, now: datetime | None = None) -> Round:
    """Close the open round, if any, and start the next planned one."""
    open_round = current_round(event)
    if open_round is not None:
        close(open_round, now)
    upcoming = next_planned_round(event)
    if upcoming is None:
        raise Conflict(_l("Es gibt keine weitere geplante Runde."))
    return start(upcoming, now)


CONTROLS = {"start": start, "pause": pause, "resume": resume, "close": close}
