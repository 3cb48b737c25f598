"""An actor's personal link /a/<token>: no account, only the long secret an organiser handed over.

It opens the draft goal tree of the actor's process, with a feedback form per node (agree,
concern, comment) and the actor's earlier feedback with the organisers' answers; what the actor is
responsible for; and the workshops the actor is invited to, whose online phase it joins from here
as a participant of that event who is this actor. A wrong or revoked token is a plain 404.
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import actor_by_link_token, remember_participant
from app.extensions import db
from app.http import refused
from app.i18n import current_language
from app.labels import COMMENT_KIND_LABELS, KIND_LABELS, STATUS_LABELS
from app.services.administration import actors
from app.services.cafe import online
from app.services.errors import DomainError
from app.services.goals import actors as goal_actors
from app.services.goals import goaltree, snapshots

bp = Blueprint("actor_link", __name__, template_folder="templates")


@bp.url_value_preprocessor
def load_actor(_endpoint, values):
    # Before the locale is chosen, so the process's language is the page's default.
    if values and "token" in values:
        g.actor = actor_by_link_token(values.pop("token"))
        g.default_language = g.actor.process.default_language


@bp.after_request
def keep_the_link_secret(response):
    if g.get("actor") is not None:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(actor, status: int = 200, failed=None):
    """The actor's page; `failed` is (node uuid, kind, text, message) of a feedback form that came back."""
    process = actor.process
    root = goaltree.root_of(process)
    return render_template(
        "actors/page.html", actor=actor, process=process, token=actor.token,
        document=snapshots.tree_document(process) if root else None,
        feedback=goal_actors.feedback_by_node(actor), nodes=goal_actors.nodes_of_actor(actor),
        events=[(event, online.is_open(event)) for event in actors.invitations_of(actor)],
        kind_labels=KIND_LABELS, status_labels=STATUS_LABELS, comment_kind_labels=COMMENT_KIND_LABELS,
        feedback_kinds=goal_actors.FEEDBACK_KINDS, max_length=goal_actors.MAX_FEEDBACK_LENGTH, failed=failed,
    ), status


@bp.get("/a/<token>")
def show():
    return _page(g.actor)


@bp.post("/a/<token>/nodes/<uuid:node_uuid>/feedback")
def give_feedback(node_uuid):
    actor = g.actor
    kind, text = request.form.get("kind", ""), request.form.get("text", "")
    goaltree.node_of_process(actor.process, node_uuid)  # another process's node: 404, not a form to fix
    try:
        goal_actors.give_feedback(actor, node_uuid, kind, text)
        db.session.commit()
    except DomainError as error:
        return _page(actor, refused(error), failed=(str(node_uuid), kind, text, str(error.message)))
    flash(_("Danke für Ihre Rückmeldung."), "success")
    return redirect(url_for("actor_link.show", token=actor.token, _anchor=f"node-{node_uuid}"), 303)


@bp.post("/a/<token>/events/<int:event_id>/contribute")
def contribute(event_id):
    """Join an invited workshop's online phase as this actor, on this phone, and go there."""
    actor = g.actor
    try:
        participant = actors.participant_for(actor, event_id, current_language())
        db.session.commit()
    except DomainError as error:
        return _page(actor, refused(error))
    remember_participant(participant)
    return redirect(url_for("online.show", code=participant.event.code), 303)
