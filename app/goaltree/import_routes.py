"""Indicator values from a spreadsheet: the upload, its preview with a message per bad row, and the
confirmation that stores every row or none (app/services/goals/indicator_import.py)."""
from flask import redirect, render_template, url_for
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.access import staff_required
from app.extensions import db
from app.goaltree import views
from app.goaltree.blueprint import bp
from app.goaltree.import_forms import ConfirmImportForm, ImportFileForm
from app.http import refused
from app.models import GoalNode, Indicator
from app.services.administration import audit
from app.services.errors import DomainError
from app.services.goals import indicator_import


def _page(process, form, preview=None, status: int = 200):
    confirm_form = None
    if preview is not None and preview.can_confirm:
        confirm_form = ConfirmImportForm(formdata=None, rows=indicator_import.sign(process, preview))
    indicators = list(db.session.scalars(db.select(Indicator).join(GoalNode)
                                         .where(GoalNode.process_id == process.id).order_by(Indicator.id)))
    return render_template("goaltree/import_values.html", process=process, form=form, preview=preview,
                           confirm_form=confirm_form, indicators=indicators,
                           max_rows=indicator_import.MAX_ROWS,
                           max_mb=indicator_import.MAX_FILE_BYTES // 2**20), status


@bp.route("/processes/<int:process_id>/goal-tree/indicators/import", methods=["GET", "POST"])
@staff_required("organiser")
def import_values(process):
    """GET: the upload form. POST: the file read and checked, shown row by row; nothing stored."""
    form = ImportFileForm()
    if not form.is_submitted():
        return _page(process, form)
    if not form.validate():
        return _page(process, form, status=400)
    upload = form.file.data
    try:
        preview = indicator_import.preview_file(process, upload.filename or "",
                                                upload.read(indicator_import.MAX_FILE_BYTES + 1))
    except DomainError as error:
        form.file.errors = [str(error.message)]
        return _page(process, form, status=refused(error))
    return _page(process, ImportFileForm(formdata=None), preview)


@bp.post("/processes/<int:process_id>/goal-tree/indicators/import/confirm")
@staff_required("organiser")
def confirm_import(process):
    """Store the previewed rows, checked again: all of them, or none with the reason."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _page(process, ImportFileForm(formdata=None), status=refused(DomainError(indicator_import.TAMPERED)))
    try:
        preview = indicator_import.confirm(process, form.rows.data)
        audit.record("indicator.import", preview.filename, process_id=process.id,
                     detail={"count": len(preview.new)})
        db.session.commit()
    except indicator_import.ImportRefused as error:
        return _page(process, ImportFileForm(formdata=None), error.preview, refused(error))
    except DomainError as error:
        return _page(process, ImportFileForm(formdata=None), status=refused(error))
    except IntegrityError:  # a value entered at the same moment: the whole import is undone
        return _page(process, ImportFileForm(formdata=None),
                     status=refused(DomainError(indicator_import.CHANGED_SINCE)))
    views.say(ngettext("Ein Messwert ist gespeichert.", "%(num)d Messwerte sind gespeichert.", len(preview.new)))
    return redirect(url_for("goaltree.import_values", process_id=process.id), 303)
