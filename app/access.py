"""Every access check in one place: staff roles per process, participants of an event (and later hosts).

Routes name the object in the URL (`process_id`, `event_id`); the decorators here load it, check the
current user's role in its process and hand the loaded object to the view, so every further query
starts from an object whose access was checked.
"""
from functools import wraps

from flask import Flask, abort, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import CafeTable, Event, Membership, Participant, Process, User
from app.services.cafe.joining import participant_by_token


def init_access(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None


def admin_required(view):
    """Only site admins (who create processes and grant roles)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def staff_required(role: str):
    """The current user holds `role` (or one implying it) in the process named by the URL.

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
            if not current_user.has_role(process.id, role):
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


# Participants: no account; the signed session cookie maps event ids to their secret tokens.
PARTICIPANTS_KEY = "participants"


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


# Table hosts: no account; the long secret in the host link grants exactly that one table.
def table_by_host_token(token: str) -> CafeTable:
    """The table whose host link this is; a wrong token is a 404 and reveals nothing else."""
    table = db.session.scalar(db.select(CafeTable).filter_by(host_token=token)) if token else None
    if table is None:
        abort(404)
    return table
