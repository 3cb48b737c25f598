"""The audit log of a process, for its organisers: newest first, filtered by the query string."""
from datetime import date

from flask import render_template, request, url_for
from flask_babel import gettext as _

from app.access import staff_required
from app.models import Event
from app.extensions import db
from app.organise.forms import ROLE_CHOICES
from app.organise.routes import bp
from app.safety import bounded_int
from app.services.administration import audit

MAX_PAGE = 10_000
ROLE_LABELS = dict(ROLE_CHOICES)


def detail_value(key: str, value):
    """A detail's value for the page: a role by its name in the page's language, else as stored."""
    return ROLE_LABELS.get(value, value) if key == "role" and isinstance(value, str) else value


def _day(value: str, errors: list) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or day == date.max:  # "until" runs to the next day, and none follows date.max
        errors.append(_("Bitte geben Sie ein Datum wie 2030-05-31 an."))
        return None
    return day


def _filters(process, errors: list) -> audit.Filters:
    """The filters in the query string; what is unknown or malformed is left out (and said)."""
    args = request.args
    action = args.get("action", "")
    if action and action not in audit.ACTIONS and action not in audit.KINDS:
        errors.append(_("Diese Art von Eintrag gibt es nicht."))
        action = ""
    event_id = args.get("event", "")
    event_ids = {event.id for event in process.events}
    event_id = bounded_int(event_id)
    event_id = event_id if event_id in event_ids else None
    return audit.Filters(action=action, event_id=event_id, actor=args.get("actor", "")[:254],
                         since=_day(args.get("since", ""), errors), until=_day(args.get("until", ""), errors))


@bp.get("/processes/<int:process_id>/audit")
@staff_required("organiser")
def audit_log(process):
    errors: list[str] = []
    filters = _filters(process, errors)
    number = request.args.get("page", "1")
    number = min(bounded_int(number) or 1, MAX_PAGE)
    page = audit.entries(process.id, filters, max(number, 1))
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    events_by_id = {event.id: event for event in
                    db.session.scalars(db.select(Event).filter_by(process_id=process.id).order_by(Event.starts_on))}
    return render_template(
        "organise/audit.html", process=process, page=page, filters=filters, errors=errors,
        events_by_id=events_by_id, actors=audit.actors(process.id), actions=audit.ACTIONS, kinds=audit.KINDS,
        action_label=audit.action_label, actor_label=audit.actor_label, detail_label=audit.detail_label, detail_value=detail_value,
        previous_url=url_for("organise.audit_log", process_id=process.id, page=page.number - 1, **args)
        if page.number > 1 else None,
        next_url=url_for("organise.audit_log", process_id=process.id, page=page.number + 1, **args)
        if page.has_next else None,
    ), 400 if errors else 200
