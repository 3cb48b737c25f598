"""The goal tree's blueprint and the helpers its route modules and templates share."""
from datetime import date

from flask import Blueprint, flash, redirect, url_for
from flask_babel import format_date, format_datetime, format_decimal

from app.exports import FORMATS as EXPORT_FORMATS
from app.extensions import db
from app.labels import KIND_LABELS, STATUS_LABELS
from app.services.errors import DomainError

bp = Blueprint("goaltree", __name__, template_folder="templates")


def status_of(form) -> int:
    """400 when a sent form did not validate, so the page with the typed input is no success."""
    return 400 if form.errors else 200


def refused(error: DomainError) -> int:
    """Undo what the refused change began and say why, on the page rendered next."""
    db.session.rollback()
    flash(str(error.message), "error")
    return error.status_code


def to_tree(process, node_uuid=None):
    anchor = f"node-{node_uuid}" if node_uuid else None
    return redirect(url_for("goaltree.show_tree", process_id=process.id, _anchor=anchor), 303)


def day(value) -> str:
    """A date (or an ISO date from a tree document) as the reader writes dates."""
    if not value:
        return ""
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value)


def number(value) -> str:
    return "" if value is None else format_decimal(value)


def when(moment) -> str:
    return format_datetime(moment, "medium")


def percent(value) -> int:
    return round((value or 0) * 100)


@bp.context_processor
def tree_helpers():
    """What every goal-tree template uses to show a node document in the reader's language."""
    return {"export_formats": EXPORT_FORMATS, "kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
            "day": day, "when": when, "number": number, "percent": percent}
