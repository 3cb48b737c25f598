"""The evaluation report of a comparison (two snapshots, or a snapshot and today) as DOCX or XLSX,
downloaded from the comparison page; the steering group reads it as it reads the comparison."""
from flask import request

from app.access import staff_required
from app.exports.evaluation import evaluation_file
from app.extensions import db
from app.goaltree.blueprint import bp
from app.i18n import current_language
from app.services.administration import audit
from app.services.goals import snapshots

TODAY = "today"


@bp.get("/processes/<int:process_id>/goal-tree/compare/report")
@staff_required("steering")
def evaluation_report(process):
    """`old` and `new` as on the comparison page; `fmt` docx or xlsx; `lang` the report's language."""
    old = snapshots.snapshot_of_process(process, request.args.get("old", ""))
    new_value = request.args.get("new") or TODAY
    new = None if new_value == TODAY else snapshots.snapshot_of_process(process, new_value)
    fmt, language = request.args.get("fmt", "docx"), request.args.get("lang") or current_language()
    download = evaluation_file(process, old, new, fmt, language)
    # A download is staff reading data out: logged, and committed since nothing else is.
    audit.record("export.download", download.filename, process_id=process.id,
                 detail={"format": fmt, "language": language, "snapshot": old.name})
    db.session.commit()
    return download.response()
