"""Expert interviews (issue 21): organisers and moderators record who was interviewed, when, their
notes (staff only), and the statements, which become ideas of origin "interview"."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.access import staff_required
from app.extensions import db
from app.http import form_status, refused
from app.labels import ACTOR_KIND_LABELS, interviewee
from app.organise.forms import RemoveForm
from app.organise.interview_forms import InterviewForm, StatementsForm
from app.organise.routes import bp
from app.services.administration import audit
from app.services.cafe import ideas, interviews
from app.services.errors import DomainError


def _to_interview(process, interview, anchor: str | None = None):
    return redirect(url_for("organise.show_interview", process_id=process.id, interview_id=interview.id,
                            _anchor=anchor), 303)


@bp.get("/processes/<int:process_id>/interviews")
@staff_required("moderator")
def list_interviews(process):
    found = interviews.interviews_of(process)
    return render_template("organise/interviews.html", process=process, interviews=found,
                           counts=interviews.statement_counts(process), interviewee=interviewee)


@bp.route("/processes/<int:process_id>/interviews/new", methods=["GET", "POST"])
@staff_required("moderator")
def create_interview(process):
    form = InterviewForm(process=process)
    status = None
    if form.validate_on_submit():
        try:
            interview = interviews.save_interview(process, **form.values())
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Das Interview wurde angelegt. Tragen Sie jetzt seine Aussagen ein."), "success")
            return _to_interview(process, interview, "statements")
    return render_template("organise/interview_form.html", form=form, process=process, interview=None), \
        status or form_status(form)


@bp.route("/processes/<int:process_id>/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
@staff_required("moderator")
def edit_interview(process, interview_id):
    interview = interviews.interview_of(process, interview_id)
    form = InterviewForm(process=process, obj=interview)
    status = None
    if form.validate_on_submit():
        try:
            interviews.save_interview(process, interview, **form.values())
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            flash(_("Die Änderungen wurden gespeichert."), "success")
            return _to_interview(process, interview)
    return render_template("organise/interview_form.html", form=form, process=process, interview=interview), \
        status or form_status(form)


@bp.get("/processes/<int:process_id>/interviews/<int:interview_id>")
@staff_required("moderator")
def show_interview(process, interview_id):
    interview = interviews.interview_of(process, interview_id)
    return _interview_page(process, interview)


def _interview_page(process, interview, form: StatementsForm | None = None, status: int = 200):
    if form is None:
        form = StatementsForm(process=process, formdata=None, language=interview.event.default_language,
                              action_field_id=interview.event.action_field_id)
    form.key.data = ideas.new_key()  # a new form each time: a resend of the same one stores nothing again
    return render_template("organise/interview.html", process=process, interview=interview, form=form,
                           statements=interviews.statements_of(interview), name=interviewee(interview),
                           kind_labels=ACTOR_KIND_LABELS, idea_max=current_app.config["IDEA_MAX_LENGTH"]), status


@bp.post("/processes/<int:process_id>/interviews/<int:interview_id>/statements")
@staff_required("moderator")
def add_statements(process, interview_id):
    interview = interviews.interview_of(process, interview_id)
    form = StatementsForm(process=process)
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.errors.values()))[0])
        stored, _created = interviews.add_statements(
            interview, form.text.data, key=form.key.data, language=form.language.data,
            field_id=form.action_field_id.data, max_length=current_app.config["IDEA_MAX_LENGTH"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.text.errors = [str(error.message)]
        return _interview_page(process, interview, form, error.status_code)
    # A resent form finds its statements stored already; they count as saved all the same.
    flash(ngettext("%(num)d Aussage gespeichert", "%(num)d Aussagen gespeichert", len(stored)), "success")
    return _to_interview(process, interview, "statements")


@bp.post("/processes/<int:process_id>/interviews/<int:interview_id>/statements/<uuid:statement_uuid>/delete")
@staff_required("moderator")
def delete_statement(process, interview_id, statement_uuid):
    interview = interviews.interview_of(process, interview_id)
    statement = interviews.statement_of(interview, statement_uuid)
    if not RemoveForm().validate_on_submit():
        abort(400)
    interviews.delete_statement(statement)
    audit.record("idea.delete", "", process_id=process.id, event_id=interview.event_id,
                 detail={"idea": str(statement_uuid)})
    db.session.commit()
    flash(_("Die Aussage wurde gelöscht."), "success")
    return _to_interview(process, interview, "statements")


@bp.post("/processes/<int:process_id>/interviews/<int:interview_id>/delete")
@staff_required("moderator")
def delete_interview(process, interview_id):
    interview = interviews.interview_of(process, interview_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    try:
        interviews.delete_interview(interview)
    except DomainError as error:
        return _interview_page(process, interview, status=refused(error))
    db.session.commit()
    flash(_("Das Interview wurde gelöscht."), "success")
    return redirect(url_for("organise.list_interviews", process_id=process.id), 303)
