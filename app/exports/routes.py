"""Downloads: the goal tree in every format (today's or a snapshot's), an event's results, and the
forum's record (a printable page with its photos, and a DOCX)."""

from flask import Blueprint, render_template, request

from app.i18n import current_language
from app.access import staff_required
from app.exports import Download, check_format, check_language, goal_tree_file
from app.extensions import db
from app.http import photo_response
from app.services.administration import audit
from app.services.cafe import photos
from app.services.goals import snapshots
from app.services.reports.record import event_record, harvest

bp = Blueprint("exports", __name__, template_folder="templates")


def _language() -> str:
    return check_language(request.args.get("lang") or current_language())


def _send(download: Download):
    return download.response()


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
    download = goal_tree_file(document, fmt, language, participation=True)
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


@bp.app_template_global()
def table_harvest(event):
    """For the organiser's event page: each table's round summaries and photos, by table id."""
    return harvest(event)


bp.add_app_template_global(photos.thumbnail_size, "photo_thumbnail_size")


@bp.get("/events/<int:event_id>/record")
@staff_required("steering")
def show_record(event):
    """The forum's record as a page to read and print (A4, one café table per page)."""
    return render_template("exports/record.html", record=event_record(event))


@bp.get("/events/<int:event_id>/record.docx")
@staff_required("steering")
def record_docx(event):
    from app.exports.record_docx import record_file  # python-docx is loaded when a file is asked for

    language = _language()
    download = record_file(event_record(event), language)
    _audit(event.process_id, event.id, download.filename, "docx", language)
    return _send(download)


@bp.get("/events/<int:event_id>/record/photos/<uuid:photo_uuid>")
@staff_required("steering")
def record_photo(event, photo_uuid):
    """A tablecloth photo for the record's page: the steering group reads it, as it reads the record."""
    return photo_response(photos.photo_of_event(event, photo_uuid))


def _audit(process_id: int, event_id: int | None, filename: str, fmt: str, language: str) -> None:
    """A download is staff reading data out: logged, and committed since nothing else is."""
    audit.record("export.download", filename, process_id=process_id, event_id=event_id,
                 detail={"format": fmt, "language": language})
    db.session.commit()
