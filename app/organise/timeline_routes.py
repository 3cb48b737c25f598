"""The process's timeline: its events with dates and counts, snapshots and decisions, in date order.
Every member of the process's team may read it, whatever their role."""
from flask import render_template

from app.access import staff_required
from app.labels import EVENT_FORMAT_LABELS
from app.organise.routes import bp
from app.services.reports.timeline import timeline


@bp.get("/processes/<int:process_id>/timeline")
@staff_required("steering", "moderator", "interpreter")  # an organiser holds them all
def process_timeline(process):
    return render_template("organise/timeline.html", process=process, entries=timeline(process),
                           format_labels=EVENT_FORMAT_LABELS)
