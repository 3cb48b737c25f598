"""Workshops (issue 21): organisers invite actors of the process's register to an event, who then
contribute through its online phase with their personal link; and where an idea came from, for the
pages that show it (the board, the goal tree, the forum's record)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from app.access import staff_required
from app.extensions import db
from app.http import refused
from app.labels import ACTOR_KIND_LABELS, origin_html, origin_mark_html
from app.organise.forms import RemoveForm
from app.organise.routes import bp
from app.services.cafe import online, workshops
from app.services.errors import DomainError

bp.add_app_template_global(origin_mark_html, "idea_origin_mark")
bp.add_app_template_global(origin_html, "idea_origin")


@bp.route("/events/<int:event_id>/invitations", methods=["GET", "POST"])
@staff_required("organiser")
def event_invitations(event):
    """The register as a checklist: who is invited to contribute to this event."""
    status = 200
    if request.method == "POST":
        if not RemoveForm().validate_on_submit():  # only the CSRF token; the ticked ids are read below
            abort(400)
        try:
            invited = workshops.invite(event, request.form.getlist("actors"))
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(ngettext("%(num)d Eintrag aus dem Register ist eingeladen.",
                           "%(num)d Einträge aus dem Register sind eingeladen.", len(invited)), "success")
            return redirect(url_for("organise.event_invitations", event_id=event.id), 303)
    return render_template("organise/invitations.html", event=event, actors=workshops.invitable(event.process),
                           invited=event.invited, kind_labels=ACTOR_KIND_LABELS,
                           has_online_phase=online.has_phase(event)), status
