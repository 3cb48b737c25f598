"""Live polls over HTTP, answered as cheaply as the database allows.

Phones, the console and the projector poll `…/live` every few seconds. A live answer names the
revisions it was built from (app/services/cafe/live.py) in a signed ETag, e.g. `E4-12.t9-3.p77-1.<mac>`:
the event's phone revision 12, table 9's revision 3, participant 77's revision 1. The signature
binds the tag to the URL, so a client can only present tags this server made for that URL.

`LiveGate` wraps the WSGI app and answers three kinds of request before Flask runs (no routing,
session renewal, Babel or ORM), so a full hall of phones costs little:

- a poll whose ETag still names the current revisions: a 304 after one indexed read;
- a phone's poll whose answer is made of parts this worker keeps (app/participate/live.py): the
  JSON after two small reads;
- a GET of an answer a route marked as shared (`share_response`), already made by this worker:
  the kept bytes. Only URLs that name their revisions are shared, e.g. a table's live fragment,
  so a kept answer never goes stale; it is kept per Accept-Encoding, compressed as Flask sent it.

Everything else passes through. What the gate keeps is per worker and bounded; it is only ever
looked up by revisions read from the database, so no worker can serve what another one missed.
A 304 tells the holder of a tag only that nothing changed; whoever is refused access now (a
participant who left, a moderator whose role was taken) is refused at the next change.
"""
import base64
import hashlib
import hmac
import re
import threading

from flask import Flask, current_app, request

from app.errors.handlers import database_unavailable
from app.extensions import db
from app.services.cafe import live

EXTENSION = "livepoll"
SHARE_FLAG = "livepoll.share"
MAX_TAG_LENGTH = 200


class Kept:
    """A small bounded store, safe across the threads of one worker; the oldest entries go first.

    Reads take no lock (a dict lookup is atomic), as every poll makes several; everything kept
    here is looked up by the revisions it was made for, so an entry that went is only made again.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: dict = {}
        self._lock = threading.Lock()
        self._making: dict = {}  # key -> lock held by the one thread making it

    def get(self, key):
        return self._items.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def get_or_make(self, key, make):
        """The kept value, else `make()`'s; threads asking for the same key meanwhile wait for it."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        try:
            with making:
                value = self.get(key)
                if value is None:
                    value = make()
                    self.put(key, value)
        finally:
            with self._lock:
                self._making.pop(key, None)
        return value


class LiveGate:
    """WSGI middleware: unchanged polls and kept shared answers, before Flask runs."""

    def __init__(self, app: Flask):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.key = hashlib.sha256(b"live-etag\0" + str(app.config["SECRET_KEY"]).encode()).digest()
        # A hall of 150 tables in 5 languages shares 750 views; room for them and their last change.
        self.answers = Kept(2048)  # (path, query, Accept-Encoding) -> (status, headers, body)
        self.rendered = Kept(2048)  # path -> HTML of a shared answer, before compression
        self.views = Kept(16384)  # small parts of answers per revision: places, shared states, URLs
        # (path pattern, respond(gate, environ, reader, **groups) -> (status, headers, body) | None)
        self.polls = []
        self._engine = None

    # Tags: "<kind><id>-<revision>" joined by dots, then the signature.
    def sign(self, path: str, parts) -> str:
        body = ".".join(f"{kind}{row_id}-{revision}" for kind, row_id, revision in parts)
        return f"{body}.{self._mac(path, body)}"

    def _mac(self, path: str, body: str) -> str:
        digest = hmac.digest(self.key, f"{path}\0{body}".encode(), "sha256")
        return base64.urlsafe_b64encode(digest[:12]).decode()

    def read(self, path: str, tag: str):
        """The (kind, id, revision) parts of a tag this server made for `path`, else None."""
        body, _, mac = tag.rpartition(".")
        if not body or not hmac.compare_digest(mac, self._mac(path, body)):
            return None
        parts = []
        for part in body.split("."):
            row_id, _, revision = part[1:].partition("-")
            if part[:1] not in live.COUNTERS or not row_id.isdigit() or not revision.isdigit():
                return None
            parts.append((part[0], int(row_id), int(revision)))
        return parts

    def _unchanged(self, read: live.Reader, path: str, header: str) -> str | None:
        """The tag of If-None-Match that still names the current revisions, if any."""
        for tag in sent_tags(header):
            parts = self.read(path, tag)
            if parts and live.revisions(read, "".join(p[0] for p in parts), [p[1] for p in parts]) == tuple(
                    p[2] for p in parts):
                return tag
        return None

    @property
    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            path = environ.get("PATH_INFO", "")
            answer_key = (path, environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT_ENCODING", ""))
            kept = self.answers.get(answer_key)
            if kept is not None:
                status, headers, body = kept
                start_response(status, headers)
                return [body]
            if path.endswith("/live"):
                answered = self._poll(environ, path)
                if answered is not None:
                    status, headers, body = answered
                    start_response(status, headers)
                    return [body]
            return self._keep_if_shared(environ, start_response, answer_key)
        return self.wsgi_app(environ, start_response)

    def _poll(self, environ, path: str):
        """An unchanged poll's 304 after one read, or a poll a feature answers from kept views."""
        header = environ.get("HTTP_IF_NONE_MATCH")
        header = header if header and len(header) <= MAX_TAG_LENGTH else None
        found = respond = None
        for pattern, respond in self.polls:
            found = pattern.fullmatch(path)
            if found:
                break
        if header is None and found is None:
            return None
        try:
            with live.reader(self.engine) as read:
                matched = self._unchanged(read, path, header) if header else None
                if matched:
                    return "304 Not Modified", [("ETag", f'"{matched}"'), ("Cache-Control", "no-cache")], b""
                if found:
                    return respond(self, environ, read, **found.groupdict())
        except Exception as error:  # the database is busy or gone, or a bug: Flask answers, with its error pages
            # A hall of phones polls through an outage: one line each, not thousands of tracebacks.
            unavailable = database_unavailable(error)
            self.app.logger.warning("live poll left to Flask%s", f": {type(error).__name__}" if unavailable else "",
                                    exc_info=not unavailable)
            return None
        return None

    def _keep_if_shared(self, environ, start_response, answer_key):
        sent = []

        def remember_start(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.wsgi_app(environ, remember_start)
        if not environ.get(SHARE_FLAG) or not sent or not sent[0].startswith("200"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        # Never keep one phone's cookie for the others.
        headers = [(name, value) for name, value in sent[1] if name.lower() != "set-cookie"]
        self.answers.put(answer_key, (sent[0], headers, body))
        return [body]


def sent_tags(header: str):
    """The tags of an If-None-Match header, unquoted.

    Flask-Compress names a compressed answer's tag `"<tag>:br"`; the revisions are the same.
    """
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        yield candidate.strip('"').partition(":")[0]


def sent(environ, etag: str) -> bool:
    """Whether the client sent `etag` in If-None-Match."""
    header = environ.get("HTTP_IF_NONE_MATCH")
    return bool(header) and len(header) <= MAX_TAG_LENGTH and etag in sent_tags(header)


def init_livepoll(app: Flask) -> None:
    from app.participate.live import gate_answer

    gate = LiveGate(app)
    gate.polls.append((re.compile(r"/e/(?P<code>[^/]+)/live"), gate_answer(app)))
    app.extensions[EXTENSION] = gate
    app.wsgi_app = gate


def gate() -> LiveGate:
    return current_app.extensions[EXTENSION]


def tag(parts) -> str:
    """The signed ETag of this request's URL for `parts`: (kind, row id, revision) triples."""
    return gate().sign(request.path, parts)


def share_response(response):
    """Let the gate keep this answer for everyone asking the same URL (which names its revisions)."""
    request.environ[SHARE_FLAG] = True
    return response
