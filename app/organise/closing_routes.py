"""Organisers close or reopen an event, replace its secret links, and read an idea's history."""
from flask import flash, render_template, request
from flask_babel import gettext as _

from app.access import staff_required
from app.extensions import db
from app.models import Contribution, IdeaRevision
from app.organise.routes import _table_of, _to_event, bp
from app.services.administration import audit
from app.services.cafe import events, hosting, merging
from app.services.errors import DomainError


@bp.app_template_global()
def event_is_closed(event) -> bool:
    """For every page that shows an event: closed, by an organiser or by the days since its date."""
    return events.is_closed(event)


@bp.app_template_global()
def revised_idea_ids(event) -> set[int]:
    """The ids of the event's ideas whose text was changed, for a link to their history."""
    return set(db.session.scalars(
        db.select(IdeaRevision.contribution_id).join(Contribution, IdeaRevision.contribution_id == Contribution.id)
        .where(Contribution.event_id == event.id).distinct()
    ))


def _refused(event, error: DomainError):
    db.session.rollback()
    flash(str(error.message), "error")
    return _to_event(event, "closing")


@bp.post("/events/<int:event_id>/close")
@staff_required("organiser")
def close_event(event):
    if request.form.get("confirm") != "yes":
        return _refused(event, DomainError(_("Bitte bestätigen Sie den Abschluss.")))
    try:
        events.close_event(event)
    except DomainError as error:
        return _refused(event, error)
    audit.record("event.close", event.title, process_id=event.process_id, event_id=event.id)
    db.session.commit()
    flash(_("Die Veranstaltung ist abgeschlossen. Gastgeber-Links gelten nicht mehr; die Telefone zeigen die Ideen nur noch an."),
          "success")
    return _to_event(event, "closing")


@bp.post("/events/<int:event_id>/reopen")
@staff_required("organiser")
def reopen_event(event):
    try:
        events.reopen_event(event)
    except DomainError as error:
        return _refused(event, error)
    audit.record("event.reopen", event.title, process_id=event.process_id, event_id=event.id)
    db.session.commit()
    flash(_("Die Veranstaltung ist wieder geöffnet."), "success")
    return _to_event(event, "closing")


@bp.post("/events/<int:event_id>/tables/<int:table_id>/host-link")
@staff_required("organiser")
def replace_host_link(event, table_id):
    table = _table_of(event, table_id)
    events.replace_host_link(table)
    audit.record("link.host_replaced", event.title, process_id=event.process_id, event_id=event.id,
                 detail={"table": table.number})
    db.session.commit()
    flash(_("Tisch %(number)d hat einen neuen Gastgeber-Link. Der alte gilt nicht mehr.", number=table.number),
          "success")
    return _to_event(event, f"table-{table.number}")


@bp.post("/events/<int:event_id>/projector-link")
@staff_required("organiser")
def replace_projector_link(event):
    events.replace_projector_link(event)
    audit.record("link.projector_replaced", event.title, process_id=event.process_id, event_id=event.id)
    db.session.commit()
    flash(_("Die Beamer-Ansicht hat einen neuen Link. Der alte gilt nicht mehr."), "success")
    return _to_event(event, "projector")


@bp.get("/events/<int:event_id>/ideas/<uuid:idea_uuid>/history")
@staff_required("organiser")
def idea_history(event, idea_uuid):
    """An idea's text now and every text before it: who changed it and when."""
    idea = merging.idea_of_event(event, idea_uuid)  # another event's idea: 404
    return render_template("organise/idea_history.html", event=event, idea=idea,
                           revisions=hosting.revisions_of(idea), actor_label=audit.actor_label)
