"""The moderator's console: every table at a glance and the round controls."""
from datetime import timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import staff_required
from app.extensions import db
from app.models.base import utcnow
from app.http import live_json, no_store
from app.models import Round
from app.moderate.forms import ExtendForm
from app.projector import scenes
from app.services.administration import audit
from app.services.reports import overview
from app.services.cafe import events, live, rounds, undo
from app.services.errors import DomainError

bp = Blueprint("moderate", __name__, template_folder="templates")

STATE_LABELS = {
    "planned": _l("geplant"),
    "running": _l("läuft"),
    "paused": _l("pausiert"),
    "closed": _l("beendet"),
}

def _console_context(event):
    current = rounds.current_round(event)
    shown = current or rounds.next_planned_round(event)
    return {
        "event": event,
        "round": shown,
        "upcoming": rounds.next_planned_round(event),
        "seconds_left": rounds.remaining_seconds(shown) if shown else None,
        "tables": overview.tables_at_a_glance(event, shown),
        "extend_form": ExtendForm(),
        "state_labels": STATE_LABELS,
        "closed": events.is_closed(event),
        "scene_labels": scenes.SCENE_LABELS,
        **_undo_context(event),
    }


def _undo_context(event) -> dict:
    point = undo.pending(event)
    if point is None:
        return {"undo_point": None}
    return {"undo_point": point,
            "undo_until": point.made_at + timedelta(seconds=undo.WINDOW_SECONDS),
            "undo_url": url_for("moderate.undo_ending", event_id=event.id)}


@bp.get("/events/<int:event_id>")
@staff_required("moderator")
def console(event):
    return render_template("moderate/console.html", **_console_context(event))


@bp.get("/events/<int:event_id>/live")
@staff_required("moderator")
def console_live(event):
    return live_json([("e", event.id, event.revision)],
                     lambda: {"revision": event.revision, "server_time": utcnow().isoformat()})


@bp.get("/events/<int:event_id>/fragment")
@staff_required("moderator")
def console_fragment(event):
    return no_store(render_template("moderate/_console_live.html", **_console_context(event)))


@bp.post("/events/<int:event_id>/rounds/<int:round_id>/<any(start, pause, resume, close):action>")
@staff_required("moderator")
def control_round(event, round_id, action):
    round_ = db.session.scalar(db.select(Round).filter_by(event_id=event.id, id=round_id))
    if round_ is None:
        return _refused(event, _("Diese Runde gibt es bei dieser Veranstaltung nicht."), 404)
    if action == "close" and _needs_confirmation(round_):
        return _confirm(event, round_, None)
    try:
        (undo.close if action == "close" else rounds.CONTROLS[action])(round_)
        _audit(f"round.{action}", event, round_)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(event, error.message, error.status_code)
    return _done(event, round_)


@bp.post("/events/<int:event_id>/rounds/<int:round_id>/extend")
@staff_required("moderator")
def extend_round(event, round_id):
    round_ = db.session.scalar(db.select(Round).filter_by(event_id=event.id, id=round_id))
    form = ExtendForm()
    if round_ is None:
        return _refused(event, _("Diese Runde gibt es bei dieser Veranstaltung nicht."), 404)
    if not form.validate_on_submit():
        return _refused(event, next(iter(form.errors.values()))[0], 400)
    try:
        rounds.extend(round_, form.minutes.data)
        _audit("round.extend", event, round_, minutes=form.minutes.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(event, error.message, error.status_code)
    return _done(event, round_)


@bp.post("/events/<int:event_id>/next")
@staff_required("moderator")
def next_round(event):
    closing = rounds.current_round(event)
    if closing is not None and _needs_confirmation(closing):
        return _confirm(event, closing, rounds.next_planned_round(event))
    try:
        round_ = undo.next_round(event)
        if closing is not None:
            _audit("round.close", event, closing)
        _audit("round.start", event, round_)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(event, error.message, error.status_code)
    return _done(event, round_)


@bp.post("/events/<int:event_id>/undo")
@staff_required("moderator")
def undo_ending(event):
    """Take back the last "Runde beenden" or "Nächste Runde starten" within two minutes."""
    try:
        round_ = undo.undo(event)
        _audit("round.undo", event, round_)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(event, error.message, error.status_code)
    flash(_("Rückgängig gemacht: Runde %(number)d läuft wieder, alle sitzen wieder an ihren Tischen.",
            number=round_.number) if round_.state == "running" else
          _("Rückgängig gemacht: Runde %(number)d ist wieder offen (angehalten).", number=round_.number), "success")
    return _done(event, round_)


def _needs_confirmation(round_) -> bool:
    """Ending a round that still has time asks first, unless the form says it was asked."""
    return request.form.get("confirmed") != "1" and bool(rounds.remaining_seconds(round_))


def _confirm(event, ending, upcoming):
    """The question before ending `ending` early (and starting `upcoming`, if given): a page of its
    own, so it works without script and by keyboard, and nothing else on the console is in reach."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=_("Bitte bestätigen Sie: Die Runde hat noch Zeit."), confirm="confirmed=1"), 409
    seconds = rounds.remaining_seconds(ending)
    return render_template("moderate/confirm.html", event=event, ending=ending, upcoming=upcoming,
                           time_left="%d:%02d" % (seconds // 60, seconds % 60),
                           undo_minutes=undo.WINDOW_SECONDS // 60)


@bp.post("/events/<int:event_id>/projector/scene")
@staff_required("moderator")
def choose_scene(event):
    """What the projector shows; only the staff revision moves, so no phone fetches anything."""
    scene = request.form.get("scene")
    if scene not in scenes.SCENE_LABELS:
        return _refused(event, _("Diese Ansicht gibt es für den Beamer nicht."), 400)
    event.projector_scene = scene
    live.bump_staff(event)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(scene=scene)
    return redirect(url_for("moderate.console", event_id=event.id), 303)


@bp.get("/events/<int:event_id>/projector")
@staff_required("moderator")
def open_projector(event):
    return redirect(url_for("projector.show", token=event.projector_token))


def _audit(action: str, event, round_, **detail) -> None:
    audit.record(action, event.title, process_id=event.process_id, event_id=event.id,
                 detail={"round": round_.number, **detail})


def _done(event, round_):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(round={"number": round_.number, "state": round_.state})
    return redirect(url_for("moderate.console", event_id=event.id), 303)


def _refused(event, message, status):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(message)), status
    flash(str(message), "error")
    return redirect(url_for("moderate.console", event_id=event.id), 303)
