"""Staff login and logout. Participants never log in: they join by code."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import limits
from app.access import end_staff_session, start_staff_session
from app.auth.forms import LoginForm
from app.extensions import db
from app.safety import safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("organise.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = limits.authenticate(form.email.data, form.password.data)
        except limits.TooMany as error:
            db.session.rollback()
            form.password.errors.append(str(error.message))
            return render_template("auth/login.html", form=form), 429
        if user is None:
            db.session.commit()
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            start_staff_session(user)  # a new session and CSRF token: nothing planted before survives
            login_user(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, url_for("organise.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # Every copy of this session's cookie stops working, wherever it was kept.
    current_user.session_version += 1
    db.session.commit()
    logout_user()
    end_staff_session()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("main.index"))
