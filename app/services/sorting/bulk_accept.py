"""Accepting every suggestion above a threshold: how many per field first, then at once, and back
as one step.

The board's "accept all above X %" says beforehand how many ideas each threshold would take and,
on the confirmation, how many go to each field. What it did is kept (app/models/accepted_batch.py,
one batch per process) until the next batch, so that "undo" sends exactly those ideas back to
unsorted; an idea moved by hand since stays where it was put.
"""
from dataclasses import dataclass

from app.extensions import db
from app.models import AcceptedBatch, ActionField, Contribution, Event, Process, Suggestion
from app.models.base import utcnow
from app.services.sorting import sorting, suggestions

THRESHOLDS = (90, 80, 70, 60, 50)  # percent, as the board offers them


@dataclass
class Preview:
    threshold: int
    total: int
    per_field: list[tuple[ActionField, int]]


def _chosen(process: Process, threshold: int):
    return (db.select(Suggestion).join(Contribution).join(Event)
            .where(Event.process_id == process.id, Suggestion.confidence >= threshold / 100))


def counts(process: Process) -> dict[int, int]:
    """How many ideas each offered threshold would sort, in one read."""
    confidences = db.session.scalars(
        db.select(Suggestion.confidence).join(Contribution).join(Event).where(Event.process_id == process.id)).all()
    return {percent: sum(1 for value in confidences if value >= percent / 100) for percent in THRESHOLDS}


def preview(process: Process, threshold: int) -> Preview:
    """How many ideas would go to each field at `threshold` percent, fields in the process's order."""
    per_field = dict(db.session.execute(
        _chosen(process, threshold).with_only_columns(Suggestion.action_field_id, db.func.count())
        .group_by(Suggestion.action_field_id)).all())
    fields = [(field, per_field[field.id]) for field in process.action_fields if per_field.get(field.id)]
    return Preview(threshold, sum(count for _, count in fields), fields)


def accept_all(process: Process, threshold: int) -> int:
    """Accept every suggestion at or above `threshold` percent, keeping the batch to undo; how many."""
    chosen = db.session.scalars(_chosen(process, threshold)).all()
    moved = [[suggestion.contribution_id, suggestion.action_field_id] for suggestion in chosen]
    for suggestion in chosen:
        suggestions.accept(suggestion)
    batch = db.session.get(AcceptedBatch, process.id) or AcceptedBatch(process_id=process.id)
    batch.made_at, batch.threshold, batch.ideas = utcnow(), threshold, moved
    db.session.add(batch)
    db.session.flush()
    return len(moved)


def last_batch(process: Process) -> AcceptedBatch | None:
    return db.session.get(AcceptedBatch, process.id)


def undo(process: Process) -> int:
    """Send the last batch's ideas back to unsorted, those still where it put them; how many."""
    batch = db.session.get(AcceptedBatch, process.id)
    if batch is None:
        return 0
    placed = dict((idea_id, field_id) for idea_id, field_id in batch.ideas)
    ideas = [idea for idea in db.session.scalars(db.select(Contribution).where(Contribution.id.in_(placed)))
             if idea.action_field_id == placed[idea.id] and idea.cluster_id is None]
    sorting.move(ideas, None, None)
    db.session.delete(batch)
    db.session.flush()
    return len(ideas)
