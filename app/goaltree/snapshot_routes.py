"""Evaluation snapshots: freeze the tree with its values under a name, look at a frozen tree, and
compare two snapshots, or a snapshot and today, side by side."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.access import staff_required
from app.bidi import isolated
from app.extensions import db
from app.goaltree import feedback_routes, views
from app.goaltree.blueprint import bp
from app.http import form_status, refused
from app.goaltree.forms import SnapshotForm
from app.services.administration import audit
from app.services.goals import goaltree, snapshots
from app.services.errors import DomainError

TODAY = "today"


@bp.route("/processes/<int:process_id>/goal-tree/snapshots", methods=["GET", "POST"])
@staff_required("steering")
def list_snapshots(process):
    form = SnapshotForm()
    status = None
    if request.method == "POST":
        if not current_user.has_role(process.id, "organiser"):
            abort(403)
        if form.validate():
            try:
                if goaltree.root_of(process) is None:
                    raise DomainError(_("Legen Sie zuerst den Zielbaum an."))
                snapshot = snapshots.freeze(process, form.name.data)
                audit.record("goaltree.snapshot", snapshot.name, process_id=process.id)
            except DomainError as error:
                status = refused(error)
            else:
                db.session.commit()
                views.say(Markup(_("Der Stand „%(name)s“ ist festgehalten.",
                                   name=isolated(snapshot.name, process.default_language))))
                return redirect(url_for("goaltree.list_snapshots", process_id=process.id), 303)
    return render_template("goaltree/snapshots.html", process=process, form=form,
                           snapshots=snapshots.snapshots_of(process),
                           can_edit=current_user.has_role(process.id, "organiser")), status or form_status(form)


@bp.get("/processes/<int:process_id>/goal-tree/snapshots/<uuid:snapshot_uuid>")
@staff_required("steering")
def show_snapshot(process, snapshot_uuid):
    snapshot = snapshots.snapshot_of_process(process, snapshot_uuid)
    return render_template("goaltree/snapshot.html", process=process, snapshot=snapshot,
                           document=snapshot.document, **feedback_routes.snapshot_feedback(process, snapshot))


@bp.get("/processes/<int:process_id>/goal-tree/compare")
@staff_required("steering")
def compare(process):
    """`old` and `new` name snapshots by UUID; `new` may also be "today" (the default)."""
    old = snapshots.snapshot_of_process(process, request.args.get("old", ""))
    new_value = request.args.get("new") or TODAY
    if new_value == TODAY:
        new, new_document = None, snapshots.tree_document(process)
    else:
        new = snapshots.snapshot_of_process(process, new_value)
        new_document = new.document
    return render_template("goaltree/compare.html", process=process, old=old, new=new,
                           comparison=snapshots.compare(old.document, new_document),
                           choices=snapshots.snapshots_of(process))
