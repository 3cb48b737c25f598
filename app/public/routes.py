"""Public results for the whole town: a process's goal tree, the ideas that fed it, and the
downloads its organisers chose, to anyone without a login, once the organisers opted in.

Nothing on these pages could single a person out: ideas appear as texts only (no nickname, no
language, table or time of writing, no dots), hidden ones not at all. The pages are the same for
every visitor in one language, so browsers and proxies may keep them a few minutes.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import staff_required
from app.exports import FORMATS, goal_tree_file
from app.extensions import db
from app.i18n import current_language
from app.labels import KIND_LABELS, STATUS_LABELS
from app.models import Contribution, Event, Process
from app.services.administration import audit
from app.services.goals import snapshots

bp = Blueprint("public", __name__, template_folder="templates")

CACHE_SECONDS = 300


def public_process(process_uuid) -> Process:
    process = db.session.scalar(db.select(Process).filter_by(uuid=process_uuid))
    if process is None or not process.results_public:
        abort(404)
    return process


def _cached(body: str):
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.vary.update(("Accept-Language", "Cookie"))
    response.add_etag()
    return response.make_conditional(request)


def _nodes_by_idea(document: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}

    def walk(node):
        for idea in node["ideas"]:
            found.setdefault(idea["uuid"], []).append(node)
        for child in node["children"]:
            walk(child)
    for root in document["nodes"]:
        walk(root)
    return found


@bp.get("/results/<uuid:process_uuid>")
def results(process_uuid):
    process = public_process(process_uuid)
    document = snapshots.tree_document(process)
    return _cached(render_template("public/results.html", process=process, document=document,
                                   kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
                                   downloads=[(key, label) for key, label in FORMATS if key in process.published_formats]))


@bp.get("/results/<uuid:process_uuid>/ideas/<uuid:idea_uuid>")
def idea(process_uuid, idea_uuid):
    """One idea of a public process, for its author to share: its text and what it fed."""
    process = public_process(process_uuid)
    found = db.session.scalar(
        db.select(Contribution).join(Event).where(Event.process_id == process.id, Contribution.uuid == idea_uuid,
                                                  Contribution.hidden_at.is_(None)))
    if found is None:
        abort(404)
    nodes = _nodes_by_idea(snapshots.tree_document(process)).get(str(found.uuid), [])
    return _cached(render_template("public/idea.html", process=process, idea=found, nodes=nodes,
                                   kind_labels=KIND_LABELS, status_labels=STATUS_LABELS))


@bp.get("/results/<uuid:process_uuid>/goal-tree.<fmt>")
def download(process_uuid, fmt):
    process = public_process(process_uuid)
    if fmt not in process.published_formats:
        abort(404)
    file = goal_tree_file(snapshots.tree_document(process), fmt, current_language())
    response = current_app.make_response(file.content)
    response.headers.update({"Content-Type": file.mimetype, "Cache-Control": f"public, max-age={CACHE_SECONDS}",
                             "Content-Disposition": f'attachment; filename="{file.filename}"'})
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.post("/organise/processes/<int:process_id>/publication")
@staff_required("organiser")
def publish(process):
    """The organisers opt in (or out) of public results, and choose the downloads offered there."""
    process.results_public = request.form.get("public") == "1"
    process.published_formats = [key for key, _label in FORMATS if key in request.form.getlist("formats")]
    audit.record("process.publication", process.title, process_id=process.id,
                 detail={"public": process.results_public, "formats": process.published_formats})
    db.session.commit()
    flash(_("Die Ergebnisse sind jetzt öffentlich.") if process.results_public else
          _("Die Ergebnisse sind nicht öffentlich."), "success")
    return redirect(url_for("organise.show_process", process_id=process.id, _anchor="publication"), 303)


@bp.app_template_global()
def publishable_formats():
    return FORMATS


def shown_text(idea: dict, language: str) -> tuple[str, str]:
    """An idea of the tree document in `language` where a translation is there, else as written."""
    if idea["language"] != language and idea["translations"].get(language):
        return idea["translations"][language], language
    return idea["text"], idea["language"]


@bp.app_template_global()
def public_results_url(process) -> str | None:
    return url_for("public.results", process_uuid=process.uuid) if process.results_public else None


bp.add_app_template_global(shown_text, "public_shown_text")
