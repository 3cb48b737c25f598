"""How the app holds its database connections: SQLite's settings, and a dropped PostgreSQL
connection noticed on checkout at the cost of a round trip only where one may have gone stale.

SQLAlchemy's `pool_pre_ping` would ping on every checkout: on PostgreSQL that is a SELECT 1 and
the transaction it opens, two of the four round trips of a phone's unchanged poll. Here a
connection is pinged only when it lay unused in the pool for PING_AFTER_IDLE seconds; in a busy
hall none does. A database restarted within those seconds costs one failed request: the error
invalidates every connection of the pool (SQLAlchemy's disconnect handling), and the next
request connects afresh.
"""
import sqlite3
import time

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

PING_AFTER_IDLE = 2.0  # seconds
_RETURNED = "returned_at"


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets phones read while one writes; SQLite leaves foreign keys off unless asked."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@sa_event.listens_for(Pool, "connect")
def _fresh(_dbapi_connection, record):
    record.info[_RETURNED] = time.monotonic()  # a new connection needs no ping


@sa_event.listens_for(Pool, "checkin")
def _returned(_dbapi_connection, record):
    if record is not None:
        record.info[_RETURNED] = time.monotonic()


@sa_event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy):
    """Ping a server connection that lay idle; a dead one is replaced (the pool tries again)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        return  # a file: nothing to drop
    if time.monotonic() - record.info.get(_RETURNED, 0.0) < PING_AFTER_IDLE:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # the driver's own error: the server or the network is gone
        raise DisconnectionError(str(error)) from error
