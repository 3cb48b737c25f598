"""Interpreters (Sprachmittler·innen): a queue per event of ideas waiting for a person's translation.

Organisers give each interpreter their languages per process; an interpreter sees and translates only
ideas in those languages (into German) and German ideas for readers of those languages.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import staff_required, visible_processes
from app.extensions import db
from app.http import form_status
from app.interpret.forms import InterpreterLanguagesForm, TranslateForm
from app.languages import BY_CODE
from app.models import Membership
from app.services.cafe import interpreting
from app.services.multilingual import translations
from app.services.errors import DomainError

bp = Blueprint("interpret", __name__, template_folder="templates")

PAGE_SIZE = 30


@bp.get("/")
@login_required
def index():
    """The events whose ideas this person may translate, with how many translations wait."""
    rows = []
    for process in visible_processes():
        if not current_user.has_role(process.id, "interpreter"):
            continue
        languages = interpreting.interpreter_languages(current_user, process.id)
        for event in process.events:
            rows.append((process, event, len(interpreting.queue(event, languages, detect=False))))
    return render_template("interpret/index.html", rows=rows)


@bp.get("/events/<int:event_id>")
@staff_required("interpreter")
def show_queue(event):
    languages = interpreting.interpreter_languages(current_user, event.process_id)
    tasks = interpreting.queue(event, languages)
    only = request.args.get("language", "")
    matching = [task for task in tasks if not only or only in (task.source, task.target)]
    shown = matching[:PAGE_SIZE]  # a page that stays quick on a phone; saved tasks make room for the next
    forms = {task.key: TranslateForm(formdata=None, prefix=task.key, text=task.machine_text, language=task.target)
             for task in shown}
    return render_template("interpret/queue.html", event=event, tasks=shown, all_count=len(tasks), forms=forms,
                           languages=languages, only=only, more=len(matching) - len(shown),
                           filter_languages=sorted({t.source for t in tasks} | {t.target for t in tasks}))


@bp.route("/events/<int:event_id>/ideas/<uuid:idea_uuid>/<target>", methods=["GET", "POST"])
@staff_required("interpreter")
def translate(event, idea_uuid, target):
    """Translate one idea into `target`, or correct the translation there is."""
    languages = interpreting.interpreter_languages(current_user, event.process_id)
    idea = interpreting.find_task(event, languages, idea_uuid, target)
    if idea is None or target not in BY_CODE:
        abort(404)
    prefix = f"{idea.uuid}-{target}"
    form = TranslateForm(prefix=prefix, language=target) if request.method == "POST" else TranslateForm(
        prefix=prefix, language=target, text=idea.translation(target) or "")
    if form.validate_on_submit():
        try:
            translations.save(idea, target, form.text.data, translator=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.text.errors = [str(error.message)]
        else:
            flash(_("Die Übersetzung wurde gespeichert.") if (form.text.data or "").strip()
                  else _("Die Übersetzung wurde entfernt."), "success")
            if request.form.get("back") == "idea":
                return redirect(url_for("interpret.translate", event_id=event.id, idea_uuid=idea.uuid,
                                        target=target), 303)
            return redirect(url_for("interpret.show_queue", event_id=event.id,
                                    language=request.args.get("language") or None), 303)
    row = idea.translation_row(target)
    return render_template("interpret/translate.html", event=event, idea=idea, target=target, form=form,
                           maker_label=translations.maker_label,
                           row=row, others=[t for t in idea.translations if t.language != target]), form_status(form)


@bp.route("/processes/<int:process_id>/interpreters", methods=["GET", "POST"])
@staff_required("organiser")
def interpreters(process):
    """The organiser gives each interpreter of the process the languages they translate."""
    memberships = list(db.session.scalars(
        db.select(Membership).filter_by(process_id=process.id, role="interpreter").order_by(Membership.id)))
    forms = {m.id: InterpreterLanguagesForm(formdata=None, prefix=f"m{m.id}", languages=m.languages)
             for m in memberships}
    status = 200
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.id) == request.form.get("membership")), None)
        if chosen is None:
            abort(404)
        form = forms[chosen.id] = InterpreterLanguagesForm(prefix=f"m{chosen.id}")
        if form.validate_on_submit():
            interpreting.set_languages(chosen, form.languages.data)
            db.session.commit()
            flash(_("Die Sprachen wurden gespeichert."), "success")
            return redirect(url_for("interpret.interpreters", process_id=process.id), 303)
        status = 400
    return render_template("interpret/interpreters.html", process=process, memberships=memberships,
                           forms=forms), status
