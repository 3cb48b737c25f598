"""Downloads: the goal tree in every format (today's or a snapshot's), and an event's results."""
from io import BytesIO

from flask import Blueprint, request, send_file

from app.i18n import current_language
from app.access import staff_required
from app.exports import Download, check_format, check_language, goal_tree_file
from app.extensions import db
from app.services.administration import audit
from app.services.goals import snapshots

bp = Blueprint("exports", __name__)


def _language() -> str:
    return check_language(request.args.get("lang") or current_language())


def _send(download: Download):
    response = send_file(BytesIO(download.content), mimetype=download.mimetype, as_attachment=True,
                         download_name=download.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/processes/<int:process_id>/goal-tree/export")
@staff_required("steering")
def goal_tree(process):
    fmt = check_format(request.args.get("format", ""))
    language = _language()
    snapshot_uuid = request.args.get("snapshot")
    if snapshot_uuid:
        document = snapshots.snapshot_of_process(process, snapshot_uuid).document
    else:
        document = snapshots.tree_document(process)
    download = goal_tree_file(document, fmt, language)
    _audit(process.id, None, download.filename, fmt, language)
    return _send(download)


@bp.get("/events/<int:event_id>/results")
@staff_required("steering")
def event_results(event):
    from app.exports import results  # openpyxl is loaded when a file is asked for, not at start-up

    fmt = check_format(request.args.get("format", "xlsx"), results.FORMATS)
    download = results.event_results_file(event, fmt, _language())
    _audit(event.process_id, event.id, download.filename, fmt, _language())
    return _send(download)


def _audit(process_id: int, event_id: int | None, filename: str, fmt: str, language: str) -> None:
    """A download is staff reading data out: logged, and committed since nothing else is."""
    audit.record("export.download", filename, process_id=process_id, event_id=event_id,
                 detail={"format": fmt, "language": language})
    db.session.commit()
