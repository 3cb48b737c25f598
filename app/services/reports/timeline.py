"""The process on one timeline: every event (café, workshop, interviews, multiplier round,
conference, online phase) with its dates and counts, the evaluation snapshots and the steering
group's decisions, in date order.

Counts follow the participation report (services.reports.participation_data): who took part, the
visible ideas (neither hidden nor merged into another) and the dots on them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import to_user_timezone
from sqlalchemy import func
from sqlalchemy.orm import defer, selectinload

from app.extensions import db
from app.models import Contribution, Decision, Event, Interview, Participant, Process, Snapshot, Vote
from app.services.reports.participation_data import took_part, visible_idea

# On one day: the events first, then what was decided about them, then the tree frozen after.
KIND_ORDER = {"event": 0, "decision": 1, "snapshot": 2}


@dataclass
class Entry:
    kind: str  # "event", "snapshot" or "decision"
    on: date | None  # where it stands on the timeline; None: an event without any date (at the end)
    event: Event | None = None
    snapshot: Snapshot | None = None
    taken_at: datetime | None = None  # a snapshot's moment, in the process's time zone
    decision: Decision | None = None
    counts: dict = field(default_factory=dict)  # participants, ideas, dots, interviews

    @property
    def sort_key(self):
        return (self.on is None, self.on or date.max, KIND_ORDER[self.kind],
                self.taken_at or datetime.min, self.event.id if self.event else 0,
                self.decision.id if self.decision else 0)


def _event_day(event: Event, first_interview: date | None) -> date | None:
    """The event's first day: the day it takes place, or its online phase's first day if earlier;
    for interviews without a date of their own, the first interview's."""
    days = [day for day in (event.starts_on, event.online_starts_on) if day is not None]
    return min(days) if days else first_interview


def _per_event(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def timeline(process: Process) -> list[Entry]:
    """Every event, snapshot and decision of the process in date order (undated events last)."""
    events = list(db.session.scalars(db.select(Event).filter_by(process_id=process.id)
                                     .options(selectinload(Event.action_field)).order_by(Event.id)))
    in_process = Event.process_id == process.id
    participants = _per_event(db.select(Participant.event_id, func.count(Participant.id))
                              .join(Event, Participant.event_id == Event.id)
                              .where(in_process, took_part()).group_by(Participant.event_id))
    ideas = _per_event(db.select(Contribution.event_id, func.count(Contribution.id))
                       .join(Event, Contribution.event_id == Event.id)
                       .where(in_process, visible_idea()).group_by(Contribution.event_id))
    dots = _per_event(db.select(Contribution.event_id, func.count(Vote.id))
                      .join(Contribution, Vote.contribution_id == Contribution.id)
                      .join(Event, Contribution.event_id == Event.id)
                      .where(in_process, visible_idea()).group_by(Contribution.event_id))
    interviews, first_interview = {}, {}
    for event_id, count, first in db.session.execute(
            db.select(Interview.event_id, func.count(Interview.id), func.min(Interview.held_on))
            .join(Event, Interview.event_id == Event.id).where(in_process).group_by(Interview.event_id)):
        interviews[event_id], first_interview[event_id] = count, first
    entries = [Entry("event", _event_day(event, first_interview.get(event.id)), event=event, counts={
        "participants": participants.get(event.id, 0), "ideas": ideas.get(event.id, 0),
        "dots": dots.get(event.id, 0), "interviews": interviews.get(event.id, 0)}) for event in events]
    for snapshot in db.session.scalars(db.select(Snapshot).filter_by(process_id=process.id)
                                       .options(defer(Snapshot.document))):
        moment = to_user_timezone(snapshot.taken_at)
        entries.append(Entry("snapshot", moment.date(), snapshot=snapshot, taken_at=moment))
    for decision in db.session.scalars(db.select(Decision).filter_by(process_id=process.id)
                                       .options(selectinload(Decision.nodes))):
        entries.append(Entry("decision", decision.decided_on, decision=decision))
    return sorted(entries, key=lambda entry: entry.sort_key)
