"""Background jobs as rows: any worker on any machine claims one with a conditional UPDATE."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, check_in, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(check_in("state", JOB_STATES), name="state"),
        Index("ix_jobs_state_run_after", "state", "run_after"),
    )

    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=8)
    # Not before this time: retries wait longer each time.
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A running job whose worker died is taken again once its lease has run out.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str] = mapped_column(String(80), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state} try {self.attempts}/{self.max_attempts}>"
