"""Dot voting: the phone's vote page and its dots, the moderator's open and close, live results."""
from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import current_participant, staff_required
from app.extensions import db
from app.services.administration import audit
from app.services.cafe import joining, voting
from app.services.errors import DomainError
from app.voting.forms import OpenVoteForm
from app.voting.groups import group_options

bp = Blueprint("voting", __name__, template_folder="templates")


@bp.url_value_preprocessor
def load_event(_endpoint, values):
    # Phone pages name the event by its code; found before the locale is chosen, as on the table page.
    if values and "code" in values:
        g.event = joining.event_by_code(values["code"])


@bp.app_context_processor
def voting_helpers():
    # The projector's and the console's views are built elsewhere; their templates ask for these.
    return {"vote_results": vote_results, "vote_form": vote_form}


def vote_results(event, limit: int = 10) -> list[voting.Result]:
    """The top `limit` ideas of the event that have dots, for the projector."""
    return [result for result in voting.results(event, limit=limit) if result.dots]


def vote_form(event) -> OpenVoteForm:
    """The console's form to open the vote, filled with the event's last numbers."""
    return OpenVoteForm(formdata=None, dots=event.vote_dots, max_per_idea=event.vote_max_per_idea)


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/e/<code>/vote")
def show_vote(code):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        return redirect(url_for("participate.join", code=event.code))
    context = {"event": event, "participant": participant}
    if event.vote_state == "open":
        dots = voting.own_dots(participant)
        groups = voting.vote_groups(event, dots)
        group = voting.group_to_show(groups, request.args.get("group"), participant)
        context.update(groups=groups, group=group, next_group=_after(groups, group), group_options=group_options,
                       ideas=voting.ideas_to_vote_on(event, group) if group else [],
                       own=dots.per_idea, left=dots.left(event),
                       # The page's script fills in these sentences after a dot sent without reloading.
                       left_template=_("Sie haben noch %(n)d von %(total)d Punkten."),
                       own_template=_("Ihre Punkte für diese Idee: %(n)d von höchstens %(max)d"))
    elif event.vote_state == "closed":
        context.update(results=[r for r in voting.results(event) if r.dots], own=voting.own_dots(participant).per_idea)
    return render_template("voting/vote.html", **context)


def _after(groups, group):
    """The group after `group`, for the link at the end of its list."""
    index = groups.index(group) + 1 if group else len(groups)
    return groups[index] if index < len(groups) else None


def _page_of(idea, participant) -> str:
    """The vote page showing `idea`'s group, scrolled to it: where a plain form's tap returns."""
    groups = voting.vote_groups(idea.event)
    group = next((group for group in groups if group.holds(idea.round_id, idea.table_id)), None)
    default = voting.group_to_show(groups, None, participant)
    return url_for("voting.show_vote", code=idea.event.code, group=group.key if group and group is not default else None,
                   _anchor=f"idea-{idea.uuid}")


@bp.post("/e/<code>/vote/<uuid:idea_uuid>/give")
def give_dot(code, idea_uuid):
    return _tap(voting.give_dot, idea_uuid)


@bp.post("/e/<code>/vote/<uuid:idea_uuid>/take-back")
def take_back_dot(code, idea_uuid):
    return _tap(voting.take_back_dot, idea_uuid)


def _tap(action, idea_uuid):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        abort(403)
    try:
        idea = voting.votable_idea(event, idea_uuid)
        tally = action(participant, idea)
        db.session.commit()
    except DomainError as error:
        if wants_json() or error.status_code == 404:
            raise  # the error handler rolls back and answers in JSON or as a page
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(_page_of(idea, participant), 303)
    if wants_json():  # from the tally: nothing read again after the commit
        return jsonify(status="saved", idea=str(idea_uuid), own_dots=tally.on_idea, dots_left=tally.left,
                       dots=tally.total)
    return redirect(_page_of(idea, participant), 303)


@bp.post("/moderate/events/<int:event_id>/vote/open")
@staff_required("moderator")
def open_vote(event):
    form = OpenVoteForm()
    if not form.validate_on_submit():
        return _moderator_answer(event, next(iter(form.errors.values()))[0], 400)
    try:
        voting.open_vote(event, form.dots.data, form.max_per_idea.data)
        audit.record("vote.open", event.title, process_id=event.process_id, event_id=event.id, detail={"dots": event.vote_dots})
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _moderator_answer(event, error.message, error.status_code)
    return _moderator_answer(event, _("Die Abstimmung ist geöffnet."))


@bp.post("/moderate/events/<int:event_id>/vote/close")
@staff_required("moderator")
def close_vote(event):
    try:
        voting.close_vote(event)
        audit.record("vote.close", event.title, process_id=event.process_id, event_id=event.id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _moderator_answer(event, error.message, error.status_code)
    return _moderator_answer(event, _("Die Abstimmung ist beendet."))


def _moderator_answer(event, message, status=200):
    if wants_json():
        body = {"vote_state": event.vote_state} if status == 200 else {"error": str(message)}
        return jsonify(body), status
    flash(str(message), "success" if status == 200 else "error")
    return redirect(url_for("moderate.console", event_id=event.id), 303)
