"""Organisers' pages: the processes they work on, their action fields, events, tables, rounds and team."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.access import admin_required, staff_required, visible_processes
from app.bidi import isolated_in
from app.extensions import db
from app.http import form_status, refused
from app.languages import locale_for
from app.i18n import current_language
from app.links import display_url, is_loopback, join_url
from app.models import CafeTable, Round
from app.organise.forms import (FORMAT_CHOICES, ROLE_CHOICES, ROUND_STATE_LABELS, CopyEventForm, EventForm,
                                GrantRoleForm, NewEventForm, ProcessForm, RemoveForm, TableForm, TableHostForm,
                                action_field_form, round_form)
from app.services.administration import privacy
from app.services.cafe import events, qr, table_languages, workshops
from app.services.administration import audit, processes, users
from app.services.errors import DomainError

bp = Blueprint("organise", __name__, template_folder="templates")


def _to_event(event, anchor: str = ""):
    return redirect(url_for("organise.show_event", event_id=event.id, _anchor=anchor or None), 303)


@bp.get("/")
@login_required
def index():
    return render_template("organise/index.html", processes=visible_processes())


@bp.route("/processes/new", methods=["GET", "POST"])
@admin_required
def create_process():
    form = ProcessForm()
    if form.validate_on_submit():
        process = processes.create_process(form.title.data, description=form.description.data or "")
        privacy.set_retention(process, form.retention_days.data)
        db.session.commit()
        flash(_("Der Prozess wurde angelegt, mit den vier Handlungsfeldern."), "success")
        return redirect(url_for("organise.show_process", process_id=process.id))
    return render_template("organise/process_form.html", form=form), form_status(form)


@bp.route("/processes/<int:process_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_process(process):
    form = ProcessForm(obj=process)
    if form.validate_on_submit():
        processes.update_process(process, title=form.title.data, description=form.description.data or "")
        privacy.set_retention(process, form.retention_days.data)
        db.session.commit()
        flash(_("Die Änderungen wurden gespeichert."), "success")
        return redirect(url_for("organise.show_process", process_id=process.id))
    return render_template("organise/process_form.html", form=form, process=process), form_status(form)


@bp.get("/processes/<int:process_id>")
@staff_required("steering")
def show_process(process):
    return _process_page(process, GrantRoleForm())


def _process_page(process, grant_form, status=200):
    return render_template("organise/process.html", process=process, grant_form=grant_form,
                           role_labels=dict(ROLE_CHOICES), format_labels=dict(FORMAT_CHOICES)), status


@bp.post("/processes/<int:process_id>/roles")
@admin_required
@staff_required("organiser")
def grant_role(process):
    form = GrantRoleForm()
    if form.validate_on_submit():
        user = users.find_user(form.email.data)
        if user is None:
            form.email.errors.append(_("Es gibt kein Konto mit dieser E-Mail-Adresse."))
        else:
            users.grant_role(user, process, form.role.data)
            audit.record("role.grant", user.email, process_id=process.id, detail={"role": form.role.data})
            db.session.commit()
            flash(_("Die Rolle wurde vergeben."), "success")
            return redirect(url_for("organise.show_process", process_id=process.id))
    return _process_page(process, form, 400)


# Action fields

def _to_process(process, anchor: str = ""):
    return redirect(url_for("organise.show_process", process_id=process.id, _anchor=anchor or None), 303)


def _field_page(process, field, status: int):
    """The field's edit page as saved (after a refused delete)."""
    form = action_field_form(current_app.config["LANGUAGES"], field, formdata=None)
    return render_template("organise/action_field_form.html", form=form, process=process, action_field=field), status


@bp.route("/processes/<int:process_id>/fields/new", methods=["GET", "POST"])
@staff_required("organiser")
def create_action_field(process):
    form = action_field_form(current_app.config["LANGUAGES"])
    status = None
    if form.validate_on_submit():
        try:
            field = processes.add_action_field(process, name=form.names(), description=form.descriptions(),
                                               keywords=form.keywords.data, colour=form.colour.data)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(Markup(_("Das Handlungsfeld „%(name)s“ wurde angelegt.",
                           name=isolated_in(field.name, current_language()))), "success")
            return _to_process(process, f"field-{field.id}")
    return render_template("organise/action_field_form.html", form=form, process=process, action_field=None), \
        status or form_status(form)


@bp.route("/processes/<int:process_id>/fields/<int:field_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_action_field(process, field_id):
    field = processes.action_field_of(process, field_id)
    form = action_field_form(current_app.config["LANGUAGES"], field)
    status = None
    if form.validate_on_submit():
        try:
            processes.update_action_field(field, name=form.names(), description=form.descriptions(),
                                          keywords=form.keywords.data, colour=form.colour.data)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(Markup(_("Das Handlungsfeld „%(name)s“ wurde gespeichert.",
                           name=isolated_in(field.name, current_language()))), "success")
            return _to_process(process, f"field-{field.id}")
    return render_template("organise/action_field_form.html", form=form, process=process, action_field=field), \
        status or form_status(form)


@bp.post("/processes/<int:process_id>/fields/<int:field_id>/move")
@staff_required("organiser")
def move_action_field(process, field_id):
    """One place up or down (`direction` "up" or "down"): plain buttons, so no mouse is needed."""
    field = processes.action_field_of(process, field_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    if processes.move_action_field(field, offset):
        db.session.commit()
        flash(Markup(_("Das Handlungsfeld „%(name)s“ steht jetzt an Stelle %(position)d.",
                       name=isolated_in(field.name, current_language()), position=field.position + 1)), "success")
    return _to_process(process, f"field-{field.id}")


@bp.post("/processes/<int:process_id>/fields/<int:field_id>/delete")
@staff_required("organiser")
def delete_action_field(process, field_id):
    field = processes.action_field_of(process, field_id)
    name = isolated_in(field.name, current_language())
    try:
        audit.record("action_field.delete", field.name, process_id=process.id)
        processes.delete_action_field(field)
    except DomainError as error:
        return _field_page(process, field, refused(error))
    db.session.commit()
    flash(Markup(_("Das Handlungsfeld „%(name)s“ wurde gelöscht.", name=name)), "success")
    return _to_process(process, "action-fields")


# Events

@bp.route("/processes/<int:process_id>/events/new", methods=["GET", "POST"])
@staff_required("organiser")
def create_event(process):
    form = NewEventForm(default_language=process.default_language, languages=[process.default_language], process=process)
    if form.validate_on_submit():
        event = events.create_event(
            process, form.title.data, format=form.format.data, starts_on=form.starts_on.data,
            venue=(form.venue.data or "").strip(), default_language=form.default_language.data,
            languages=events.normalise_languages(form.default_language.data, form.languages.data),
            table_count=form.table_count.data, round_minutes=form.round_minutes.data,
            # The questions follow on the rounds' own pages.
            questions=[{} for _round in range(form.round_count.data)],
        )
        event.online_starts_on, event.online_ends_on = form.online_starts_on.data, form.online_ends_on.data
        event.online_premoderated = form.online_premoderated.data
        workshops.bind_to_field(event, form.action_field_id.data)
        db.session.commit()
        flash(_("Die Veranstaltung wurde angelegt. Tragen Sie jetzt die Fragen der Runden ein."), "success")
        return _to_event(event)
    return render_template("organise/event_form.html", form=form, process=process, event=None), form_status(form)


@bp.get("/events/<int:event_id>")
@staff_required("moderator")
def show_event(event):
    return _event_page(event)


def _event_page(event, status: int = 200, rename_forms: dict | None = None):
    """The event's hub; `rename_forms` holds a table's form that came back with errors."""
    rename_forms = rename_forms or {}
    for table in event.tables:
        if table.id not in rename_forms:
            rename_forms[table.id] = TableForm(formdata=None, prefix=_table_prefix(table), name=table.name)
    return render_template(
        "organise/event.html", event=event, event_link=join_url(event),
        table_links={t.id: join_url(event, t) for t in event.tables},
        is_organiser=current_user.has_role(event.process_id, "organiser"),
        started=events.has_started(event), format_label=dict(FORMAT_CHOICES).get(event.format, event.format),
        state_labels=ROUND_STATE_LABELS, rename_forms=rename_forms,
    ), status


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_event(event):
    form = EventForm(obj=event)
    if form.validate_on_submit():
        events.update_event(event, title=form.title.data, format=form.format.data,
                            starts_on=form.starts_on.data, venue=form.venue.data or "",
                            default_language=form.default_language.data, languages=form.languages.data)
        event.online_starts_on, event.online_ends_on = form.online_starts_on.data, form.online_ends_on.data
        event.online_premoderated = form.online_premoderated.data
        workshops.bind_to_field(event, form.action_field_id.data)
        db.session.commit()
        flash(_("Die Änderungen wurden gespeichert."), "success")
        return _to_event(event)
    return render_template("organise/event_form.html", form=form, process=event.process, event=event), \
        form_status(form)


@bp.route("/events/<int:event_id>/copy", methods=["GET", "POST"])
@staff_required("organiser")
def copy_event(event):
    form = CopyEventForm(title=_("%(title)s (Kopie)", title=event.title))
    if form.validate_on_submit():
        copy = events.copy_event(event, form.title.data, form.starts_on.data)
        db.session.commit()
        flash(_("Die Kopie wurde angelegt, mit eigenem Code und eigenen Links für die Tische."), "success")
        return _to_event(copy)
    return render_template("organise/copy_form.html", form=form, event=event), form_status(form)


@bp.get("/events/<int:event_id>/posters")
@staff_required("organiser")
def print_posters(event):
    """One A4 page per table and one for the event, each with a large QR code; print from the browser."""
    posters = [Poster(None, join_url(event))] + [Poster(t, join_url(event, t)) for t in event.tables]
    instructions = []
    for language in event.languages:
        if language in current_app.config["LANGUAGES"]:
            with force_locale(locale_for(language)):
                instructions.append((language, _("Mit der Handykamera scannen und mitmachen – ohne App, ohne Konto.")))
    return render_template("organise/posters.html", event=event, posters=posters, instructions=instructions,
                           display_url=display_url, unreachable=is_loopback(posters[0].url))


class Poster:
    def __init__(self, table, url):
        self.table, self.url = table, url
        self.svg = Markup(qr.svg(url).decode("utf-8"))


# Tables

def _table_of(event, table_id: int) -> CafeTable:
    table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, id=table_id))
    if table is None:
        abort(404)
    return table


def _table_prefix(table: CafeTable) -> str:
    # One rename form per table on the hub: the prefix keeps their field ids apart.
    return f"table-{table.id}"


@bp.route("/events/<int:event_id>/tables/new", methods=["GET", "POST"])
@staff_required("organiser")
def add_table(event):
    form = TableHostForm()
    status = None
    if form.validate_on_submit():
        try:
            table = events.add_next_table(event, form.name.data or "")
            table_languages.set_host(table, form.host_name.data, form.host_languages.data or [])
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Tisch %(number)d wurde hinzugefügt.", number=table.number), "success")
            return _to_event(event, "tables")
    return render_template("organise/table_form.html", form=form, event=event,
                           started=events.has_started(event)), status or form_status(form)


@bp.post("/events/<int:event_id>/tables/<int:table_id>/rename")
@staff_required("organiser")
def rename_table(event, table_id):
    table = _table_of(event, table_id)
    form = TableForm(prefix=_table_prefix(table))
    if not form.validate_on_submit():
        return _event_page(event, 400, {table.id: form})
    events.rename_table(table, form.name.data or "")
    db.session.commit()
    flash(_("Tisch %(number)d wurde umbenannt.", number=table.number), "success")
    return _to_event(event, "tables")


@bp.post("/events/<int:event_id>/tables/<int:table_id>/remove")
@staff_required("organiser")
def remove_table(event, table_id):
    table = _table_of(event, table_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    number = table.number
    try:
        events.remove_table(table)
        audit.record("table.delete", event.title, process_id=event.process_id, event_id=event.id, detail={"table": number})
    except DomainError as error:
        return _event_page(event, refused(error))
    db.session.commit()
    flash(_("Tisch %(number)d wurde entfernt.", number=number), "success")
    return _to_event(event, "tables")


# Rounds

def _round_of(event, round_id: int) -> Round:
    round_ = db.session.scalar(db.select(Round).filter_by(event_id=event.id, id=round_id))
    if round_ is None:
        abort(404)
    return round_


@bp.route("/events/<int:event_id>/rounds/new", methods=["GET", "POST"])
@staff_required("organiser")
def add_round(event):
    last = event.rounds[-1] if event.rounds else None
    form = round_form(event, duration_minutes=last.duration_minutes if last else 20)
    status = None
    if form.validate_on_submit():
        try:
            round_ = events.add_round(event, question=form.question(),
                                      duration_minutes=form.duration_minutes.data)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Runde %(number)d wurde angelegt.", number=round_.number), "success")
            return _to_event(event, "rounds")
    return render_template("organise/round_form.html", form=form, event=event, round_=None,
                           state_labels=ROUND_STATE_LABELS), status or form_status(form)


@bp.route("/events/<int:event_id>/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_round(event, round_id):
    round_ = _round_of(event, round_id)
    form = round_form(event, round_)
    status = None
    if form.validate_on_submit():
        try:
            events.update_round(round_, question=form.question(), duration_minutes=form.duration_minutes.data)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Runde %(number)d wurde gespeichert.", number=round_.number), "success")
            return _to_event(event, "rounds")
    return render_template("organise/round_form.html", form=form, event=event, round_=round_,
                           state_labels=ROUND_STATE_LABELS), status or form_status(form)


@bp.post("/events/<int:event_id>/rounds/<int:round_id>/remove")
@staff_required("organiser")
def remove_round(event, round_id):
    round_ = _round_of(event, round_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    number = round_.number
    try:
        events.remove_round(round_)
        audit.record("round.delete", event.title, process_id=event.process_id, event_id=event.id, detail={"round": number})
    except DomainError as error:
        return _event_page(event, refused(error))
    db.session.commit()
    flash(_("Runde %(number)d wurde entfernt.", number=number), "success")
    return _to_event(event, "rounds")
