"""The online phase on a phone or a computer: every question of the event at once, no table.

Joining works as at the café (the event's link or QR code, no account); a phone that joined goes
from the join page to this page when the event is online only, or when it chose no table while the
online phase is open. Writing needs no script: each question has its own plain form.
"""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import current_participant
from app.extensions import db
from app.http import wants_json
from app.safety import bounded_int
from app.services.cafe import ideas, joining, online
from app.services.errors import DomainError

bp = Blueprint("online", __name__, template_folder="templates")


@bp.url_value_preprocessor
def load_event(_endpoint, values):
    if values and "code" in values:
        g.event = joining.event_by_code(values["code"])


def _page(event, participant, status=200, *, typed=None):
    """The questions with their ideas and a form each; `typed` (question id, text) kept after a refusal."""
    return render_template("online/page.html", event=event, participant=participant,
                           questions=online.questions(event), ideas=online.ideas_by_question(event, participant),
                           is_open=online.is_open(event), new_key=ideas.new_key, typed=typed or (None, ""),
                           max_length=current_app.config["IDEA_MAX_LENGTH"]), status


@bp.get("/e/<code>/online")
def show(code):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        return redirect(url_for("participate.join", code=event.code))
    return _page(event, participant)


@bp.post("/e/<code>/online/ideas")
def submit(code):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        return redirect(url_for("participate.join", code=event.code))
    question_id = bounded_int(request.form.get("question") or "", 1)
    text = request.form.get("text", "")
    try:
        idea, created = online.submit(participant, text, key=request.form.get("key"), question_id=question_id,
                                      max_length=current_app.config["IDEA_MAX_LENGTH"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            raise
        flash(str(error.message), "error")
        return _page(event, participant, error.status_code, typed=(question_id, text))
    flash(_("Ihre Idee ist gespeichert. Danke!"), "success")
    return redirect(url_for("online.show", code=event.code, _anchor=f"question-{idea.round_id}"), 303)
