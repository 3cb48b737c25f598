"""One place that turns errors into a calm, translated page (or JSON for scripts and the small JS)."""
from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.services.errors import DomainError

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


def error_response(status: int, message):
    if wants_json():
        return jsonify(error=str(message), status=status), status
    return render_template("errors/error.html", status=status, message=message), status


@bp.app_errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    db.session.rollback()
    return error_response(error.status_code, error.message)


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
    db.session.rollback()
    if current_app.testing:
        raise error  # let the test see the real traceback
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500, MESSAGES[500])
