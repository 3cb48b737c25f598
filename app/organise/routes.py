"""Organisers' pages: the processes they work on, their action fields, events and team."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from flask_login import login_required

from app.access import admin_required, staff_required, visible_processes
from app.extensions import db
from app.links import display_url, join_url
from app.organise.forms import ROLE_CHOICES, GrantRoleForm, ProcessForm
from app.services import processes, qr, users

bp = Blueprint("organise", __name__, template_folder="templates")


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
        db.session.commit()
        flash(_("Der Prozess wurde angelegt, mit den vier Handlungsfeldern."), "success")
        return redirect(url_for("organise.show_process", process_id=process.id))
    return render_template("organise/process_form.html", form=form)


@bp.get("/processes/<int:process_id>")
@staff_required("steering")
def show_process(process):
    return render_template("organise/process.html", process=process, grant_form=GrantRoleForm(),
                           role_labels=dict(ROLE_CHOICES))


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
            db.session.commit()
            flash(_("Die Rolle wurde vergeben."), "success")
            return redirect(url_for("organise.show_process", process_id=process.id))
    return render_template("organise/process.html", process=process, grant_form=form,
                           role_labels=dict(ROLE_CHOICES)), 400


@bp.get("/events/<int:event_id>")
@staff_required("moderator")
def show_event(event):
    return render_template("organise/event.html", event=event, event_link=join_url(event),
                           table_links={t.id: join_url(event, t) for t in event.tables})


@bp.get("/events/<int:event_id>/posters")
@staff_required("organiser")
def print_posters(event):
    """One A4 page per table and one for the event, each with a large QR code; print from the browser."""
    posters = [Poster(None, join_url(event))] + [Poster(t, join_url(event, t)) for t in event.tables]
    instructions = []
    for language in event.languages:
        if language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                instructions.append((language, _("Mit der Handykamera scannen und mitmachen – ohne App, ohne Konto.")))
    return render_template("organise/posters.html", event=event, posters=posters, instructions=instructions,
                           display_url=display_url)


class Poster:
    def __init__(self, table, url):
        self.table, self.url = table, url
        self.svg = Markup(qr.svg(url).decode("utf-8"))
