"""Comments on the goal tree: the steering group writes on a node's page or a snapshot's, organisers
answer and resolve there or on the process's overview of every comment (the actors' feedback too).

The steering group changes nothing but its own comments and the decision log: the node page here
only reads the node; editing it stays with organisers (routes.edit_node).
"""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import staff_required
from app.extensions import db
from app.goaltree import views
from app.goaltree.blueprint import bp
from app.goaltree.steering_forms import COMMENT_KIND_LABELS, CommentForm
from app.http import form_status, refused
from app.services.administration import audit
from app.services.errors import DomainError
from app.services.goals import comments, decisions, goaltree, snapshots
from app.services.reports import progress


@bp.app_template_global()
def comment_kind_label(kind: str):
    return COMMENT_KIND_LABELS.get(kind, kind)


bp.add_app_template_global(comments.resolver_of, "comment_resolver")


@bp.route("/processes/<int:process_id>/goal-tree/nodes/<uuid:node_uuid>/feedback", methods=["GET", "POST"])
@staff_required("steering")
def node_feedback(process, node_uuid):
    """The node as the steering group reads it, its comments and decisions; POST: a new comment."""
    node = goaltree.node_of_process(process, node_uuid)
    form = CommentForm()
    status = None
    if form.validate_on_submit():
        try:
            comment = comments.add_comment(process, current_user, form.kind.data, form.text.data, node=node)
            audit.record("comment.add", node.display_title, process_id=process.id)
        except DomainError as error:
            status = refused(error)
            node = goaltree.node_of_process(process, node_uuid)
        else:
            db.session.commit()
            views.say(_("Ihre Rückmeldung ist gespeichert. Das Organisationsteam sieht sie in der Übersicht."))
            return redirect(url_for("goaltree.node_feedback", process_id=process.id, node_uuid=node.uuid,
                                    _anchor=f"comment-{comment.uuid}"), 303)
    tree = progress.load_tree(process)
    return render_template(
        "goaltree/feedback.html", process=process, node=node, form=form, progress=tree.progress()[node.id],
        path=views.path_of(tree, node), indicators=[(i, tree.latest(i), tree.indicator_progress(i))
                                                    for i in tree.indicators.get(node.id, [])],
        comments=comments.comments_of(process, node=node), decisions=decisions.decisions_of(process, node=node),
        can_answer=current_user.has_role(process.id, "organiser"),
    ), status or form_status(form)


@bp.post("/processes/<int:process_id>/goal-tree/snapshots/<uuid:snapshot_uuid>/comments")
@staff_required("steering")
def comment_snapshot(process, snapshot_uuid):
    snapshot = snapshots.snapshot_of_process(process, snapshot_uuid)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = comments.add_comment(process, current_user, form.kind.data, form.text.data, snapshot=snapshot)
            audit.record("comment.add", snapshot.name, process_id=process.id, detail={"snapshot": snapshot.name})
        except DomainError as error:
            refused(error)
        else:
            db.session.commit()
            views.say(_("Ihre Rückmeldung ist gespeichert. Das Organisationsteam sieht sie in der Übersicht."))
            return redirect(url_for("goaltree.show_snapshot", process_id=process.id, snapshot_uuid=snapshot.uuid,
                                    _anchor=f"comment-{comment.uuid}"), 303)
    snapshot = snapshots.snapshot_of_process(process, snapshot_uuid)
    return render_template("goaltree/snapshot.html", process=process, snapshot=snapshot, document=snapshot.document,
                           **snapshot_feedback(process, snapshot, form)), 400


def snapshot_feedback(process, snapshot, form=None) -> dict:
    """What the snapshot page shows below the tree: its comments and the form for a new one."""
    return {"comments": comments.comments_of(process, snapshot=snapshot), "new_comment": form or CommentForm(),
            "can_answer": current_user.has_role(process.id, "organiser")}


@bp.get("/processes/<int:process_id>/feedback")
@staff_required("steering")
def list_feedback(process):
    """Every comment of the process, the steering group's and the actors', open ones by default."""
    state = request.args.get("state", "open")
    if state not in comments.STATES:
        state = "open"
    return render_template("goaltree/feedback_list.html", process=process, state=state,
                           comments=comments.comments_of(process, state=state),
                           can_answer=current_user.has_role(process.id, "organiser"))


@bp.post("/processes/<int:process_id>/feedback/<uuid:comment_uuid>/answer")
@staff_required("organiser")
def answer_comment(process, comment_uuid):
    comment = comments.comment_of_process(process, comment_uuid)
    try:
        comments.answer(comment, current_user, request.form.get("text", ""))
        audit.record("comment.answer", comment.text, process_id=process.id)
    except DomainError as error:
        refused(error)
        return _back(process, comments.comment_of_process(process, comment_uuid))
    db.session.commit()
    views.say(_("Ihre Antwort ist gespeichert."))
    return _back(process, comment)


@bp.post("/processes/<int:process_id>/feedback/<uuid:comment_uuid>/resolve")
@staff_required("organiser")
def resolve_comment(process, comment_uuid):
    comment = comments.comment_of_process(process, comment_uuid)
    if comments.resolve(comment, current_user):
        audit.record("comment.resolve", comment.text, process_id=process.id)
        db.session.commit()
    views.say(_("Die Rückmeldung ist als erledigt markiert."))
    return _back(process, comment)


@bp.post("/processes/<int:process_id>/feedback/<uuid:comment_uuid>/reopen")
@staff_required("organiser")
def reopen_comment(process, comment_uuid):
    comment = comments.comment_of_process(process, comment_uuid)
    if comments.reopen(comment):
        audit.record("comment.reopen", comment.text, process_id=process.id)
        db.session.commit()
    views.say(_("Die Rückmeldung ist wieder offen."))
    return _back(process, comment)


def _back(process, comment):
    """To the page the form was on (named, never a URL), at the comment."""
    back, anchor = request.form.get("back"), f"comment-{comment.uuid}"
    if back == "node" and comment.node is not None:
        return views.to_node(process, comment.node, anchor)
    if back == "feedback" and comment.node is not None:
        return redirect(url_for("goaltree.node_feedback", process_id=process.id, node_uuid=comment.node.uuid,
                                _anchor=anchor), 303)
    if back == "snapshot" and comment.snapshot is not None:
        return redirect(url_for("goaltree.show_snapshot", process_id=process.id,
                                snapshot_uuid=comment.snapshot.uuid, _anchor=anchor), 303)
    state = request.form.get("state")
    return redirect(url_for("goaltree.list_feedback", process_id=process.id,
                            state=state if state in comments.STATES else "open", _anchor=anchor), 303)
