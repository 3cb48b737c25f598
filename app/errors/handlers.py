"""One place that turns errors into a calm, translated page (or JSON for scripts and the small JS)."""
import sqlite3

from flask import Blueprint, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from psycopg import OperationalError as PsycopgOperationalError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.services.errors import DomainError, NoSuchEvent

bp = Blueprint("errors", __name__, template_folder="templates")

MESSAGES = {
    400: _l("Diese Anfrage konnte nicht verarbeitet werden."),
    403: _l("Dafür haben Sie keine Berechtigung."),
    404: _l("Diese Seite gibt es nicht (mehr). Bitte prüfen Sie den Link oder Code."),
    405: _l("Diese Aktion ist hier nicht möglich."),
    413: _l("Die Datei oder der Text ist zu groß."),
    429: _l("Zu viele Anfragen. Bitte warten Sie einen Moment."),
    500: _l("Etwas ist schiefgelaufen. Ihre Eingaben sind nicht verloren: bitte versuchen Sie es gleich noch einmal."),
    503: _l("Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."),
}


def wants_json() -> bool:
    if request.is_json or request.path.endswith("/live") or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message, **page):
    if wants_json():
        return jsonify(error=str(message), status=status), status
    return render_template("errors/error.html", status=status, message=message, **page), status


@bp.app_errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    db.session.rollback()
    # A mistyped join code: the page has the code box again, with what was typed.
    retry = {"retry_code": error.code} if isinstance(error, NoSuchEvent) else {}
    return error_response(error.status_code, error.message, **retry)


@bp.app_errorhandler(CSRFError)
def handle_csrf_error(_error):
    return error_response(
        400, _l("Das Formular war zu lange offen oder ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.")
    )


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    status = error.code or 500
    if status == 500:
        db.session.rollback()
    return error_response(status, MESSAGES.get(status, error.description))


@bp.app_errorhandler(Exception)
def handle_unexpected(error: Exception):
    if database_unavailable(error):  # a driver's own error, from a read on its cursor (app/services/cafe/live.py)
        return handle_database_error(error)
    db.session.rollback()
    if current_app.testing:
        raise error  # let the test see the real traceback
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500, MESSAGES[500])


# The database is down, restarting or out of connections: a 503 the phone's outbox answers by
# keeping the idea and sending it again (app/static/app.js), and a page that reloads itself.
RETRY_SECONDS = 10
UNAVAILABLE_PAGE = _l("Die Verbindung zur Datenbank ist kurz unterbrochen. "
                      "Die Seite lädt sich in einigen Sekunden von selbst neu.")
UNAVAILABLE_POST = _l("Die Verbindung zur Datenbank ist kurz unterbrochen. Ihre Eingabe ist noch nicht "
                      "gespeichert: bitte senden Sie sie in einigen Sekunden noch einmal.")
# SQLite says these when another process holds the file too long or the file is gone; its other
# OperationalErrors (no such table, a syntax error) are bugs and stay 500s.
SQLITE_UNAVAILABLE = ("locked", "unable to open", "disk i/o")


def database_unavailable(error: Exception) -> bool:
    """Whether `error` means the database cannot be reached now, rather than a wrong query.

    Also a driver's own error, raised where the app reads on the driver's cursor (the live polls).
    """
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        if not isinstance(error, OperationalError):
            return False
        error = error.orig
    if isinstance(error, sqlite3.OperationalError):
        return any(words in str(error).lower() for words in SQLITE_UNAVAILABLE)
    return isinstance(error, PsycopgOperationalError)  # refused, reset, shutting down, starting up


@bp.app_errorhandler(DBAPIError)
@bp.app_errorhandler(PoolTimeout)
def handle_database_error(error: Exception):
    if not database_unavailable(error):
        return handle_unexpected(error)
    # One line, no traceback: during an outage every request of every phone comes here.
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
    current_app.logger.warning("database unavailable (%s %s): %s", request.method, request.url_rule, reason)
    # The page must render without the database: objects loaded before the failure may be expired,
    # so the event (for its default language) and the staff user (for the staff bar) are left out.
    g.pop("event", None)
    g._login_user = current_app.login_manager.anonymous_user()
    if request.method in ("GET", "HEAD"):
        body, status = error_response(503, UNAVAILABLE_PAGE, reload_after=RETRY_SECONDS)
    else:
        body, status = error_response(503, UNAVAILABLE_POST)
    return body, status, {"Retry-After": str(RETRY_SECONDS)}


@bp.record_once
def _close_sessions_first(state) -> None:
    # Registered after Flask-SQLAlchemy's teardown, so it runs just before that one removes the session.
    state.app.teardown_appcontext(let_go_of_a_dropped_connection)


def let_go_of_a_dropped_connection(_error) -> None:
    """Close the session as Flask-SQLAlchemy is about to, but let go of a connection the database
    dropped meanwhile (a restart mid-request): its rollback fails, and that would turn an answer
    already made into a 500 from gunicorn."""
    try:
        db.session.close()
    except DBAPIError as error:
        if not database_unavailable(error):
            raise
        db.session().invalidate()  # the scoped session does not pass this one on
