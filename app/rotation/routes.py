"""Rotation between rounds: the moderator sees the proposal, applies it, moves people, or switches it off."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from app.access import staff_required
from app.bidi import isolated
from app.extensions import db
from app.models import CafeTable, Participant, Round
from app.rotation.forms import MoveForm, SwitchForm
from app.services.cafe import rotation, rounds
from app.services.errors import DomainError

bp = Blueprint("rotation", __name__, template_folder="templates")


@bp.get("/events/<int:event_id>/rotation")
@staff_required("moderator")
def show_rotation(event):
    # The next round to plan; once the last one runs, that one, so people can still be moved.
    round_ = rounds.next_planned_round(event) or rounds.current_round(event)
    plan = rotation.plan_for(event, round_) if round_ is not None else None
    switch_form = SwitchForm(enabled="0" if event.rotation_enabled else "1")
    return render_template("rotation/show.html", event=event, plan=plan, switch_form=switch_form)


@bp.post("/events/<int:event_id>/rotation/rounds/<int:round_id>/apply")
@staff_required("moderator")
def apply_proposal(event, round_id):
    round_ = _round_or_404(event, round_id)
    try:
        count = rotation.apply_proposal(event, round_)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(ngettext("Vorschlag übernommen: %(num)d Person hat einen Platz für Runde %(round)d.",
                       "Vorschlag übernommen: %(num)d Personen haben einen Platz für Runde %(round)d.",
                       count, round=round_.number), "success")
    return _back(event)


@bp.post("/events/<int:event_id>/rotation/rounds/<int:round_id>/move")
@staff_required("moderator")
def move_participant(event, round_id):
    round_ = _round_or_404(event, round_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(str(next(iter(form.errors.values()))[0]), "error")
        return _back(event)
    participant = db.session.scalar(db.select(Participant).filter_by(event_id=event.id, id=form.participant.data))
    table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, id=form.table.data))
    if participant is None or table is None:
        abort(404)
    try:
        rotation.move(participant, table, round_)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        name = (isolated(participant.nickname, participant.writing_language) if participant.nickname
                else Markup.escape(_("Teilnehmer·in #%(id)d", id=participant.number or participant.id)))
        flash(Markup(_("%(name)s sitzt in Runde %(round)d an Tisch %(number)d.",
                       name=name, round=round_.number, number=table.number)), "success")
    return _back(event)


@bp.post("/events/<int:event_id>/rotation/switch")
@staff_required("moderator")
def switch_rotation(event):
    form = SwitchForm()
    if form.validate_on_submit():
        rotation.set_rotation(event, form.enabled.data == "1")
        db.session.commit()
        flash(_("Die Rotation ist eingeschaltet.") if event.rotation_enabled
              else _("Die Rotation ist ausgeschaltet."), "success")
    return _back(event)


def _round_or_404(event, round_id) -> Round:
    round_ = db.session.scalar(db.select(Round).filter_by(event_id=event.id, id=round_id))
    if round_ is None:
        abort(404)
    return round_


def _back(event):
    return redirect(url_for("rotation.show_rotation", event_id=event.id), 303)
