"""The participation report (Teilnahmebericht) of an event or a process: the page with its charts
(each an SVG image of its own), and the CSV and DOCX downloads. Staff of the process only: moderators
for an event, the steering group for the whole process."""

from flask import Response, abort, render_template, request, url_for

from app.access import staff_required
from app.exports import Download, check_language
from app.exports import participation as exports
from app.extensions import db
from app.i18n import current_language
from app.organise.routes import bp
from app.services.administration import audit
from app.services.reports import participation

# The charts are images of their own: matplotlib's SVG styles its shapes with style attributes,
# which the pages' policy forbids, while an image can run nothing.
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _page(report, chart_url, download_url):
    return render_template("organise/participation.html", report=report, charts=exports.charts_of(report),
                           chart_url=chart_url, download_url=download_url, hidden=exports.HIDDEN,
                           hidden_note=exports.HIDDEN_NOTE, groups_note=exports.GROUPS_NOTE,
                           languages_note=exports.LANGUAGES_NOTE, dots_note=exports.DOTS_NOTE,
                           time_title=exports.TIME_TITLE, groups_title=exports.GROUPS_TITLE,
                           measures=exports.measures, time_label=exports.time_label)


def _chart(report, key: str):
    content = exports.chart_svg(report, key)
    if content is None:
        abort(404)
    response = Response(content, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = CHART_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _download(report_for, process_id: int, event_id: int | None):
    language = check_language(request.args.get("lang") or current_language())
    fmt = request.args.get("format", "csv")
    download: Download = exports.participation_file(report_for, fmt, language)
    audit.record("export.download", download.filename, process_id=process_id, event_id=event_id,
                 detail={"format": f"participation-{fmt}", "language": language})
    db.session.commit()
    return download.response()


@bp.get("/events/<int:event_id>/participation")
@staff_required("moderator")
def event_participation(event):
    report = participation.event_report(event, current_language())
    return _page(report, lambda key: url_for("organise.event_participation_chart", event_id=event.id, chart=key),
                 lambda fmt: url_for("organise.download_event_participation", event_id=event.id, format=fmt))


@bp.get("/events/<int:event_id>/participation/charts/<chart>.svg")
@staff_required("moderator")
def event_participation_chart(event, chart):
    return _chart(participation.event_report(event, current_language()), chart)


@bp.get("/events/<int:event_id>/participation/download")
@staff_required("moderator")
def download_event_participation(event):
    return _download(lambda language: participation.event_report(event, language), event.process_id, event.id)


@bp.get("/processes/<int:process_id>/participation")
@staff_required("steering")
def process_participation(process):
    report = participation.process_report(process, current_language())
    return _page(report, lambda key: url_for("organise.process_participation_chart", process_id=process.id, chart=key),
                 lambda fmt: url_for("organise.download_process_participation", process_id=process.id, format=fmt))


@bp.get("/processes/<int:process_id>/participation/charts/<chart>.svg")
@staff_required("steering")
def process_participation_chart(process, chart):
    return _chart(participation.process_report(process, current_language()), chart)


@bp.get("/processes/<int:process_id>/participation/download")
@staff_required("steering")
def download_process_participation(process):
    return _download(lambda language: participation.process_report(process, language), process.id, None)
