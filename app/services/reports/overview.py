"""What the moderator console and the projector show: tables at a glance, the latest ideas."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import CafeTable, Contribution, Event, Round, Seat
from app.models.base import utcnow

QUIET_AFTER_MINUTES = 5  # a running round's table with people but no idea for this long is marked


@dataclass
class TableStatus:
    table: CafeTable
    ideas: int = 0
    seated: int = 0
    last_activity: datetime | None = None
    quiet_minutes: int | None = None  # set when people sit there and nobody has written for a while


def tables_at_a_glance(event: Event, round_: Round | None) -> list[TableStatus]:
    """For every table: ideas and seated participants in `round_`, and when the last idea came in.

    Two grouped queries, however many tables there are.
    """
    statuses = {table.id: TableStatus(table) for table in event.tables}
    if round_ is None:
        return list(statuses.values())
    ideas = db.session.execute(
        db.select(Contribution.table_id, func.count(Contribution.id), func.max(Contribution.created_at))
        .where(Contribution.event_id == event.id, Contribution.round_id == round_.id)
        .group_by(Contribution.table_id)
    )
    for table_id, count, latest in ideas:
        if table_id in statuses:
            statuses[table_id].ideas = count
            statuses[table_id].last_activity = latest  # max() keeps the column's UTC type
    seated = db.session.execute(
        db.select(Seat.table_id, func.count(Seat.id)).where(Seat.round_id == round_.id).group_by(Seat.table_id)
    )
    for table_id, count in seated:
        if table_id in statuses:
            statuses[table_id].seated = count
    if round_.state == "running" and round_.started_at is not None:
        now = utcnow()
        for status in statuses.values():
            since = max(status.last_activity or round_.started_at, round_.started_at)
            minutes = int((now - since).total_seconds() // 60)
            if status.seated and minutes >= QUIET_AFTER_MINUTES:
                status.quiet_minutes = minutes
    return list(statuses.values())


def latest_ideas(event: Event, round_: Round | None, limit: int = 12) -> list[Contribution]:
    """The newest ideas of the round, for the projector's wall."""
    if round_ is None:
        return []
    return list(db.session.scalars(
        db.select(Contribution).where(Contribution.event_id == event.id, Contribution.round_id == round_.id,
                                      Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))
        .options(selectinload(Contribution.translations), selectinload(Contribution.table))
        .order_by(Contribution.id.desc()).limit(limit)
    ))
