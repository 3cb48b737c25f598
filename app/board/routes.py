"""The organisers' board: the ideas of every event of a process, sorted into action fields and clusters.

Every change is a small plain form (so the board works by keyboard and without JavaScript); the
drag and drop of app.js sends the same move form and asks for JSON. Each form carries the board's
filters in its address, so the page comes back as it was, at the card that changed.
"""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.i18n import current_language
from app.access import staff_required
from app.bidi import isolated, isolated_in
from app.board import views
from app.board.forms import new_cluster_form, rename_cluster_form
from app.extensions import db
from app.http import refused, wants_json
from app.labels import ORIGIN_LABELS
from app.services.goals import goaltree
from app.services.administration import audit, processes
from app.services.sorting import sorting
from app.safety import bounded_int
from app.services.errors import DomainError

bp = Blueprint("board", __name__, template_folder="templates")


def _back(process, anchor: str | None = None):
    _filters, kept = views.filters_from(request.args)
    return redirect(url_for("board.show_board", process_id=process.id, _anchor=anchor, **kept), 303)


def _place(process, value: str) -> Markup:
    """The name of a place on the board, as the move lists show it, isolated for a notice."""
    locale = current_language()
    for target in views.targets(process, sorting.clusters_of(process), locale):
        if target.value == value:
            return isolated(target.label, target.language)
    return isolated(value, locale)


@bp.get("/processes/<int:process_id>/board")
@staff_required("organiser")
def show_board(process):
    return _board_page(process)


def _board_page(process, status: int = 200, *, new_forms: dict | None = None, rename_forms: dict | None = None,
                goal_title: str = "", selected=()):
    """The board; `new_forms` / `rename_forms` hold a cluster form that came back with errors,
    `goal_title` and `selected` what was typed and ticked for a goal that was refused."""
    filters, kept = views.filters_from(request.args)
    found = sorting.board_ideas(process, filters)
    clusters = sorting.clusters_of(process)
    new_forms, rename_forms = dict(new_forms or {}), dict(rename_forms or {})
    for field in process.action_fields:
        new_forms.setdefault(field.id, new_cluster_form(field.id, formdata=None))
    for cluster in clusters:
        rename_forms.setdefault(cluster.id, rename_cluster_form(cluster, formdata=None))
    pages = min(bounded_int(request.args.get("more") or "1") or 1, 1000)
    return render_template(
        "board/board.html", filters=filters, shown=len(found.ideas), pages=pages,
        columns=views.columns(process, clusters, found.ideas, views.PAGE * pages),
        merges=sorting.active_merges(process), languages=sorting.idea_languages(process),
        round_numbers=sorted({r.number for event in process.events for r in event.rounds}),
        table_numbers=sorted({t.number for event in process.events for t in event.tables}),
        new_forms=new_forms, rename_forms=rename_forms, goal_title=goal_title,
        **_cards_context(process, clusters, found, kept, selected),
    ), status


def _cards_context(process, clusters, found, kept, selected=()) -> dict:
    """What a card needs (board/_card.html), for the board and for "show more"."""
    return {"process": process, "kept": kept, "dots": found.dots, "target_of": views.target_of, "page_size": views.PAGE,
            "targets": views.targets(process, clusters, current_language()), "many_events": len(process.events) > 1,
            "selected": set(selected), "fed": views.nodes_fed(process), "origin_labels": ORIGIN_LABELS}


@bp.get("/processes/<int:process_id>/board/cards")
@staff_required("organiser")
def more_cards(process):
    """The next cards of one cluster or column ("show more"), as list items for the board's script."""
    filters, kept = views.filters_from(request.args)
    found = sorting.board_ideas(process, filters)
    clusters = sorting.clusters_of(process)
    target = request.args.get("target", "")
    offset = bounded_int(request.args.get("offset") or "0") or 0
    group = next((group for column in views.columns(process, clusters, found.ideas, limit=len(found.ideas))
                  for group in column.groups if group.target == target), None)
    if group is None:
        abort(404)
    ideas = group.ideas[offset:offset + views.PAGE]
    return render_template("board/_cards.html", ideas=ideas, group=group, offset=offset + len(ideas),
                           **_cards_context(process, clusters, found, kept))


# Moving ideas

@bp.post("/processes/<int:process_id>/board/ideas/<uuid:idea_uuid>/move")
@staff_required("organiser")
def move_idea(process, idea_uuid):
    """One idea to the place chosen in its card's list (or where the JavaScript dropped it)."""
    try:
        idea = sorting.idea_of_process(process, idea_uuid)
        before = views.target_of(idea)
        field, cluster = views.resolve(process, request.form.get("to"))
        sorting.move([idea], field, cluster)
    except DomainError as error:
        if wants_json():
            raise  # the error handler answers in JSON
        return _board_page(process, refused(error))
    db.session.commit()
    target = views.target_of(idea)
    if wants_json():
        return jsonify(status="moved", idea=str(idea.uuid), target=target, idea_status=idea.status)
    flash(Markup(_("Die Idee liegt jetzt in „%(place)s“.", place=_place(process, target))), "success")
    # Back where the idea was, at the card that took its place: sorting by keyboard goes on from there.
    following = views.card_uuid(request.form.get("next")) if target != before else None
    return _back(process, f"idea-{following or idea.uuid}")


@bp.post("/processes/<int:process_id>/board/move")
@staff_required("organiser")
def move_selected(process):
    """Every ticked idea to the place chosen at the bottom of the board."""
    selected = request.form.getlist("selected")
    try:
        if not selected:
            raise DomainError(_l("Bitte wählen Sie mindestens eine Idee aus."))
        ideas = sorting.ideas_of_process(process, selected)
        field, cluster = views.resolve(process, request.form.get("to"))
        sorting.move(ideas, field, cluster)
    except DomainError as error:
        return _board_page(process, refused(error))
    db.session.commit()
    place = _place(process, views.target_of(ideas[0]))
    flash(Markup(ngettext("%(num)d Idee liegt jetzt in „%(place)s“.", "%(num)d Ideen liegen jetzt in „%(place)s“.",
                          len(ideas), place=place)), "success")
    return _back(process, "board")


# Merging duplicates (the one merge service, as on the moderators' list)

@bp.post("/processes/<int:process_id>/board/merge")
@staff_required("organiser")
def merge_selected(process):
    """Merge every ticked idea into the one marked "Diese bleibt"."""
    target_uuid = request.form.get("target", "")
    try:
        if not target_uuid:
            raise DomainError(_l("Bitte wählen Sie die Ideen aus und die eine, die bleiben soll."))
        target = sorting.idea_of_process(process, target_uuid)
        sources = sorting.ideas_of_process(process, [u for u in request.form.getlist("selected") if u != target_uuid])
        sorting.merge_ideas(sources, target, user=current_user)
        audit.record("idea.merge", target.text, process_id=process.id, event_id=target.event_id, detail={"idea": str(target.uuid), "count": len(sources)})
    except DomainError as error:
        return _board_page(process, refused(error))
    db.session.commit()
    flash(_("Die Ideen sind zusammengeführt."), "success")
    return _back(process, f"idea-{target.uuid}")


@bp.post("/processes/<int:process_id>/board/merges/<uuid:merge_uuid>/undo")
@staff_required("organiser")
def undo_merge(process, merge_uuid):
    try:
        record = sorting.merge_of_process(process, merge_uuid)
        sorting.undo_merge(record)
        audit.record("idea.unmerge", record.target.text, process_id=process.id, event_id=record.event_id, detail={"idea": str(record.target.uuid)})
    except DomainError as error:
        return _board_page(process, refused(error))
    db.session.commit()
    flash(_("Die Zusammenführung ist rückgängig gemacht."), "success")
    return _back(process, "merges")


# Clusters inside an action field

@bp.post("/processes/<int:process_id>/board/fields/<int:field_id>/clusters")
@staff_required("organiser")
def create_cluster(process, field_id):
    field = processes.action_field_of(process, field_id)
    form = new_cluster_form(field.id)
    if form.validate_on_submit():
        try:
            cluster = sorting.create_cluster(field, form.name.data)
        except DomainError as error:
            db.session.rollback()
            form.name.errors.append(str(error.message))
            return _board_page(process, error.status_code, new_forms={field_id: form})
        db.session.commit()
        flash(Markup(_("Der Cluster „%(name)s“ ist angelegt.", name=isolated(cluster.name, process.default_language))),
              "success")
        return _back(process, f"cluster-{cluster.id}")
    return _board_page(process, 400, new_forms={field.id: form})


@bp.post("/processes/<int:process_id>/board/clusters/<int:cluster_id>/rename")
@staff_required("organiser")
def rename_cluster(process, cluster_id):
    cluster = sorting.cluster_of_process(process, cluster_id)
    form = rename_cluster_form(cluster)
    if form.validate_on_submit():
        try:
            sorting.rename_cluster(cluster, form.name.data)
        except DomainError as error:
            db.session.rollback()
            form.name.errors.append(str(error.message))
            return _board_page(process, error.status_code, rename_forms={cluster_id: form})
        db.session.commit()
        flash(Markup(_("Der Cluster heißt jetzt „%(name)s“.", name=isolated(cluster.name, process.default_language))),
              "success")
        return _back(process, f"cluster-{cluster.id}")
    return _board_page(process, 400, rename_forms={cluster.id: form})


@bp.post("/processes/<int:process_id>/board/clusters/<int:cluster_id>/delete")
@staff_required("organiser")
def delete_cluster(process, cluster_id):
    cluster = sorting.cluster_of_process(process, cluster_id)
    name, field_id = isolated(cluster.name, process.default_language), cluster.action_field_id
    audit.record("cluster.delete", cluster.name, process_id=process.id)
    sorting.delete_cluster(cluster)
    db.session.commit()
    flash(Markup(_("Der Cluster „%(name)s“ ist aufgelöst; seine Ideen bleiben im Handlungsfeld.", name=name)), "success")
    return _back(process, f"column-field-{field_id}")


# Goals for the goal tree, in one step from a cluster or from ticked ideas

def _to_goal(process, node):
    flash(Markup(_("Das Ziel „%(title)s“ ist im Zielbaum. Ergänzen Sie hier Maßnahmen, Verantwortliche und Indikatoren.",
                   title=isolated_in(node.title, current_language()))), "success")
    return redirect(url_for("goaltree.edit_node", process_id=process.id, node_uuid=node.uuid), 303)


@bp.post("/processes/<int:process_id>/board/clusters/<int:cluster_id>/goal")
@staff_required("organiser")
def goal_from_cluster(process, cluster_id):
    """A goal named after the cluster, under its action field, linked to the cluster's ideas."""
    try:
        node = goaltree.goal_from_cluster(process, sorting.cluster_of_process(process, cluster_id))
        audit.record("goaltree.from_board", node.title, process_id=process.id)
    except DomainError as error:
        return _board_page(process, refused(error))
    db.session.commit()
    return _to_goal(process, node)


@bp.post("/processes/<int:process_id>/board/goal")
@staff_required("organiser")
def goal_from_selected(process):
    """A goal from the ticked ideas, titled as typed at the bottom of the board."""
    try:
        ideas = sorting.ideas_of_process(process, request.form.getlist("selected"))
        node = goaltree.goal_from_ideas(process, ideas, request.form.get("goal_title", ""))
        audit.record("goaltree.from_board", node.title, process_id=process.id, detail={"count": len(ideas)})
    except DomainError as error:
        return _board_page(process, refused(error), goal_title=request.form.get("goal_title", ""),
                           selected=request.form.getlist("selected"))
    db.session.commit()
    return _to_goal(process, node)
