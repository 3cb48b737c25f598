"""Table hosts: the host link opens one table's capture page, with no account.

Whoever holds the long secret in /h/<token> may type in that table's ideas, correct them, upload
photos of the tablecloth and write round summaries, for that table only. Staff reach the photos
and each table's host link (and its QR code) through their own, login-guarded routes below.
"""
from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.access import staff_required, table_by_host_token
from app.extensions import db
from app.host.forms import CaptureForm, EditIdeaForm, PhotoForm, SummaryForm, TranslationForm
from app.http import photo_response
from app.i18n import current_language, LANGUAGE_NAMES
from app.links import public_url
from app.models.base import localized
from app.services.administration import audit
from app.services.cafe import events, hosting, ideas, merging, photos, qr, rounds
from app.services.multilingual import translations
from app.safety import bounded_int
from app.services.errors import DomainError, NotFound

bp = Blueprint("host", __name__, template_folder="templates")

STATE_LABELS = {
    "planned": _l("geplant"),
    "running": _l("läuft"),
    "paused": _l("pausiert"),
    "closed": _l("beendet"),
}
HOST_LINK_CLOSED = _l("Diese Veranstaltung ist abgeschlossen. Der Gastgeber-Link gilt nicht mehr; "
                      "die Ideen Ihres Tisches sind gespeichert. Bei Fragen wenden Sie sich an die Organisation.")


@bp.url_value_preprocessor
def load_table(_endpoint, values):
    # The token names the table before the locale is chosen, so the event's language can apply.
    if values and "token" in values:
        g.table = table_by_host_token(values.pop("token"))
        g.event = g.table.event
        if events.is_closed(g.event):
            # 410, a calm translated page: the link was right, but its event is over.
            raise events.EventClosed(HOST_LINK_CLOSED)


@bp.after_request
def keep_the_link_secret(response):
    if g.get("table") is not None:
        # The token is in the URL: it must not travel to other sites or into search engines.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.app_template_global()
def host_link(table) -> str:
    """The table's host link, absolute, for staff pages and the QR code; never shown to participants."""
    return public_url("host.show_table", token=table.host_token)


@bp.get("/h/<token>")
def show_table():
    table = g.table
    hosting.mark_seen(table)
    db.session.commit()
    number = request.args.get("round", "")
    round_ = (hosting.started_round(table, number=int(number)) if bounded_int(number, 0) is not None
              else hosting.capture_round(table.event))
    return _page(table, round_)


@bp.post("/h/<token>/ideas")
def capture_ideas():
    table = g.table
    form = CaptureForm(language=table.event.default_language)  # when a client leaves the choice out
    round_ = _posted_round(table, form.round_id.data)
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        captured, _created = hosting.capture_lines(
            table, round_, form.text.data, key=form.key.data, language=form.language.data,
            max_length=current_app.config["IDEA_MAX_LENGTH"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.text.errors = [str(error.message)]
        return _page(table, round_, capture_form=form, status=error.status_code)
    # A resent form finds its ideas stored already; they count as saved all the same.
    flash(ngettext("%(num)d Idee gespeichert", "%(num)d Ideen gespeichert", len(captured)), "success")
    return redirect(_back(table, round_, "capture", language=form.language.data), 303)


@bp.post("/h/<token>/ideas/<uuid:idea_uuid>")
def edit_idea(idea_uuid):
    table = g.table
    idea = hosting.table_idea(table, idea_uuid)
    round_ = _posted_round(table, str(idea.round_id or ""))
    form = EditIdeaForm(prefix=_edit_prefix(idea))
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        hosting.edit_idea(table, idea, form.text.data, max_length=current_app.config["IDEA_MAX_LENGTH"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.text.errors = [str(error.message)]
        return _page(table, round_, edit_form=form, edit_idea_id=idea.id, status=error.status_code)
    flash(_("Die Idee wurde geändert."), "success")
    return redirect(_back(table, round_, f"idea-{idea.uuid}"), 303)


@bp.post("/h/<token>/ideas/<uuid:idea_uuid>/translation")
def translate_idea(idea_uuid):
    """The host types a translation next to a tablecloth line (or corrects one; empty removes it)."""
    table = g.table
    idea = hosting.table_idea(table, idea_uuid)
    round_ = _posted_round(table, str(idea.round_id or ""))
    form = TranslationForm(prefix=_translation_prefix(idea))
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        translations.save(idea, form.language.data, form.text.data, made_by=translations.host_of(table.number))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.text.errors = [str(error.message)]
        return _page(table, round_, translation_form=form, edit_idea_id=idea.id, status=error.status_code)
    flash(_("Die Übersetzung wurde gespeichert.") if (form.text.data or "").strip()
          else _("Die Übersetzung wurde entfernt."), "success")
    return redirect(_back(table, round_, f"idea-{idea.uuid}"), 303)


@bp.post("/h/<token>/photos")
def upload_photo():
    table = g.table
    form = PhotoForm()
    round_ = _posted_round(table, form.round_id.data)
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        upload = form.photo.data
        photos.store_photo(table, round_, upload.read(), upload.filename or "")
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.photo.errors = [str(error.message)]
        return _page(table, round_, photo_form=form, status=error.status_code)
    flash(_("Das Foto ist gespeichert."), "success")
    return redirect(_back(table, round_, "photos"), 303)


@bp.post("/h/<token>/summary")
def save_summary():
    table = g.table
    form = SummaryForm()
    round_ = _posted_round(table, form.round_id.data)
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        hosting.save_summary(table, round_, form.text.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.text.errors = [str(error.message)]
        return _page(table, round_, summary_form=form, status=error.status_code)
    flash(_("Die Zusammenfassung ist gespeichert."), "success")
    return redirect(_back(table, round_, "summary"), 303)


@bp.get("/h/<token>/photos/<uuid:photo_uuid>")
def show_photo(photo_uuid):
    return photo_response(photos.photo_of_table(g.table, photo_uuid))


@bp.get("/moderate/events/<int:event_id>/photos/<uuid:photo_uuid>")
@staff_required("moderator")
def staff_photo(event, photo_uuid):
    return photo_response(photos.photo_of_event(event, photo_uuid))


@bp.get("/moderate/events/<int:event_id>/tables/<int:table_id>/host-qr.svg")
@staff_required("moderator")
def host_qr(event, table_id):
    table = hosting.table_of_event(event, table_id)
    response = Response(qr.svg(host_link(table)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"  # it is the secret link itself
    return response


@bp.post("/h/<token>/merge")
def merge_ideas():
    """Hosts merge duplicates within their own table, through the one merge service."""
    table = g.table
    round_ = _posted_round(table, request.form.get("round_id"))
    try:
        target, sources = merging.selected_ideas(table.event, request.form.get("target"),
                                                 request.form.getlist("selected"))
        merging.merge_many(sources, target, table=table)
        audit.record("idea.merge", target.text, process_id=table.event.process_id, event_id=table.event_id, detail={"idea": str(target.uuid), "count": len(sources), "table": table.number}, actor=audit.host_actor(table.number))
        db.session.commit()
        flash(_("Die Ideen sind zusammengeführt."), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return redirect(_back(table, round_, "ideas"), 303)


@bp.post("/h/<token>/merges/<uuid:merge_uuid>/undo")
def undo_merge(merge_uuid):
    table = g.table
    record = merging.merge_of_event(table.event, merge_uuid)
    if record.table_id != table.id:
        raise NotFound(_l("Diese Zusammenführung gibt es nicht."))
    try:
        merging.undo(record)
        audit.record("idea.unmerge", record.target.text, process_id=table.event.process_id, event_id=table.event_id, detail={"idea": str(record.target.uuid), "table": table.number}, actor=audit.host_actor(table.number))
        db.session.commit()
        flash(_("Die Zusammenführung ist rückgängig gemacht."), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return redirect(_back(table, _posted_round(table, request.form.get("round_id")), "ideas"), 303)


def _posted_round(table, round_id: str | None):
    """The round a form was shown for, if it has begun; else the round hosts write into now."""
    if bounded_int(round_id, 1) is not None:
        try:
            return hosting.started_round(table, round_id=bounded_int(round_id, 1))
        except NotFound:
            pass  # a round of another event, or a made-up id: ignored
    return hosting.capture_round(table.event)


def _back(table, round_, anchor: str, language: str | None = None) -> str:
    """The capture page again, on the same round unless it is the one shown by default anyway."""
    args = {}
    if round_ is not None and round_ != hosting.capture_round(table.event):
        args["round"] = round_.number
    if language and language != current_language():
        args["language"] = language
    return url_for("host.show_table", token=table.host_token, _anchor=anchor, **args)


def _edit_prefix(idea) -> str:
    return f"idea-{idea.id}"


def _translation_prefix(idea) -> str:
    return f"translation-{idea.id}"


def _translation_form(idea, page_language: str) -> TranslationForm:
    """German for an idea in another language; else the page's language, else English."""
    target = "de" if idea.language != "de" else (page_language if page_language != "de" else "en")
    return TranslationForm(formdata=None, prefix=_translation_prefix(idea), language=target,
                           text=idea.translation(target) or "")


def _page(table, round_, *, capture_form=None, edit_form=None, edit_idea_id=None, photo_form=None,
          summary_form=None, translation_form=None, status=200):
    """The capture page for `round_` (None before any round); a form sent back with errors is kept."""
    event = table.event
    config = current_app.config
    if capture_form is None:
        capture_form = CaptureForm(formdata=None)
        language = request.args.get("language", "")
        # The host writes what the tablecloth says, most often in the language the page speaks.
        capture_form.language.data = language if language in LANGUAGE_NAMES else current_language()
        capture_form.key.data = ideas.new_key()
    capture_form.round_id.data = round_.id if round_ else ""
    table_ideas = ideas.at_table(table, round_) if round_ else []
    edit_forms = {idea.id: EditIdeaForm(formdata=None, prefix=_edit_prefix(idea), text=idea.text)
                  for idea in table_ideas}
    if edit_form is not None:
        edit_forms[edit_idea_id] = edit_form
    page_language = current_language()
    translation_forms = {idea.id: _translation_form(idea, page_language) for idea in table_ideas}
    if translation_form is not None:
        translation_forms[edit_idea_id] = translation_form
    photo_form = photo_form or PhotoForm(formdata=None)
    photo_form.round_id.data = round_.id if round_ else ""
    summary = hosting.summary_of(table, round_)
    if summary_form is None:
        summary_form = SummaryForm(formdata=None, text=summary.text if summary else "")
    summary_form.round_id.data = round_.id if round_ else ""
    shown = round_ or rounds.seating_round(event)
    question, question_language = localized(shown.question if shown else {}, current_language(),
                                            event.default_language)
    return render_template(
        "host/table.html", event=event, table=table, round_=round_, shown_round=shown,
        question=question, question_language=question_language, started=hosting.started_rounds(event),
        state_labels=STATE_LABELS, ideas=table_ideas, edit_forms=edit_forms, edit_idea_id=edit_idea_id,
        translation_forms=translation_forms,
        capture_form=capture_form, photo_form=photo_form, summary_form=summary_form, summary=summary,
        photos=hosting.photos_of(table), thumbnail_size=photos.thumbnail_size,
        merges=merging.merges_at_table(table),
        idea_max=config["IDEA_MAX_LENGTH"], photo_max=photos.size_label(config["PHOTO_MAX_BYTES"]),
    ), status
