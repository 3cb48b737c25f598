"""Rounds: which one is current, and how much time it has left. (Round control comes later.)"""
from datetime import datetime

from app.extensions import db
from app.models import Event, Round
from app.models.base import utcnow

OPEN_STATES = ("running", "paused")


def current_round(event: Event) -> Round | None:
    """The round that is running or paused, if any."""
    return db.session.scalar(
        db.select(Round).where(Round.event_id == event.id, Round.state.in_(OPEN_STATES))
        .order_by(Round.number).limit(1)
    )


def seating_round(event: Event) -> Round | None:
    """The round a new arrival sits down for: the open one, else the next planned one."""
    return current_round(event) or db.session.scalar(
        db.select(Round).where(Round.event_id == event.id, Round.state == "planned")
        .order_by(Round.number).limit(1)
    )


def remaining_seconds(round_: Round, now: datetime | None = None) -> int | None:
    """Seconds left on the round's timer (0 when time is up); None for a round without a timer."""
    if round_.state == "paused":
        return round_.remaining_seconds
    if round_.state != "running" or round_.ends_at is None:
        return None
    return max(0, int((round_.ends_at - (now or utcnow())).total_seconds()))
