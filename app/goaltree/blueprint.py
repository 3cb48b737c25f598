"""The goal tree's blueprint and the helpers its route modules and templates share."""
from datetime import date

from flask import Blueprint, redirect, url_for
from flask_babel import format_date, format_datetime, format_decimal

from app.exports import FORMATS as EXPORT_FORMATS
from app.labels import KIND_LABELS, STATUS_LABELS
from app.services.goals.goaltree import MAX_DEPTH

bp = Blueprint("goaltree", __name__, template_folder="templates")


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
            "day": day, "when": when, "number": number, "percent": percent, "max_depth": MAX_DEPTH}
