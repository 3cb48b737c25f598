"""Every access check in one place: staff roles per process, and (later) participants and hosts.

Routes name the object in the URL (`process_id`, `event_id`); the decorators here load it, check the
current user's role in its process and hand the loaded object to the view, so every further query
starts from an object whose access was checked.
"""
from functools import wraps

from flask import Flask, abort, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import Event, Membership, Process, User


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
