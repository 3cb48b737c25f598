"""The privacy notice, and the line on the organisers' process page that says when a purge is due."""
from datetime import date

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup
from flask_babel import format_date
from flask_babel import gettext as _

from app.bidi import isolated
from app.extensions import db
from app.models import Event, Process
from app.models.base import utcnow
from app.services.administration import privacy
from app.tokens import normalise_code

bp = Blueprint("privacy", __name__, template_folder="templates")

# When the statement was last checked against the app (update it with the statement's text).
ACCESSIBILITY_REVIEWED_ON = date(2026, 12, 1)


@bp.get("/privacy")
def notice():
    """What is stored, why, for how long, who to ask; with an event's code, that event's dates."""
    code = normalise_code(request.args.get("event", ""))[:20]
    known = code.isascii() and code.isalnum()  # anything else names no event
    event = db.session.scalar(db.select(Event).filter_by(code=code)) if known else None
    return render_template(
        "privacy/notice.html", event=event,
        retention_ends_on=privacy.retention_ends_on(event) if event else None,
        contact=current_app.config.get("PRIVACY_CONTACT", ""),
        translation_service=bool(current_app.config.get("TRANSLATE_URL")))


@bp.get("/barrierefreiheit")
def accessibility():
    """The accessibility statement BITV 2.0 asks for, linked from every page's footer."""
    return render_template("privacy/accessibility.html", reviewed_on=ACCESSIBILITY_REVIEWED_ON,
                           contact=current_app.config.get("ACCESSIBILITY_CONTACT") or
                           current_app.config.get("PRIVACY_CONTACT", ""),
                           enforcement=current_app.config.get("ACCESSIBILITY_ENFORCEMENT", ""))


@bp.app_template_global()
def purge_notice(process: Process) -> Markup:
    """One line for the organisers: the retention period and when the next purge is due."""
    found = privacy.next_purge(process.id)
    days = process.retention_days
    if found is None:
        return Markup(_("Aufbewahrungsfrist: %(days)d Tage nach jeder Veranstaltung. Keine personenbezogenen "
                        "Daten zu löschen.", days=days))
    event, day = found
    title = isolated(event.title, event.default_language)  # escaped, in its own direction
    if day <= utcnow().date():
        return Markup(_("Aufbewahrungsfrist: %(days)d Tage nach jeder Veranstaltung. Die Löschung der "
                        "personenbezogenen Daten von „%(event)s“ ist seit %(date)s fällig "
                        "(flask privacy purge --event %(id)d).",
                        days=days, event=title, date=format_date(day), id=event.id))
    return Markup(_("Aufbewahrungsfrist: %(days)d Tage nach jeder Veranstaltung. Die nächste Löschung "
                    "personenbezogener Daten ist am %(date)s fällig („%(event)s“).",
                    days=days, event=title, date=format_date(day)))
