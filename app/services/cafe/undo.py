"""Taking back a round that was ended too early, for WINDOW_SECONDS after the click.

"Runde beenden" and "Nächste Runde starten" end a round at once and, with rotation, send every
phone to another table. Each keeps an undo point (app/models/undo.py) beside doing so: the round
that was ended with the time it had left at the click, and the round that was started with the
seats it had before. `undo` puts both back: the ended round open again with that time, the
started one planned with its old seats. Nothing written meanwhile is lost: ideas, photos and
summaries of the started round are filed under the restored one, and whoever joined in between
keeps their table.
"""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update

from app.extensions import db
from app.models import Contribution, Event, Round, RoundSummary, RoundUndo, Seat, TablePhoto
from app.models.base import utcnow
from app.models.event import OPEN_STATES
from app.services.cafe import live, rounds
from app.services.errors import Conflict

WINDOW_SECONDS = 120


def close(round_: Round, now: datetime | None = None) -> Round:
    """`rounds.close`, keeping what it ended."""
    now = now or utcnow()
    ended = _open_state(round_, now)
    rounds.close(round_, now)
    _keep(round_.event, "close", now, ended=ended)
    return round_


def next_round(event: Event, now: datetime | None = None) -> Round:
    """`rounds.next_round`, keeping what it ended and the seats of the round it started."""
    now = now or utcnow()
    open_round = rounds.current_round(event)
    upcoming = rounds.next_planned_round(event)
    ended = _open_state(open_round, now) if open_round else None
    seats = _seats_of(upcoming) if upcoming else []
    started = rounds.next_round(event, now)
    if ended is not None:  # starting the first round ends nothing
        _keep(event, "next", now, ended=ended, started={"id": started.id, "seats": seats})
    return started


def seconds_left_to_undo(event: Event, now: datetime | None = None) -> int:
    """How long the console still offers to undo the last ending (0: nothing to undo)."""
    point = db.session.get(RoundUndo, event.id)
    if point is None:
        return 0
    return max(0, WINDOW_SECONDS - int(((now or utcnow()) - point.made_at).total_seconds()))


def pending(event: Event, now: datetime | None = None) -> RoundUndo | None:
    """The undo point the console offers, if it is still worth something."""
    return db.session.get(RoundUndo, event.id) if seconds_left_to_undo(event, now) else None


def undo(event: Event, now: datetime | None = None) -> Round:
    """Put the rounds back as they were before the last ending; returns the round open again."""
    now = now or utcnow()
    live.bump(event)  # the event's row lock: one undo, not two
    point = db.session.get(RoundUndo, event.id)
    if point is None or seconds_left_to_undo(event, now) == 0:
        raise Conflict(_l("Das lässt sich nicht mehr rückgängig machen: Es ist länger als zwei Minuten her."))
    ended = db.session.get(Round, point.state["ended"]["id"])
    started_state = point.state.get("started")
    started = db.session.get(Round, started_state["id"]) if started_state else None
    open_now = rounds.current_round(event)
    if (ended is None or ended.event_id != event.id or ended.state != "closed"
            or (started_state and (started is None or started.state not in OPEN_STATES))
            or (open_now is not None and open_now is not started)):
        raise Conflict(_l("Das lässt sich nicht mehr rückgängig machen: Die Runden wurden seitdem weiter geändert."))
    if started is not None:
        _unstart(started, ended, started_state["seats"])
    seconds = point.state["ended"]["seconds_left"]  # None: a round without a timer
    ended.closed_at = None
    if point.state["ended"]["state"] == "paused":
        ended.state, ended.ends_at, ended.remaining_seconds = "paused", None, seconds
    else:
        ended.state, ended.remaining_seconds = "running", None
        ended.ends_at = None if seconds is None else now + timedelta(seconds=seconds)
    db.session.delete(point)
    db.session.flush()
    return ended


def _unstart(started: Round, ended: Round, seats: list[list[int]]) -> None:
    """The started round planned again with the seats it had; what was filed under it moves to `ended`."""
    had_seat = set(db.session.scalars(db.select(Seat.participant_id).where(Seat.round_id == ended.id)))
    newcomers = [(person, table) for person, table in db.session.execute(
        db.select(Seat.participant_id, Seat.table_id).where(Seat.round_id == started.id)) if person not in had_seat]
    db.session.execute(delete(Seat).where(Seat.round_id == started.id))
    db.session.add_all([Seat(participant_id=person, round_id=started.id, table_id=table) for person, table in seats])
    db.session.add_all([Seat(participant_id=person, round_id=ended.id, table_id=table) for person, table in newcomers])
    for model in (Contribution, TablePhoto):
        db.session.execute(update(model).where(model.round_id == started.id).values(round_id=ended.id))
    kept = {summary.table_id: summary for summary in db.session.scalars(
        db.select(RoundSummary).where(RoundSummary.round_id == ended.id))}
    for summary in db.session.scalars(db.select(RoundSummary).where(RoundSummary.round_id == started.id)):
        if summary.table_id in kept:
            kept[summary.table_id].text = "\n\n".join(part for part in (kept[summary.table_id].text, summary.text) if part)
            db.session.delete(summary)
        else:
            summary.round_id = ended.id
    started.state, started.started_at, started.ends_at, started.remaining_seconds = "planned", None, None, None
    db.session.flush()  # the started round is no longer open before the ended one opens again


def _open_state(round_: Round, now: datetime) -> dict:
    return {"id": round_.id, "state": round_.state, "seconds_left": rounds.remaining_seconds(round_, now)}


def _seats_of(round_: Round) -> list[list[int]]:
    return [[person, table] for person, table in db.session.execute(
        db.select(Seat.participant_id, Seat.table_id).where(Seat.round_id == round_.id))]


def _keep(event: Event, action: str, now: datetime, **state) -> None:
    point = db.session.get(RoundUndo, event.id)
    if point is None:
        point = RoundUndo(event_id=event.id)
        db.session.add(point)
    point.action, point.made_at, point.state = action, now, state
    db.session.flush()
