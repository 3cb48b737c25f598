"""Participation over time: people arriving, ideas written and dots given per quarter hour of the
event's day, or per day for an event with an online phase and for a process (local time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import to_user_timezone

from app.models import Event
from app.services.cafe.online import has_phase
from app.services.reports.participation_data import Data

QUARTER_HOUR, DAY = "quarter_hour", "day"


@dataclass
class TimePoint:
    start: datetime | date  # local wall-clock time (a quarter hour) or a day
    participants: int = 0
    ideas: int = 0
    dots: int = 0

    @property
    def empty(self) -> bool:
        return not (self.participants or self.ideas or self.dots)


@dataclass
class TimeSeries:
    step: str  # QUARTER_HOUR or DAY
    points: list[TimePoint]  # from the first to the last with anything, gaps filled with empty ones
    day: date | None = None  # the event's day, for quarter hours
    outside: int = 0  # arrivals, ideas and dots on other days than the event's, in no quarter hour


def _local(moment: datetime) -> datetime:
    return to_user_timezone(moment).replace(tzinfo=None)


def _moments(data: Data) -> list[tuple[str, datetime]]:
    return ([("participants", _local(person.arrived_at)) for person in data.people]
            + [("ideas", _local(idea.created_at)) for idea in data.ideas]
            + [("dots", _local(dot.given_at)) for dot in data.dots])


def _quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def over_time(data: Data, event: Event | None) -> TimeSeries:
    """The series for one event (`event`) or for a process (None: per day)."""
    moments = _moments(data)
    if event is None or has_phase(event):
        return _series(DAY, [(kind, moment.date()) for kind, moment in moments], timedelta(days=1))
    day = event.starts_on or (min(moment for _kind, moment in moments).date() if moments else None)
    on_the_day = [(kind, _quarter(moment)) for kind, moment in moments if moment.date() == day]
    series = _series(QUARTER_HOUR, on_the_day, timedelta(minutes=15))
    series.day, series.outside = day, len(moments) - len(on_the_day)
    return series


def _series(step: str, stamped: list[tuple[str, datetime | date]], width: timedelta) -> TimeSeries:
    if not stamped:
        return TimeSeries(step, [])
    first, last = min(start for _kind, start in stamped), max(start for _kind, start in stamped)
    points, start = {}, first
    while start <= last:
        points[start] = TimePoint(start)
        start += width
    for kind, start in stamped:
        point = points[start]
        setattr(point, kind, getattr(point, kind) + 1)
    return TimeSeries(step, list(points.values()))
