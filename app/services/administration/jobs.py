"""Background jobs as rows in the database, worked by `flask jobs work` on any machine.

A worker claims a job with one conditional UPDATE (only one worker's UPDATE matches), so several
workers never run a job twice at once. A job whose worker died is taken again when its lease runs
out; a failed job is retried later, each time waiting longer, up to its `max_attempts`. Nothing lives
in process memory: a restart resumes where the rows say.
"""
import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import DBAPIError, OperationalError

from app.extensions import db
from app.models import Job
from app.models.base import utcnow

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_PAUSE = 3600  # seconds between two tries at most; 8 tries span about an hour and a half
HANDLERS: dict[str, Callable[[dict], None]] = {}


class Retry(Exception):
    """Raised by a handler when the job should run again later (a server down, a timeout)."""


def handler(kind: str):
    """Register the function that does jobs of `kind`; it gets the payload and may raise Retry."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def enqueue(kind: str, payload: dict, *, max_attempts: int = 8) -> Job:
    """Add a job in the current transaction, so it exists exactly when the change that needs it does."""
    job = Job(kind=kind, payload=payload, max_attempts=max_attempts)
    db.session.add(job)
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def claim(worker: str) -> Job | None:
    """Take the oldest job that is due, or a running one whose worker's lease ran out."""
    now = utcnow()
    # A job whose worker died is taken again, unless it has used up its attempts (then it fails:
    # a job that kills its worker every time must not loop for ever).
    _fail_exhausted(now)
    due = or_(and_(Job.state == "queued", Job.run_after <= now),
              and_(Job.state == "running", Job.lease_until < now, Job.attempts < Job.max_attempts))
    for job_id in db.session.scalars(db.select(Job.id).where(due).order_by(Job.run_after, Job.id).limit(5)):
        taken = db.session.execute(
            update(Job).where(Job.id == job_id, due)
            .values(state="running", worker=worker, lease_until=now + LEASE, attempts=Job.attempts + 1)
        ).rowcount
        db.session.commit()
        if taken:
            return db.session.get(Job, job_id, populate_existing=True)
    return None


def _fail_exhausted(now) -> None:
    exhausted = and_(Job.state == "running", Job.lease_until < now, Job.attempts >= Job.max_attempts)
    # Read first: an idle worker polls every second and must not take the write lock each time.
    if db.session.scalar(db.select(Job.id).where(exhausted).limit(1)) is None:
        return
    db.session.execute(
        update(Job).where(exhausted)
        .values(state="failed", finished_at=now, lease_until=None,
                last_error=Job.last_error + " (its worker stopped on the last attempt)"))
    db.session.commit()


def retry_failed(kind: str | None = None) -> int:
    """Queue the failed jobs again with fresh attempts (after a long outage); returns how many."""
    query = update(Job).where(Job.state == "failed")
    if kind:
        query = query.where(Job.kind == kind)
    count = db.session.execute(query.values(state="queued", attempts=0, run_after=utcnow(),
                                            finished_at=None)).rowcount
    db.session.commit()
    return count


def _temporary(error: Exception) -> bool:
    """Worth trying again later: the handler says so, or the database connection broke."""
    return isinstance(error, (Retry, OperationalError)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def run_one(job: Job) -> None:
    """Run a claimed job and record how it ended; the handler's changes commit with its state."""
    function = HANDLERS.get(job.kind)
    try:
        if function is None:
            raise RuntimeError(f"no handler for job kind {job.kind!r}")
        function(dict(job.payload))
    except Exception as error:  # a failing job must never stop the worker
        db.session.rollback()
        job = db.session.get(Job, job.id, populate_existing=True)
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        job.lease_until = None
        if job.attempts >= job.max_attempts or not _temporary(error):
            job.state = "failed"
            job.finished_at = utcnow()
            log.warning("job %s failed for good: %s", job.id, job.last_error)
        else:
            job.state = "queued"
            job.run_after = utcnow() + timedelta(seconds=min(MAX_PAUSE, 15 * 2 ** job.attempts))
        db.session.commit()
        return
    job.state, job.finished_at, job.lease_until, job.last_error = "done", utcnow(), None, ""
    db.session.commit()


def work(*, once: bool = False, idle_sleep: float = 1.0, worker: str | None = None) -> int:
    """Claim and run jobs until stopped (or, with `once`, until none is due). Returns how many ran."""
    worker = worker or worker_name()
    done = 0
    while True:
        try:
            job = claim(worker)
        except Exception:  # the database restarting: wait and try again, never die
            log.exception("could not claim a job")
            db.session.rollback()
            job = None
            if once:
                raise
        if job is None:
            if once:
                return done
            time.sleep(idle_sleep)
            continue
        try:
            run_one(job)
        except Exception:  # the database went away while recording the outcome: the lease brings it back
            log.exception("could not record the outcome of job %s", job.id)
            db.session.rollback()
            if once:
                raise
            time.sleep(idle_sleep)
            continue
        done += 1
