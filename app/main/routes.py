"""Public pages that belong to no feature: start page, language switch, health check."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request
from sqlalchemy import text

from app.extensions import db
from app.i18n import LANGUAGE_COOKIE

bp = Blueprint("main", __name__, template_folder="templates")

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember an explicit language choice; works without JavaScript (a plain link)."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = request.args.get("next", "/")
    # Only paths on this site, never another host (no open redirect).
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
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
