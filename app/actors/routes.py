"""The register of local actors of a process, for its staff: organisers keep it (add, change, delete)
and hand out each actor's personal link; the steering group and moderators read it.

A link is shown once, right after it was made (with its QR code to hand over); afterwards the page
only says that one is active. Replacing it makes a new one and the old stops at once; revoking it
leaves the actor without a link.
"""
import base64

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.access import staff_required
from app.actors.forms import actor_form
from app.bidi import isolated
from app.extensions import db
from app.http import form_status, refused
from app.i18n import current_language
from app.labels import ACTOR_KIND_LABELS, COMMENT_KIND_LABELS, KIND_LABELS
from app.links import public_url
from app.services.administration import actors, audit
from app.services.cafe import qr
from app.services.errors import DomainError
from app.services.goals import actors as goal_actors

bp = Blueprint("actors", __name__, template_folder="templates")

# Organisers keep the register; the steering group and moderators read it.
READERS = ("steering", "moderator")


@bp.context_processor
def register_labels():
    return {"actor_kind_labels": ACTOR_KIND_LABELS, "comment_kind_labels": COMMENT_KIND_LABELS,
            "kind_labels": KIND_LABELS}


def _name(process, name: str) -> Markup:
    """An actor's name inside a notice, isolated (names are typed in the process's language)."""
    return isolated(name, process.default_language)


def _to_actor(process, actor):
    return redirect(url_for("actors.show_actor", process_id=process.id, actor_id=actor.id), 303)


@bp.get("/processes/<int:process_id>/actors")
@staff_required(*READERS)
def list_actors(process):
    return render_template("actors/register.html", process=process, actors=actors.actors_of(process),
                           feedback=goal_actors.feedback_counts(process),
                           can_edit=current_user.has_role(process.id, "organiser"))


@bp.route("/processes/<int:process_id>/actors/new", methods=["GET", "POST"])
@staff_required("organiser")
def create_actor(process):
    form = actor_form(process, locale=current_language())
    status = None
    if form.validate_on_submit():
        try:
            actor = actors.save_actor(process, **form.values())
            audit.record("actor.add", actor.name, process_id=process.id)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(Markup(_("„%(name)s“ ist im Register.", name=_name(process, actor.name))), "success")
            return _to_actor(process, actor)
    return render_template("actors/form.html", process=process, form=form, actor=None), status or form_status(form)


@bp.get("/processes/<int:process_id>/actors/<int:actor_id>")
@staff_required(*READERS)
def show_actor(process, actor_id):
    actor = actors.actor_of_process(process, actor_id)
    return _actor_page(process, actor)


def _actor_page(process, actor, status: int = 200, link: str | None = None):
    """The actor's entry; `link` is the new personal link, shown this once."""
    return render_template(
        "actors/actor.html", process=process, actor=actor, fields=actors.fields_of(actor),
        nodes=goal_actors.nodes_of_actor(actor), events=actors.invitations_of(actor),
        feedback=goal_actors.feedback_of(actor), can_edit=current_user.has_role(process.id, "organiser"),
        link=link, link_qr=_qr_data(link) if link else None,
    ), status


def _qr_data(link: str) -> str:
    # In the page itself: a URL for the picture would be one more place the secret can be fetched from.
    return "data:image/svg+xml;base64," + base64.b64encode(qr.svg(link)).decode("ascii")


@bp.route("/processes/<int:process_id>/actors/<int:actor_id>/edit", methods=["GET", "POST"])
@staff_required("organiser")
def edit_actor(process, actor_id):
    actor = actors.actor_of_process(process, actor_id)
    form = actor_form(process, actor, locale=current_language())
    status = None
    if form.validate_on_submit():
        try:
            actors.save_actor(process, actor, **form.values())
            audit.record("actor.edit", actor.name, process_id=process.id)
        except DomainError as error:
            status = refused(error)
            actor = actors.actor_of_process(process, actor_id)
        else:
            db.session.commit()
            flash(_("Die Änderungen wurden gespeichert."), "success")
            return _to_actor(process, actor)
    return render_template("actors/form.html", process=process, form=form, actor=actor), status or form_status(form)


@bp.route("/processes/<int:process_id>/actors/<int:actor_id>/delete", methods=["GET", "POST"])
@staff_required("organiser")
def delete_actor(process, actor_id):
    """A page that says what goes with the entry, and a button that deletes it."""
    actor = actors.actor_of_process(process, actor_id)
    if request.method == "POST":
        name = actor.name
        audit.record("actor.delete", name, process_id=process.id)
        actors.delete_actor(actor)
        db.session.commit()
        flash(Markup(_("„%(name)s“ ist nicht mehr im Register. Der persönliche Link gilt nicht mehr.",
                       name=_name(process, name))), "success")
        return redirect(url_for("actors.list_actors", process_id=process.id), 303)
    return render_template("actors/delete.html", process=process, actor=actor,
                           feedback=len(goal_actors.feedback_of(actor)), nodes=goal_actors.nodes_of_actor(actor))


@bp.post("/processes/<int:process_id>/actors/<int:actor_id>/link")
@staff_required("organiser")
def new_link(process, actor_id):
    """Make the actor's personal link, or replace it: the page shows the new one this once."""
    actor = actors.actor_of_process(process, actor_id)
    token, replaced = actors.issue_link(actor)
    audit.record("link.actor_replaced" if replaced else "link.actor_created", actor.name, process_id=process.id)
    db.session.commit()
    flash(_("Der neue Link ist erstellt. Der alte gilt nicht mehr.") if replaced
          else _("Der persönliche Link ist erstellt."), "success")
    return _actor_page(process, actor, link=public_url("actor_link.show", token=token))


@bp.post("/processes/<int:process_id>/actors/<int:actor_id>/link/revoke")
@staff_required("organiser")
def revoke_link(process, actor_id):
    actor = actors.actor_of_process(process, actor_id)
    if actors.revoke_link(actor):
        audit.record("link.actor_revoked", actor.name, process_id=process.id)
        db.session.commit()
        flash(_("Der persönliche Link ist gesperrt. Wer ihn öffnet, sieht nichts mehr."), "success")
    else:
        flash(_("Es gab keinen persönlichen Link."), "info")
    return _to_actor(process, actor)
