"""The phone's live poll, `GET /e/<code>/live`: what changed for this phone, in two small reads.

Every phone asks every few seconds, so the answer is made from rows, not objects: the event and
the participant in one read, the table's revision and the phone's own ideas there in another.
Where the participant sits (a read of their seats) and the part of the answer every phone at the
table shares are made once per revision and worker and kept (app/livepoll.py), the shared part in
an app context, where the ORM works. The gate answers every poll of a known phone before Flask runs
(`gate_answer`); the route answers the rest (a phone's first poll in this worker, or a refusal).
"""
import time
from dataclasses import dataclass

from flask import Flask
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from app import livepoll
from app.access import PARTICIPANTS_KEY
from app.i18n import LANGUAGE_COOKIE, chosen_language
from app.models.base import utcnow
from app.participate.views import round_state_now
from app.services.cafe import live

FORBIDDEN, NOT_FOUND = 403, 404


@dataclass
class Answer:
    status: int  # 200, 304, or FORBIDDEN / NOT_FOUND for the route to turn into its error page
    etag: str = ""
    body: dict | None = None


def fragment_url(gate, script_root: str, code: str, language: str, event_part, table_part=None) -> str:
    """The URL of a table's shared live fragment (no table: not seated yet) at the revisions named.

    The last path segment is the signed tag of the rest (app/livepoll.py), so nobody can make up
    URLs that would each cost a rendering. Matches the route `participate.shared_fragment`.
    """
    prefix = f"{script_root}/e/{code}/view/{language}/{table_part[1] if table_part else 0}"
    return f"{prefix}/{gate.sign(prefix, [event_part] + ([table_part] if table_part else []))}"


def answer(gate: livepoll.LiveGate, read: live.Reader, *, script_root: str, path: str, code: str, tokens: dict,
           language_for, if_none_match, make) -> Answer:
    """The poll's answer.

    `language_for(default)` picks the page's language given the event's default;
    `if_none_match(etag)` says whether the phone sent that ETag; `make(maker)` runs a maker of a
    shared part that is not kept yet, where the ORM session works (an app context).
    """
    phone = live.phone_now(read, code, tokens)
    if phone is None:
        return Answer(NOT_FOUND)
    if phone.participant_id is None:
        return Answer(FORBIDDEN)
    kept = gate.views
    rounds = kept.get_or_make(("rounds", phone.id, phone.code, phone.phones_revision),
                              lambda: live.rounds_now(read, phone.id))
    place = kept.get_or_make(("place", phone.id, phone.participant_id, phone.participant_revision,
                              phone.phones_revision),
                             lambda: live.place_now(read, rounds, phone.participant_id))
    event_part = ("E", phone.id, phone.phones_revision)
    table_part, own = None, []
    if place.table_id is not None:
        table_revision, own = live.table_now(read, place.table_id, phone.participant_id, place.round_id)
        table_part = ("t", place.table_id, table_revision)
    etag = gate.sign(path, [event_part, *([table_part] if table_part else []),
                            ("p", phone.participant_id, phone.participant_revision)])
    if if_none_match(etag):
        return Answer(304, etag)
    language = language_for(phone.default_language)
    # Kept apart, so a new idea at a table makes its count again, not the round in every language.
    round_state = kept.get_or_make(("round", phone.id, phone.code, language, phone.phones_revision, place.round_id),
                                   lambda: make(lambda: round_state_now(phone.id, place.round_id, language)))
    table_state = None
    if table_part is not None:
        table_state = kept.get_or_make(("table", phone.id, phone.code, table_part, phone.phones_revision,
                                        place.round_id),
                                       lambda: live.table_state(read, place.table_id, place.round_id,
                                                                rounds.seating_state != "planned"))
    return Answer(200, etag, {
        **round_state.as_json(table_state),
        "server_time": utcnow().isoformat(),
        "fragment_url": kept.get_or_make(("url", script_root, phone.code, language, event_part, table_part),
                                         lambda: fragment_url(gate, script_root, phone.code, language, event_part,
                                                              table_part)),
        "own": own,
        "moved": place.moved_from_id is not None,
    })


def gate_answer(app: Flask):
    """The poll as the gate answers it, before Flask runs; None leaves it to the route."""
    serializer = app.session_interface.get_signing_serializer(app)
    max_age = int(app.permanent_session_lifetime.total_seconds())
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    shipped = app.config["LANGUAGES"]
    decoded = livepoll.Kept(16384)  # session cookie -> (participant tokens, when it was signed)
    languages = livepoll.Kept(1024)  # (language cookie, Accept-Language, event's default) -> language

    def tokens_of(cookie: str | None) -> dict | None:
        """The participant tokens in a session cookie; a phone's cookie is checked once per worker."""
        if not cookie or serializer is None:
            return None
        known = decoded.get(cookie)
        if known is None:
            try:
                session, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
            except Exception:  # an old or a forged cookie: the route answers
                return None
            tokens = session.get(PARTICIPANTS_KEY) if isinstance(session, dict) else None
            if not isinstance(tokens, dict):
                return None
            known = (tokens, signed_at.timestamp())
            decoded.put(cookie, known)
        tokens, signed_at = known
        return tokens if time.time() - signed_at <= max_age else None

    def language_of(choice: str | None, accept_language: str | None, default: str) -> str:
        return languages.get_or_make((choice, accept_language, default), lambda: chosen_language(
            shipped, choice, parse_accept_header(accept_language, LanguageAccept), default))

    def in_app_context(maker):
        with app.app_context():
            return maker()

    def respond(gate: livepoll.LiveGate, environ, read: live.Reader, code: str):
        cookies = parse_cookie(environ)
        tokens = tokens_of(cookies.get(cookie_name))
        if tokens is None:
            return None
        result = answer(gate, read, script_root=environ.get("SCRIPT_NAME", ""),
                        path=environ.get("PATH_INFO", ""), code=code, tokens=tokens,
                        language_for=lambda default: language_of(
                            cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"), default),
                        if_none_match=lambda etag: livepoll.sent(environ, etag), make=in_app_context)
        if result.status not in (200, 304):
            return None
        headers = [("ETag", f'"{result.etag}"'), ("Cache-Control", "no-cache"), ("Vary", "Cookie")]
        if result.status == 304:
            return "304 Not Modified", headers, b""
        body = app.json.dumps(result.body).encode() + b"\n"
        return "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers], body

    return respond
