"""Admins take a role in a process away again (granting is on the process page, app/organise/routes.py)."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from app.access import admin_required, staff_required
from app.extensions import db
from app.models import Membership
from app.organise.routes import bp
from app.services.administration import audit, users


@bp.post("/processes/<int:process_id>/memberships/<int:membership_id>/revoke")
@admin_required
@staff_required("organiser")
def revoke_role(process, membership_id):
    membership = db.session.scalar(db.select(Membership).filter_by(id=membership_id, process_id=process.id))
    if membership is None:
        abort(404)
    user, role = membership.user, membership.role
    users.revoke_role(user, process, role)
    audit.record("role.revoke", user.email, process_id=process.id, detail={"role": role})
    db.session.commit()
    flash(_("Die Rolle wurde entzogen."), "success")
    return redirect(url_for("organise.show_process", process_id=process.id, _anchor="team"), 303)
