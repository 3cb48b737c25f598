"""Staff login and logout. Participants never log in: they join by code."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import LoginForm
from app.extensions import db
from app.links import local_path
from app.services.administration import users

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("organise.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            login_user(user)
            db.session.commit()
            return redirect(local_path(form.next.data, url_for("organise.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("main.index"))
