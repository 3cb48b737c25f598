"""Moderators look after the event's ideas: hide with a reason, merge duplicates, undo a merge."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.access import staff_required
from app.extensions import db
from app.models import Contribution, Merge, Vote
from app.services.administration import audit
from app.services.cafe import merging
from app.safety import bounded_int
from app.services.errors import DomainError

bp = Blueprint("ideas", __name__, template_folder="templates")


@bp.get("/events/<int:event_id>/ideas")
@staff_required("moderator")
def list_ideas(event):
    round_number = bounded_int(request.args.get("round"))
    query = (db.select(Contribution).filter_by(event_id=event.id)
             .options(selectinload(Contribution.table), selectinload(Contribution.round),
                      selectinload(Contribution.translations))
             .order_by(Contribution.round_id, Contribution.table_id, Contribution.id))
    if round_number:
        query = query.where(Contribution.round.has(number=round_number))
    ideas = db.session.scalars(query).all()
    dots = dict(db.session.execute(
        db.select(Vote.contribution_id, func.count(Vote.id)).join(Contribution, Vote.contribution_id == Contribution.id)
        .where(Contribution.event_id == event.id).group_by(Vote.contribution_id)
    ).all())
    merges = db.session.scalars(
        db.select(Merge).filter_by(event_id=event.id, undone_at=None).order_by(Merge.id.desc())
        .options(selectinload(Merge.source), selectinload(Merge.target))
    ).all()
    return render_template("ideas/list.html", event=event, ideas=ideas, dots=dots, merges=merges,
                           round_number=round_number)


def _back(event):
    return redirect(url_for("ideas.list_ideas", event_id=event.id, round=request.args.get("round")), 303)


@bp.post("/events/<int:event_id>/ideas/<uuid:idea_uuid>/hide")
@staff_required("moderator")
def hide_idea(event, idea_uuid):
    idea = merging.idea_of_event(event, idea_uuid)  # another event's idea: 404
    try:
        merging.hide(idea, request.form.get("reason", ""))
        audit.record("idea.hide", idea.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(idea.uuid), "reason": idea.hidden_reason})
        db.session.commit()
        flash(_("Die Idee ist ausgeblendet."), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return _back(event)


@bp.post("/events/<int:event_id>/ideas/<uuid:idea_uuid>/unhide")
@staff_required("moderator")
def unhide_idea(event, idea_uuid):
    idea = merging.idea_of_event(event, idea_uuid)
    merging.unhide(idea)
    audit.record("idea.unhide", idea.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(idea.uuid)})
    db.session.commit()
    flash(_("Die Idee ist wieder sichtbar."), "success")
    return _back(event)


@bp.post("/events/<int:event_id>/ideas/merge")
@staff_required("moderator")
def merge_ideas(event):
    """Merge every ticked idea into the one chosen to keep."""
    try:
        target, sources = merging.selected_ideas(event, request.form.get("target"), request.form.getlist("selected"))
        merging.merge_many(sources, target, user=current_user)
        audit.record("idea.merge", target.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(target.uuid), "count": len(sources)})
        db.session.commit()
        flash(_("Die Ideen sind zusammengeführt."), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return _back(event)


@bp.post("/events/<int:event_id>/merges/<uuid:merge_uuid>/undo")
@staff_required("moderator")
def undo_merge(event, merge_uuid):
    record = merging.merge_of_event(event, merge_uuid)
    try:
        merging.undo(record)
        audit.record("idea.unmerge", record.target.text, process_id=event.process_id, event_id=event.id, detail={"idea": str(record.target.uuid)})
        db.session.commit()
        flash(_("Die Zusammenführung ist rückgängig gemacht."), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return _back(event)
