"""Organisers' side of registration: places, the needs as counts, the list, check-in, the venue list.

Needs are special-category data: this page and the venue list are for organisers only, and each
download of the list is logged.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import staff_required
from app.exports import Download
from app.extensions import db
from app.i18n import current_language, name_of
from app.labels import REGISTRATION_STATE_LABELS
from app.links import public_url
from app.models import Participant
from app.registration.forms import StaffRegistrationForm, settings_form
from app.registration.routes import bp
from app.services.administration import audit
from app.services.cafe import registration
from app.services.errors import DomainError, NotFound

PREFIX = "/organise/events/<int:event_id>/registrations"


def _person(event, participant_id: int) -> Participant:
    person = db.session.scalar(db.select(Participant).where(
        Participant.id == participant_id, Participant.event_id == event.id, Participant.registration_state.is_not(None)))
    if person is None:
        raise NotFound(_l("Diese Anmeldung gibt es bei dieser Veranstaltung nicht."))
    return person


def _to_list(event, anchor: str = ""):
    return redirect(url_for("registration.staff_list", event_id=event.id, _anchor=anchor or None), 303)


@bp.route(PREFIX, methods=["GET", "POST"])
@staff_required("organiser")
def staff_list(event):
    form = settings_form(event, prefix="settings")
    if request.method == "GET":
        form.registration_open.data = event.registration_open
        form.capacity.data = event.registration_capacity
        for code, name in form.note_fields:
            form[name].data = event.registration_note.get(code, "")
    elif form.validate_on_submit():
        moved = registration.set_registration(event, open_=form.registration_open.data, capacity=form.capacity.data)
        event.registration_note = form.note()
        audit.record("registration.settings", event.title, process_id=event.process_id, event_id=event.id,
                     detail={"count": event.registration_capacity or 0})
        db.session.commit()
        flash(_("Gespeichert."), "success")
        if moved:
            flash(_("Von der Warteliste nachgerückt: %(names)s", names=", ".join(p.name for p in moved)), "info")
        return _to_list(event)
    return render_template("registration/staff_list.html", event=event, form=form,
                           counts=registration.counts(event), people=registration.registrations(event),
                           state_labels=REGISTRATION_STATE_LABELS,
                           register_url=public_url("registration.register", code=event.code)), \
        400 if form.errors else 200


@bp.route(PREFIX + "/new", methods=["GET", "POST"])
@staff_required("organiser")
def staff_register(event):
    """Someone called in: an organiser registers them, with their consent given by phone."""
    form = StaffRegistrationForm()
    if form.validate_on_submit():
        try:
            person = registration.register(event, form.person(event.default_language), by_staff=True)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
            return render_template("registration/staff_new.html", event=event, form=form), error.status_code
        audit.record("registration.add", person.name, process_id=event.process_id, event_id=event.id)
        db.session.commit()
        return render_template("registration/staff_added.html", event=event, person=person,
                               link=public_url("participate.my_ideas", token=person.token),
                               state_labels=REGISTRATION_STATE_LABELS)
    return render_template("registration/staff_new.html", event=event, form=form), 400 if form.errors else 200


@bp.post(PREFIX + "/<int:participant_id>/check-in")
@staff_required("organiser")
def staff_check_in(event, participant_id):
    person = _person(event, participant_id)
    if request.form.get("undo") == "1":
        registration.undo_check_in(person)
    else:
        registration.check_in(person)
        audit.record("registration.check_in", person.name, process_id=event.process_id, event_id=event.id)
    db.session.commit()
    return _to_list(event, f"person-{person.id}")


@bp.post(PREFIX + "/<int:participant_id>/cancel")
@staff_required("organiser")
def staff_cancel(event, participant_id):
    person = _person(event, participant_id)
    try:
        moved = registration.cancel(person)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _to_list(event)
    audit.record("registration.cancel", person.name, process_id=event.process_id, event_id=event.id)
    db.session.commit()
    flash(_("Abgesagt: %(name)s.", name=person.name), "success")
    if moved is not None:
        flash(_("Von der Warteliste nachgerückt: %(names)s", names=moved.name), "info")
    return _to_list(event)


@bp.get(PREFIX + ".xlsx")
@staff_required("organiser")
def staff_venue_list(event):
    """The list for the venue team: who comes, who waits, and what they need."""
    from app.exports.sheets import DATETIME, INT, LABEL, TEXT, Column, naive, workbook_bytes

    language = current_language()
    columns = [Column(_l("Nr."), INT), Column(_l("Name oder Pseudonym")), Column(_l("Status"), LABEL),
               Column(_l("Eingecheckt"), DATETIME), Column(_l("E-Mail-Adresse")), Column(_l("Sprachen"), LABEL),
               Column(_l("Verdolmetschung in"), LABEL), Column(_l("Kinderbetreuung, Alter"), LABEL),
               Column(_l("Stufenloser Zugang"), LABEL), Column(_l("Anderer Bedarf"), TEXT, width=40)]
    rows = [(p.number, p.name, str(REGISTRATION_STATE_LABELS[p.registration_state]), naive(p.checked_in_at), p.email,
             ", ".join(name_of(code) for code in p.languages or []),
             name_of(p.interpretation_language) if p.interpretation_language else "",
             p.childcare_ages, _("ja") if p.step_free else "", p.other_needs)
            for p in registration.registrations(event)]
    content = workbook_bytes([(_("Anmeldungen"), columns, rows)], language)
    audit.record("registration.export", event.title, process_id=event.process_id, event_id=event.id,
                 detail={"count": len(rows)})
    db.session.commit()
    return Download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    f"anmeldungen-{event.code}.xlsx").response()
