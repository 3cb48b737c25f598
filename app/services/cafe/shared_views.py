"""Rendered answers shared by every worker and machine: made once per change, then read.

A table's live fragment (app/participate/routes.py) is the same for every phone at the table in
one language, and its URL names the revisions it was made from, so the first worker to make it
stores it here under that URL and every other worker reads it in one indexed read instead of
rendering it again. Nothing here is ever stale: a change moves a revision, and so the URL.
Rows live for KEEP_SECONDS, long enough for every phone to have fetched them. Used where
several machines may serve one event (PostgreSQL); on SQLite each worker renders for itself.
"""
import time

from sqlalchemy import bindparam, delete, insert, select

from app.models import SharedView
from app.services.cafe import live

KEEP_SECONDS = 600
PRUNE_EVERY = 60  # seconds, per worker

_views = SharedView.__table__
_FETCH = live.Prepared(select(_views.c.body).where(_views.c.key == bindparam("key")))
_KEEP = live.Prepared(insert(_views).values(key=bindparam("key"), body=bindparam("body"), made_at=bindparam("made_at")))
_PRUNE = live.Prepared(delete(_views).where(_views.c.made_at < bindparam("before")))
_next_prune = 0.0


def fetch_or_make(engine, key: str, make) -> str:
    """The answer stored under `key`, else `make()`'s, stored for the others (the first one wins).

    Not on SQLite: its workers share one machine and one writer, and a write per rendering would
    wait behind the hall's ideas and dots for a rendering that costs a few milliseconds. (The load
    runs with and without it on SQLite differed less than two runs of the same code.)
    """
    if engine.dialect.name == "sqlite":
        return make()
    with live.reader(engine) as read:
        rows = _FETCH.rows(read, key=key)
    if rows:
        return rows[0][0]
    body = make()
    with live.reader(engine) as read:
        now = int(time.time())
        try:  # the reader's connection commits each statement by itself (autocommit on PostgreSQL)
            _KEEP.run(read, key=key, body=body, made_at=now)
        except read.dialect.loaded_dbapi.IntegrityError:
            pass  # another worker stored it meanwhile: the same bytes
        _prune(read, now)
    return body


def _prune(read: live.Reader, now: int) -> None:
    global _next_prune
    if time.monotonic() >= _next_prune:
        _next_prune = time.monotonic() + PRUNE_EVERY
        _PRUNE.run(read, before=now - KEEP_SECONDS)


def forget(code: str) -> None:
    """Drop the event's stored answers at once (its participants' data are being purged)."""
    from app.extensions import db
    db.session.execute(delete(SharedView).where(SharedView.key.like(f"%/e/{code}/%")))
