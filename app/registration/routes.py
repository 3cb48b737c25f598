"""Registration before the event and the optional self-description, on the person's own pages.

Everything after registering hangs off the personal link (/r/<token>), which is also the
person's join and return link; as on that page, only the person's own phone changes anything.
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import current_participant, phone_is_own, remember_participant, return_link_participant
from app.extensions import db
from app.i18n import ONE_YEAR, current_language
from app.registration.forms import RegistrationForm, SelfDescriptionForm
from app.services.cafe import joining, registration, self_description
from app.services.errors import DomainError

bp = Blueprint("registration", __name__, template_folder="templates")

# "Not now" to the self-description, per event, so the table page stops asking.
LATER_COOKIE = "about-me-later-{}"


@bp.route("/e/<code>/register", methods=["GET", "POST"])
def register(code):
    event = g.event = joining.event_by_code(code)
    existing = current_participant(event)
    if existing is not None and existing.registration_state in registration.ACTIVE:
        flash(_("Sie sind für diese Veranstaltung schon angemeldet."), "info")
        return redirect(url_for("participate.my_ideas", token=existing.token), 303)
    if not event.registration_open:
        return render_template("registration/closed.html", event=event)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            participant = registration.register(event, form.person(current_language()), existing=existing)
        except DomainError as error:
            db.session.rollback()
            return _with_error(form, error, "registration/register.html", event=event,
                               places_left=registration.places_left(event))
        db.session.commit()
        remember_participant(participant)
        if participant.registration_state == "waiting":
            flash(_("Alle Plätze sind vergeben. Sie stehen auf der Warteliste und rücken nach, "
                    "sobald jemand absagt."), "info")
        else:
            flash(_("Sie sind angemeldet. Bewahren Sie Ihren persönlichen Link auf: Mit ihm "
                    "kommen Sie am Tag der Veranstaltung herein."), "success")
        return redirect(url_for("participate.my_ideas", token=participant.token), 303)
    return render_template("registration/register.html", event=event, form=form,
                           places_left=registration.places_left(event)), 400 if form.errors else 200


def _with_error(form, error: DomainError, template: str, **context):
    """The form again with the service's message, nothing typed lost."""
    form.form_errors.append(str(error.message))
    return render_template(template, form=form, **context), error.status_code


def _own_or_back(participant):
    """None when this phone is the link's person; else the way back to the link's page."""
    if phone_is_own(participant):
        return None
    flash(_("Bitte bestätigen Sie zuerst, dass Sie diese Person sind."), "error")
    return redirect(url_for("participate.my_ideas", token=participant.token), 303)


@bp.route("/r/<token>/registration", methods=["GET", "POST"])
def edit(token):
    participant = return_link_participant(token)
    if (back := _own_or_back(participant)) is not None:
        return back
    if participant.registration_state not in registration.ACTIVE:
        return redirect(url_for("registration.register", code=participant.event.code), 303)
    form = RegistrationForm()
    if request.method == "GET":
        form.fill_from(participant)
    elif form.validate_on_submit():
        try:
            registration.update(participant, form.person(participant.interface_language))
        except DomainError as error:
            db.session.rollback()
            return _with_error(form, error, "registration/edit.html", event=participant.event,
                               participant=participant)
        db.session.commit()
        flash(_("Ihre Anmeldung ist geändert."), "success")
        return redirect(url_for("participate.my_ideas", token=participant.token), 303)
    return render_template("registration/edit.html", event=participant.event, participant=participant,
                           form=form), 400 if form.errors else 200


@bp.post("/r/<token>/cancel")
def cancel(token):
    participant = return_link_participant(token)
    if (back := _own_or_back(participant)) is not None:
        return back
    try:
        registration.cancel(participant)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Ihre Anmeldung ist abgesagt. Ihre Angaben zum Bedarf und Ihre E-Mail-Adresse sind gelöscht."),
              "success")
    return redirect(url_for("participate.my_ideas", token=participant.token), 303)


@bp.route("/r/<token>/about-me", methods=["GET", "POST"])
def about_me(token):
    participant = return_link_participant(token)
    if (back := _own_or_back(participant)) is not None:
        return back
    form = SelfDescriptionForm()
    if request.method == "GET" and participant.consented_at is not None:
        form.gender.data = participant.gender
        form.age_band.data = participant.age_band
        form.migration_experience.data = participant.migration_experience
        form.languages.data = list(participant.languages or [])
    elif request.method == "GET":
        form.languages.data = list(participant.languages or [])
    if form.validate_on_submit():
        try:
            self_description.describe(participant, languages=form.languages.data or [], gender=form.gender.data,
                                      age_band=form.age_band.data,
                                      migration_experience=form.migration_experience.data)
        except DomainError as error:
            db.session.rollback()
            return _with_error(form, error, "registration/about_me.html", event=participant.event,
                               participant=participant)
        db.session.commit()
        flash(_("Danke. Ihre Angaben sind gespeichert; Sie können sie hier jederzeit ändern oder löschen."),
              "success")
        return redirect(url_for("participate.my_ideas", token=participant.token), 303)
    return render_template("registration/about_me.html", event=participant.event, participant=participant,
                           form=form), 400 if form.errors else 200


@bp.post("/r/<token>/about-me/withdraw")
def withdraw_about_me(token):
    participant = return_link_participant(token)
    if (back := _own_or_back(participant)) is not None:
        return back
    self_description.withdraw(participant)
    db.session.commit()
    flash(_("Ihre Angaben zur Person sind gelöscht."), "success")
    return redirect(url_for("participate.my_ideas", token=participant.token), 303)


@bp.post("/e/<code>/about-me/later")
def about_me_later(code):
    """The table page's invitation answered with "not now": it is not shown again on this phone."""
    event = g.event = joining.event_by_code(code)
    response = redirect(url_for("participate.show_table", code=event.code), 303)
    response.set_cookie(LATER_COOKIE.format(event.id), "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


def declined(event) -> bool:
    return request.cookies.get(LATER_COOKIE.format(event.id)) == "1"
