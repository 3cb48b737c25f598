"""Participants on their phones: join by code or table QR, the table page, ideas, live state."""
import json
from uuid import UUID

from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify,
                   redirect, render_template, request, url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from app import livepoll
from app.access import (current_participant, forget_participant, return_link_participant,
                        participant_tokens, phone_is_someone_else, remember_participant)
from app.extensions import db
from app.http import no_store
from app.i18n import chosen_language, current_language, LANGUAGE_COOKIE, LANGUAGE_NAMES, ONE_YEAR, shipped_languages
from app.languages import babel_name
from app.links import join_url, public_url
from app.participate.forms import IdeaForm, JoinForm, LeaveForm, TableChoiceForm
from app.labels import IDEA_STATUS_LABELS as STATUS_LABELS
from app.labels import STATUS_LABELS as NODE_STATUS_LABELS
from app.participate import live as phone_poll
from app.participate.views import shared_view, table_view
from app.registration.routes import declined as about_me_declined
from app.safety import bounded_int, safe_next
from app.services.administration import privacy
from app.services.cafe import hosting, ideas, joining, live, online, qr, registration, self_description, shared_views
from app.services.errors import DomainError
from app.services.cafe.rounds import seating_round

bp = Blueprint("participate", __name__, template_folder="templates")

# Polled by every phone every few seconds: these read rows themselves, not the event object.
LEAN_ENDPOINTS = {"participate.live_state", "participate.shared_fragment"}
# Stands for an idea's UUID in the delete URL the small JS fills in for the phone's own ideas.
ANY_IDEA = UUID(int=0)


@bp.url_value_preprocessor
def load_event(endpoint, values):
    # Every page here belongs to one event, found by its code before the locale is chosen,
    # so the event's default language can serve phones whose language is not shipped.
    if values and "code" in values and endpoint not in LEAN_ENDPOINTS:
        g.event = joining.event_by_code(values["code"])


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/j/<code>", methods=["GET", "POST"], endpoint="join")
@bp.route("/j/<code>/<int:table_number>", methods=["GET", "POST"], endpoint="join_table")
def join(code, table_number=None):
    event = g.event
    table = joining.table_by_number(event, table_number) if table_number else None
    participant = current_participant(event)
    form = JoinForm(tables=[] if table or event.format == "online" else event.tables)
    if request.method == "GET":
        locale = request.cookies.get(LANGUAGE_COOKIE) or current_language()
        form.interface_language.data = participant.interface_language if participant else locale
        form.writing_language.data = participant.writing_language if participant else locale
        form.nickname.data = participant.nickname if participant else ""
    if form.validate_on_submit():
        participant = joining.join(
            event, interface_language=form.interface_language.data,
            writing_language=form.writing_language.data, nickname=form.nickname.data,
            existing=participant,
        )
        chosen = table or (joining.table_by_number(event, form.table.data) if form.table.data else None)
        if chosen is not None:
            joining.sit_down(participant, chosen)
        db.session.commit()
        remember_participant(participant)
        # No table while the online phase is open (or an online-only event): its questions, not a table.
        where = "online.show" if chosen is None and online.is_open(event) or event.format == "online" else \
            "participate.show_table"
        response = redirect(url_for(where, code=event.code), 303)
        response.set_cookie(LANGUAGE_COOKIE, participant.interface_language, max_age=ONE_YEAR,
                            samesite="Lax", httponly=True)
        return response
    return render_template("participate/join.html", event=event, table=table, form=form,
                           participant=participant, join_link=join_url(event, table))


@bp.get("/e/<code>")
def show_table(code):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        return redirect(url_for("participate.join", code=event.code))
    if event.format == "online":
        return redirect(url_for("online.show", code=event.code))
    view = table_view(event, participant)
    has_ideas = ideas.has_written(participant)
    return render_template("participate/table.html", form=_idea_form(view), choose_form=TableChoiceForm(),
                           writing_language_name=LANGUAGE_NAMES.get(participant.writing_language),
                           has_ideas=has_ideas, offer_about_me=self_description.offer(
                               participant, has_ideas=has_ideas, declined=about_me_declined(event)),
                           return_url=public_url("participate.my_ideas", token=participant.token),
                           **_live_context(event, participant, view))


def _live_context(event, participant, view, view_url=None) -> dict:
    """What the live parts of the table page need; `participant` None renders the shared view."""
    if view_url is None:
        table = view.table
        view_url = phone_poll.fragment_url(livepoll.gate(), request.script_root, event.code, current_language(),
                                           ("E", event.id, event.phones_revision),
                                           ("t", table.id, table.revision) if table else None)
    return {"event": event, "participant": participant, "view": view, "view_url": view_url,
            "ideas": own_first(view.ideas, participant),
            "delete_url": url_for("participate.delete_idea", code=event.code, idea_uuid=ANY_IDEA)}


def own_first(ideas: list, participant) -> list:
    """The participant's own ideas first, the newest on top (so one just sent is in sight), then the
    others as they came in. app.js orders the shared fragment the same way for its phone."""
    if participant is None:
        return ideas
    own = [idea for idea in ideas if idea.participant_id == participant.id]
    return own[::-1] + [idea for idea in ideas if idea.participant_id != participant.id]


def _idea_form(view, formdata=None) -> IdeaForm:
    form = IdeaForm(formdata=formdata, max_length=current_app.config["IDEA_MAX_LENGTH"])
    if formdata is None:
        form.key.data = ideas.new_key()
        form.round_id.data = view.round.id if view.round else ""
    return form


@bp.get("/e/<code>/fragment")
def table_fragment(code):
    """The live parts of the table page as this participant sees them (own ideas marked).

    The small JS fetches the shared fragment below when the view changes, and this one right
    after the phone sent an idea.
    """
    event = g.event
    participant = _participant_or_403(event)
    return no_store(render_template("participate/_live.html",
                                    **_live_context(event, participant, table_view(event, participant))))


@bp.get("/e/<code>/view/<language>/<int:table_id>/<key>")
def shared_fragment(code, language, table_id, key):
    """The live parts of the table page as every phone at this table in this language sees them.

    The URL names the revisions (signed, see app/livepoll.py), so the answer is made once per
    change (on PostgreSQL for every worker and server, through app/services/cafe/shared_views.py;
    on SQLite once per worker), and the gate hands the same bytes to every phone asking after
    that; each phone marks its own ideas from its live JSON.
    """
    prefix = request.path.rpartition("/")[0]
    if language not in shipped_languages() or livepoll.gate().read(prefix, key) is None:
        abort(404)

    def render() -> str:
        event = g.event = joining.event_by_code(code)
        table = hosting.table_of_event(event, table_id) if table_id else None
        with force_locale(babel_name(language)):
            view = shared_view(event, seating_round(event), table)
            return render_template("participate/_live.html",
                                   **_live_context(event, None, view, request.script_root + request.path))

    # Phones that ask this worker at once wait for one answer; other workers made it already, or
    # read it from the database once one of them has.
    key = request.script_root + request.path
    response = Response(livepoll.gate().rendered.get_or_make(
        request.path, lambda: shared_views.fetch_or_make(db.engine, key, render)))
    response.headers["Cache-Control"] = "private, max-age=600"
    return livepoll.share_response(response)


@bp.post("/e/<code>/table")
def choose_table(code):
    event = g.event
    participant = current_participant(event)
    if participant is None:
        return redirect(url_for("participate.join", code=event.code))
    form = TableChoiceForm()
    form.table.choices = [(t.number, str(t.number)) for t in event.tables]
    if form.validate_on_submit():
        joining.sit_down(participant, joining.table_by_number(event, form.table.data))
        db.session.commit()
    return redirect(url_for("participate.show_table", code=event.code), 303)


@bp.post("/e/<code>/ideas")
def submit_idea(code):
    event = g.event
    participant = _participant_or_403(event)
    form = IdeaForm(max_length=current_app.config["IDEA_MAX_LENGTH"])
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        round_id = bounded_int(form.round_id.data, 1)  # no such round: the one running now
        idea, created = ideas.submit(participant, form.text.data, key=form.key.data, round_id=round_id,
                                     max_length=current_app.config["IDEA_MAX_LENGTH"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if wants_json():
            return jsonify(error=str(error.message)), error.status_code
        form.text.errors = [str(error.message)]
        return render_template("participate/table.html", form=form, choose_form=TableChoiceForm(),
                               writing_language_name=LANGUAGE_NAMES.get(participant.writing_language),
                               **_live_context(event, participant, table_view(event, participant))), 400
    if wants_json():
        return jsonify(status="saved", created=created, idea={"uuid": str(idea.uuid), "text": idea.text}), (
            201 if created else 200)
    flash(_("Ihre Idee ist gespeichert. Danke!"), "success")
    return redirect(url_for("participate.show_table", code=event.code), 303)


@bp.post("/e/<code>/ideas/<uuid:idea_uuid>/delete")
def delete_idea(code, idea_uuid):
    event = g.event
    participant = _participant_or_403(event)
    ideas.delete_own(participant, ideas.own_idea(participant, idea_uuid))
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":  # the script, after its few seconds to undo
        return jsonify(status="deleted")
    flash(_("Ihre Idee wurde gelöscht."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("participate.show_table", code=event.code)), 303)


@bp.get("/e/<code>/live")
def live_state(code):
    """Small JSON of what the phone shows; 304 without a body while nothing it shows changed.

    Mostly answered by the gate before Flask runs (app/participate/live.py); this route answers
    the rest and keeps what it made for the gate.
    """
    result = phone_poll.answer(
        livepoll.gate(), live.session_reader(), script_root=request.script_root, path=request.path, code=code, tokens=participant_tokens(),
        language_for=lambda default: chosen_language(shipped_languages(), request.cookies.get(LANGUAGE_COOKIE),
                                                     request.accept_languages, default),
        if_none_match=lambda etag: etag in request.if_none_match, make=lambda maker: maker())
    if result.status == phone_poll.NOT_FOUND:
        joining.event_by_code(code)  # raises the translated 404
    if result.status == phone_poll.FORBIDDEN:
        abort(403)
    response = Response(status=304) if result.status == 304 else jsonify(result.body)
    response.set_etag(result.etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/e/<code>/csrf")
def fresh_csrf(code):
    """A fresh form token, so an idea kept on the phone for hours can still be sent."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/e/<code>/qr.<any(svg, png):fmt>", endpoint="event_qr")
@bp.get("/e/<code>/tables/<int:table_number>/qr.<any(svg, png):fmt>", endpoint="table_qr")
def qr_code(code, fmt, table_number=None):
    event = g.event
    table = joining.table_by_number(event, table_number) if table_number else None
    url = join_url(event, table)
    if fmt == "svg":
        response = Response(qr.svg(url), mimetype="image/svg+xml")
    else:
        size = request.args.get("size", "10")
        response = Response(qr.png(url, bounded_int(size, 1, 40) or 10), mimetype="image/png")
    # Private: a shared cache keyed without the Host header must not hand out another site's code.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/e/<code>/my-link.svg")
def return_link_qr(code):
    """The phone's personal return link as a QR code, to photograph with another device."""
    participant = _participant_or_403(g.event)
    response = Response(qr.svg(public_url("participate.my_ideas", token=participant.token)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=86400"  # the link in it is this phone's secret
    response.headers["Vary"] = "Cookie"
    return response


def _participant_or_403(event):
    participant = current_participant(event)
    if participant is None:
        abort(403)
    return participant


def _my_ideas_page(participant, *, leave_form=None, status=200):
    """The return link's page; app/security.py marks it no-store, as it names its secret link.

    Only the participant's own phone may change anything here; any other phone reads, with the
    button that makes it this participant (`take_return_link`)."""
    current = current_participant(participant.event)
    own = current is not None and current.id == participant.id
    return render_template(
        "participate/my_ideas.html", participant=participant, event=participant.event,
        traces=ideas.trace(participant), leave_form=leave_form or LeaveForm(),
        read_only=not own, someone_else=current is not None and not own,
        retention_ends_on=privacy.retention_ends_on(participant.event),
        waiting_position=registration.waiting_position(participant),
        status_labels=STATUS_LABELS, node_status_labels=NODE_STATUS_LABELS), status


@bp.get("/r/<token>")
def my_ideas(token):
    """The personal return link: every idea this participant gave, and what became of it.

    Opening it never changes who the phone is (a link can be forwarded, or read over a shoulder):
    a phone that is not this participant only reads, until the person confirms with
    `take_return_link`."""
    return _my_ideas_page(return_link_participant(token))


@bp.post("/r/<token>/take")
def take_return_link(token):
    """The person confirms it is them: the phone becomes the participant of the return link."""
    participant = return_link_participant(token)
    remember_participant(participant)
    flash(_("Dieses Gerät macht jetzt als diese Person weiter."), "success")
    return redirect(url_for("participate.my_ideas", token=participant.token), 303)


@bp.get("/r/<token>/my-data.json")
def export_my_data(token):
    """What the app stores about this participant, as a JSON download; nothing of anyone else."""
    participant = return_link_participant(token)
    body = json.dumps(privacy.export_participant(participant), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{participant.event.code}.json"'
    return response


@bp.post("/r/<token>/leave")
def leave(token):
    participant = return_link_participant(token)
    event = participant.event
    form = LeaveForm()
    if not form.validate_on_submit():
        return _my_ideas_page(participant, leave_form=form, status=400)
    someone_else = phone_is_someone_else(participant)
    ideas.delete_participation(participant, keep_ideas=form.keep_ideas.data == "keep")
    db.session.commit()
    if not someone_else:  # the phone's own identity in this event stays when it was another's link
        forget_participant(event.id)
    flash(_("Ihre Teilnahme ist gelöscht. Danke, dass Sie mitgemacht haben."), "success")
    return redirect(url_for("main.index"), 303)
