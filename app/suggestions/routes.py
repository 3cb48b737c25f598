"""Organisers accept or reject the stored action-field suggestions and adopt proposed clusters."""
from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.access import staff_required
from app.extensions import db
from app.http import wants_json
from app.models import ActionField, Suggestion
from app.services.sorting import bulk_accept, suggestions
from app.safety import bounded_int, safe_next
from app.services.errors import DomainError, NotFound

bp = Blueprint("suggestions", __name__, template_folder="templates")


@bp.app_template_global()
def accept_all_offer(process) -> dict:
    """What the board's "accept all" shows: how many each threshold takes, and the batch to undo."""
    return {"counts": bulk_accept.counts(process), "last": bulk_accept.last_batch(process)}


@bp.app_template_global()
def suggestions_of(process) -> dict[int, Suggestion]:
    """The stored suggestions of the process by idea id, once per request; stale ones are refreshed
    in the background, so the board shows the last ones and never waits."""
    cache = g.setdefault("suggestions_of", {})
    if process.id not in cache:
        suggestions.refresh_soon(process)
        cache[process.id] = {s.contribution_id: s for s in db.session.scalars(
            db.select(Suggestion).join(Suggestion.action_field).where(ActionField.process_id == process.id))}
    return cache[process.id]


@bp.app_template_global()
def cluster_candidates(process):
    suggestions_of(process)  # refresh first: a recomputation replaces the candidates
    return suggestions.candidates(process)


def _back(process):
    return redirect(safe_next(request.form.get("next"), url_for("board.show_board", process_id=process.id)), 303)


@bp.post("/processes/<int:process_id>/suggestions/<int:suggestion_id>/accept")
@staff_required("organiser")
def accept(process, suggestion_id):
    suggestion = suggestions.suggestion_of_process(process, suggestion_id)
    idea = suggestions.accept(suggestion, runner_up=request.form.get("choice") == "runner_up")
    db.session.commit()
    if wants_json():  # the board's script moves the card itself
        return jsonify(status="accepted", idea=str(idea.uuid), target=f"field-{idea.action_field_id}")
    flash(_("Die Idee ist einsortiert."), "success")
    return _back(process)


@bp.post("/processes/<int:process_id>/suggestions/<int:suggestion_id>/reject")
@staff_required("organiser")
def reject(process, suggestion_id):
    suggestions.reject(suggestions.suggestion_of_process(process, suggestion_id))
    db.session.commit()
    if wants_json():
        return jsonify(status="rejected")
    return _back(process)


@bp.post("/processes/<int:process_id>/suggestions/accept-all")
@staff_required("organiser")
def accept_all(process):
    percent = request.form.get("threshold", type=int)
    if percent is None or not 1 <= percent <= 100:
        flash(_("Bitte wählen Sie eine Schwelle zwischen 1 und 100 Prozent."), "error")
        return _back(process)
    if request.form.get("confirmed") != "1":  # first say how many go where
        return render_template("suggestions/confirm_accept_all.html", process=process,
                               preview=bulk_accept.preview(process, percent),
                               back=safe_next(request.form.get("next"), url_for("board.show_board", process_id=process.id)))
    count = bulk_accept.accept_all(process, percent)
    db.session.commit()
    flash(ngettext("%(num)d Idee einsortiert.", "%(num)d Ideen einsortiert.", count), "success")
    return _back(process)


@bp.post("/processes/<int:process_id>/suggestions/accept-all/undo")
@staff_required("organiser")
def undo_accept_all(process):
    """The last "accept all" taken back as one step: its ideas unsorted again."""
    count = bulk_accept.undo(process)
    db.session.commit()
    flash(ngettext("%(num)d Idee ist wieder unsortiert.", "%(num)d Ideen sind wieder unsortiert.", count), "success")
    return _back(process)


@bp.post("/processes/<int:process_id>/candidates/<int:candidate_id>/adopt")
@staff_required("organiser")
def adopt_candidate(process, candidate_id):
    field = db.session.scalar(db.select(ActionField).filter_by(
        process_id=process.id, id=bounded_int(request.form.get("field"))))
    if field is None:
        raise NotFound(_("Bitte wählen Sie ein Handlungsfeld."))
    try:
        count = suggestions.adopt_candidate(process, candidate_id, field, request.form.get("name", "").strip())
        db.session.commit()
        flash(ngettext("Cluster angelegt, mit %(num)d Idee.", "Cluster angelegt, mit %(num)d Ideen.", count), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return _back(process)
