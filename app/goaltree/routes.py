"""The tree page and its nodes: start the tree, add, edit, move, reorder and delete nodes.

Every change is a small plain form, so the editor works by keyboard and without JavaScript; the
drag and drop of app.js sends the same move form and asks for JSON.
"""
from flask import jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.access import staff_required
from app.extensions import db
from app.goaltree import views
from app.goaltree.blueprint import bp, to_tree
from app.http import form_status, refused, wants_json
from app.goaltree.forms import indicator_form, new_child_form, node_form
from app.services.administration import audit
from app.services.goals import actors as goal_actors
from app.services.goals import comments, decisions, goaltree, indicators, snapshots
from app.services.reports import progress
from app.services.errors import DomainError


@bp.get("/processes/<int:process_id>/goal-tree")
@staff_required("steering")
def show_tree(process):
    return _tree_page(process)


def _tree_page(process, status: int = 200, failed=None):
    """The tree; `failed` is (node uuid, form) of a new-node form that came back with errors."""
    root = goaltree.root_of(process)
    return render_template(
        "goaltree/tree.html", process=process, document=snapshots.tree_document(process) if root else None,
        can_edit=current_user.has_role(process.id, "organiser"), failed=failed,
        missing_fields=views.fields_without_node(process) if root else [],
        snapshot_count=snapshots.count_of(process), open_feedback=comments.open_counts(process) if root else {},
    ), status


@bp.post("/processes/<int:process_id>/goal-tree/start")
@staff_required("organiser")
def start_tree(process):
    """Start the tree (a Leitziel and one Handlungsfeld per action field), or add new fields' nodes."""
    started = goaltree.root_of(process) is not None
    goaltree.ensure_tree(process)
    audit.record("goaltree.start", process.title, process_id=process.id)
    db.session.commit()
    flash_text = _("Neue Handlungsfelder sind jetzt im Zielbaum.") if started else _("Der Zielbaum ist angelegt.")
    views.say(flash_text)
    return to_tree(process)


@bp.post("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/children")
@staff_required("organiser")
def add_child(process, node_uuid):
    form = new_child_form(node_uuid)
    try:
        parent = goaltree.node_of_process(process, node_uuid)
        if not form.validate_on_submit():
            return _tree_page(process, 400, failed=(str(node_uuid), form))
        node = goaltree.add_node(parent, form.kind.data, form.title.data)
        audit.record("goaltree.add", node.title, process_id=process.id)
    except DomainError as error:
        return _tree_page(process, refused(error), failed=(str(node_uuid), form))
    db.session.commit()
    views.say(Markup(_("„%(title)s“ ist angelegt.", title=views.isolated_title(node))))
    return to_tree(process, node.uuid)


@bp.route("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>", methods=["GET", "POST"])
@staff_required("organiser")
def edit_node(process, node_uuid):
    node = goaltree.node_of_process(process, node_uuid)
    form = node_form(node)
    status = None
    if form.validate_on_submit():
        try:
            goaltree.update_node(node, **form.changes())
            goal_actors.set_node_actors(node, form.actors.data)  # picked from the register
            audit.record("goaltree.edit", node.display_title, process_id=process.id)
        except DomainError as error:
            status = refused(error)
            node = goaltree.node_of_process(process, node_uuid)
        else:
            db.session.commit()
            views.say(_("Die Änderungen wurden gespeichert."))
            return to_tree(process, node.uuid)
    return _node_page(process, node, form, status or form_status(form))


def _node_page(process, node, form, status: int = 200, new_indicator=None):
    tree = progress.load_tree(process)
    return render_template(
        "goaltree/node.html", process=process, node=node, form=form, progress=tree.progress()[node.id],
        path=views.path_of(tree, node), indicators=[(i, tree.latest(i), tree.indicator_progress(i))
                                                    for i in tree.indicators.get(node.id, [])],
        new_indicator=new_indicator or indicator_form(formdata=None), ideas=views.linked_ideas(node),
        comments=comments.comments_of(process, node=node), decisions=decisions.decisions_of(process, node=node),
    ), status


@bp.post("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/indicators")
@staff_required("organiser")
def add_indicator(process, node_uuid):
    node = goaltree.node_of_process(process, node_uuid)
    form = indicator_form()
    status = None
    if form.validate_on_submit():
        try:
            values = form.values()
            indicator = indicators.add_indicator(node, values.pop("name"), **values)
        except DomainError as error:
            status = refused(error)
        else:
            # The node changed: its indicators are part of it (no action of its own for now).
            audit.record("goaltree.edit", node.display_title, process_id=process.id)
            db.session.commit()
            views.say(_("Der Indikator ist angelegt. Tragen Sie hier seine Messwerte ein."))
            return views.to_indicator(process, indicator)
    return _node_page(process, node, node_form(node, formdata=None), status or form_status(form), new_indicator=form)


@bp.post("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/ideas/<uuid:idea_uuid>/unlink")
@staff_required("organiser")
def unlink_idea(process, node_uuid, idea_uuid):
    node = goaltree.node_of_process(process, node_uuid)
    idea = views.linked_idea(node, idea_uuid)
    goaltree.unlink_idea(node, idea)
    audit.record("goaltree.unlink", idea.text, process_id=process.id, event_id=idea.event_id)
    db.session.commit()
    views.say(_("Die Idee ist nicht mehr mit diesem Knoten verbunden."))
    return views.to_node(process, node, "ideas")


@bp.route("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/delete", methods=["GET", "POST"])
@staff_required("organiser")
def delete_node(process, node_uuid):
    """A page that says what goes with the node, and a button that deletes it."""
    node = goaltree.node_of_process(process, node_uuid)
    if request.method == "POST":
        try:
            parent_uuid, title = node.parent.uuid if node.parent else None, views.isolated_title(node)
            audit.record("goaltree.delete", node.display_title, process_id=process.id)
            goaltree.delete_node(node)
        except DomainError as error:
            status = refused(error)
            return _delete_page(process, goaltree.node_of_process(process, node_uuid), status)
        db.session.commit()
        views.say(Markup(_("„%(title)s“ ist gelöscht.", title=title)))
        return to_tree(process, parent_uuid)
    return _delete_page(process, node)


def _delete_page(process, node, status: int = 200):
    return render_template("goaltree/delete.html", process=process, node=node,
                           deletion=goaltree.deletion_of(node)), status


@bp.route("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/move", methods=["GET", "POST"])
@staff_required("organiser")
def move_node(process, node_uuid):
    """Under another node (chosen on a page of radio buttons, or where JavaScript dropped it), at a
    position; or one place up or down among its siblings (`direction`)."""
    node = goaltree.node_of_process(process, node_uuid)
    if request.method == "GET":
        return _move_page(process, node)
    try:
        direction = request.form.get("direction")
        if direction in ("up", "down"):
            siblings = [child.id for child in node.parent.children] if node.parent else []
            position = siblings.index(node.id) + (-1 if direction == "up" else 1) if node.id in siblings else 0
            parent = node.parent
        else:
            parent = goaltree.node_of_process(process, request.form.get("parent", ""))
            position = views.position_from(request.form.get("position"))
        if parent is None:
            raise DomainError(views.ROOT_STAYS)
        goaltree.move_node(node, parent, position)
        audit.record("goaltree.move", node.display_title, process_id=process.id)
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            return jsonify(error=str(error.message)), error.status_code
        if request.form.get("direction"):
            return _tree_page(process, refused(error))
        return _move_page(process, goaltree.node_of_process(process, node_uuid), refused(error))
    db.session.commit()
    if wants_json():
        return jsonify(moved=str(node.uuid), parent=str(parent.uuid), tree=url_for(
            "goaltree.show_tree", process_id=process.id))
    views.say(Markup(_("„%(title)s“ ist verschoben.", title=views.isolated_title(node))))
    return to_tree(process, node.uuid)


def _move_page(process, node, status: int = 200):
    return render_template("goaltree/move.html", process=process, node=node,
                           targets=views.move_targets(process, node)), status
