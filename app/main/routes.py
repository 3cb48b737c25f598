"""Public pages that belong to no feature: start page, language switch, health check."""
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from app.extensions import db
from app.i18n import LANGUAGE_COOKIE, ONE_YEAR
from app.safety import safe_next
from app.tokens import normalise_code

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/join")
def join_by_code():
    """The start page's code box: a plain GET form, so it works without JavaScript."""
    code = normalise_code(request.args.get("code", ""))
    if not code:
        return redirect(url_for("main.index"))
    return redirect(url_for("participate.join", code=code))


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember an explicit language choice; works without JavaScript (a plain link)."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next(request.args.get("next"), "/"))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
