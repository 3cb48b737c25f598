"""Organisers seat people by language: a table's host and languages, interpreters at tables per round."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import staff_required
from app.extensions import db
from app.http import form_status, refused
from app.organise.forms import InterpreterSeatsForm, TableHostForm
from app.organise.routes import _table_of, _to_event, bp
from app.safety import bounded_int
from app.services.cafe import events, table_languages
from app.services.errors import DomainError, NotFound

ROUND_FIELD = "round-"  # one select per round: round-<round id> = table id, or empty for none


@bp.route("/events/<int:event_id>/tables/<int:table_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_table(event, table_id):
    table = _table_of(event, table_id)
    form = TableHostForm(obj=table)
    status = None
    if form.validate_on_submit():
        try:
            events.rename_table(table, form.name.data or "")
            table_languages.set_host(table, form.host_name.data, form.host_languages.data or [])
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Tisch %(number)d wurde gespeichert.", number=table.number), "success")
            return _to_event(event, f"table-{table.number}")
    return render_template("organise/table_form.html", form=form, event=event, table=table,
                           started=events.has_started(event)), status or form_status(form)


@bp.route("/events/<int:event_id>/interpreters", methods=["GET", "POST"])
@staff_required("moderator")
def table_interpreters(event):
    """Each interpreter of the process at a table (or none) per round; moderators read, organisers change."""
    can_edit = current_user.has_role(event.process_id, "organiser")
    status = 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        form = InterpreterSeatsForm()
        try:
            if not form.validate_on_submit():
                raise DomainError(next(iter(form.errors.values()))[0])
            membership = table_languages.assign_interpreter(event, form.membership.data, _tables_by_round())
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Die Tische von %(name)s wurden gespeichert.",
                    name=membership.user.name or membership.user.email), "success")
            return redirect(url_for("organise.table_interpreters", event_id=event.id,
                                    _anchor=f"interpreter-{membership.id}"), 303)
    return render_template("organise/interpreters.html", event=event, can_edit=can_edit,
                           interpreters=table_languages.interpreters_of(event),
                           assigned=table_languages.assignments_of(event),
                           tables={table.id: table for table in event.tables},
                           spoken={round_.id: table_languages.spoken_besides_german(event, round_)
                                   for round_ in event.rounds}), status


def _tables_by_round() -> dict[int, int | None]:
    """The sent selects: round id -> table id (None: no table). A field that names no round or
    table (a number too large, a word) names a round or table of no event, so it is refused."""
    chosen = {}
    for name, value in request.form.items():
        if not name.startswith(ROUND_FIELD):
            continue
        round_id = bounded_int(name.removeprefix(ROUND_FIELD), 1)
        if round_id is None:
            raise NotFound(_("Diese Runde gibt es bei dieser Veranstaltung nicht."))
        if not value:
            chosen[round_id] = None
            continue
        table_id = bounded_int(value, 1)
        if table_id is None:
            raise NotFound(_("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
        chosen[round_id] = table_id
    return chosen
