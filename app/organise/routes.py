"""Organisers' pages: the processes they work on, their action fields, events and team."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.access import admin_required, staff_required, visible_processes
from app.extensions import db
from app.organise.forms import ROLE_CHOICES, GrantRoleForm, ProcessForm
from app.services import processes, users

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
