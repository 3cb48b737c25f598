"""Every access check in one place: staff roles per process, participants of an event (and later hosts).

Routes name the object in the URL (`process_id`, `event_id`); the decorators here load it, check the
current user's role in its process and hand the loaded object to the view, so every further query
starts from an object whose access was checked.
"""
import time
from functools import wraps

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import limits
from app.extensions import db, login_manager
from app.models import Actor, CafeTable, Event, Membership, Participant, Process, User
from app.safety import bounded_int
from app.services.cafe.joining import participant_by_token


# Participants: no account; the signed session cookie maps event ids to their secret tokens.
PARTICIPANTS_KEY = "participants"


def init_access(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"


# Staff sessions: the account's session version when it logged in, and when it last did something.
# Logging out bumps the version, so every copy of the cookie stops; an idle session ends too.
STAFF_VERSION_KEY = "staff_version"
STAFF_SEEN_KEY = "staff_seen"
SEEN_EVERY_SECONDS = 60  # the cookie is renewed at most once a minute for this


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The staff user of this session, unless they logged out since or left it idle too long.

    Only requests of a session that names a user come here: participants' cookies are never
    looked at, and the live gate answers unchanged polls before Flask runs.
    """
    user_key = bounded_int(user_id, 1)
    user = db.session.get(User, user_key) if user_key else None
    if user is None or not user.is_active or session.get(STAFF_VERSION_KEY) != user.session_version:
        end_staff_session()
        return None
    now = int(time.time())
    seen = session.get(STAFF_SEEN_KEY)
    if not isinstance(seen, int) or now - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        end_staff_session()
        return None
    # Polls of an open page are no sign of a person: they do not keep the session alive.
    if now - seen >= SEEN_EVERY_SECONDS and not limits.is_poll():
        session[STAFF_SEEN_KEY] = now
    g.staff_session = True
    return user


def start_staff_session(user: User) -> None:
    """A new session for `user`: nothing of the old one but the phone's participant tokens, and a
    new CSRF token, so a session or token planted before the login is worth nothing after it."""
    kept = session.get(PARTICIPANTS_KEY)
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF keeps this request's token here
    if kept:
        session[PARTICIPANTS_KEY] = kept
    session[STAFF_VERSION_KEY] = user.session_version
    session[STAFF_SEEN_KEY] = int(time.time())


# What a session keeps when its staff login ends: the phone's participant tokens, its messages
# and its form token (forms open in other tabs of a participant still go through).
KEPT_AT_LOGOUT = (PARTICIPANTS_KEY, "_flashes", "csrf_token")


def end_staff_session() -> None:
    """Forget the staff login in this cookie, whichever extension wrote it."""
    for key in [key for key in session if key not in KEPT_AT_LOGOUT]:
        session.pop(key)


def admin_required(view):
    """Only site admins (who create processes and grant roles)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def staff_required(role: str, *other_roles: str):
    """The current user holds `role` (or one implying it), or one of `other_roles`, in the process
    named by the URL.

    The URL gives `process_id` or `event_id`; the view receives `process` or `event` instead.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if "event_id" in kwargs:
                event = db.get_or_404(Event, kwargs.pop("event_id"))
                kwargs["event"] = g.event = event
                process = event.process
            else:
                process = db.get_or_404(Process, kwargs.pop("process_id"))
                kwargs["process"] = process
            if not any(current_user.has_role(process.id, held) for held in (role, *other_roles)):
                abort(403)
            g.process = process
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_processes() -> list[Process]:
    """The processes the current staff user has any role in (all of them for admins)."""
    query = db.select(Process).order_by(Process.created_at.desc())
    if not current_user.is_admin:
        query = query.join(Membership).where(Membership.user_id == current_user.id).distinct()
    return list(db.session.scalars(query))


def current_participant(event: Event) -> Participant | None:
    """The participant this phone is in `event`, or None; never one of another event."""
    token = session.get(PARTICIPANTS_KEY, {}).get(str(event.id))
    return participant_by_token(event, token)


def participant_tokens() -> dict:
    """This phone's participant tokens by event id (as a string), for reads that load no objects."""
    tokens = session.get(PARTICIPANTS_KEY, {})
    return tokens if isinstance(tokens, dict) else {}


def remember_participant(participant: Participant) -> None:
    """Keep the participant in the signed cookie, long enough to come back days later."""
    remembered = dict(session.get(PARTICIPANTS_KEY, {}))
    remembered[str(participant.event_id)] = participant.token
    session[PARTICIPANTS_KEY] = remembered
    session.permanent = True


def forget_participant(event_id: int) -> None:
    remembered = dict(session.get(PARTICIPANTS_KEY, {}))
    remembered.pop(str(event_id), None)
    session[PARTICIPANTS_KEY] = remembered


def participant_by_return_token(token: str) -> Participant:
    """The participant whose personal return link this is; a wrong token is a 404."""
    participant = db.session.scalar(db.select(Participant).filter_by(token=token))
    if participant is None:
        abort(404)
    return participant


def return_link_participant(token: str) -> Participant:
    """The participant of a return link, its event kept in g; past the retention period a 410."""
    from app.services.administration import privacy

    participant = participant_by_return_token(token)
    g.event = participant.event
    if privacy.return_link_expired(participant.event):
        raise privacy.ReturnLinkExpired()
    return participant


def phone_is_own(participant: Participant) -> bool:
    """Whether this phone is the participant of the link: only then may it change anything."""
    current = current_participant(participant.event)
    return current is not None and current.id == participant.id


def phone_is_someone_else(participant: Participant) -> bool:
    """Whether this phone already is another participant of the same event: then a return link
    shows that participant's ideas but the phone stays who it is until the person confirms."""
    current = current_participant(participant.event)
    return current is not None and current.id != participant.id


# Table hosts: no account; the long secret in the host link grants exactly that one table.
def table_by_host_token(token: str) -> CafeTable:
    """The table whose host link this is; a wrong token is a 404 and reveals nothing else."""
    table = db.session.scalar(db.select(CafeTable).filter_by(host_token=token)) if token else None
    if table is None:
        abort(404)
    return table


# Actors of a process's register (associations, institutions, experts): no account; their personal
# link /a/<token> opens their page. Revoking the link sets the token to None, which no URL names.
def actor_by_link_token(token: str) -> Actor:
    """The actor whose personal link this is; a wrong or revoked token is a 404 revealing nothing."""
    actor = db.session.scalar(db.select(Actor).filter_by(token=token)) if token else None
    if actor is None:
        abort(404)
    return actor
