"""Passing a process on (issue 22): its template for another town, its open data for the town's
portal, and a new process from a template."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from app.access import admin_required, staff_required
from app.exports import Download
from app.exports.common import slug
from app.exports.open_data import package_files, package_zip
from app.extensions import db
from app.organise.routes import bp
from app.organise.share_forms import ImportTemplateForm, OpenDataForm, TemplateForm
from app.services.administration import audit, process_templates
from app.services.administration.template_format import MAX_BYTES, parse
from app.services.errors import DomainError
from app.services.reports.open_data import open_data


def _share_page(process, template_form, open_data_form, status=200):
    return render_template("organise/share.html", process=process, template_form=template_form,
                           open_data_form=open_data_form), status


def _open_data_form(formdata=None):
    return OpenDataForm(formdata=formdata, languages=current_app.config["LANGUAGES"])


@bp.get("/processes/<int:process_id>/share")
@staff_required("organiser")
def share_process(process):
    return _share_page(process, TemplateForm(formdata=None), _open_data_form())


@bp.get("/processes/<int:process_id>/template.json")
@staff_required("organiser")
def download_template(process):
    # The page's form says "sent"; a bare link (the CLI's equivalent) takes the tree along.
    with_tree = "goal_tree" in request.args if "sent" in request.args else True
    document = process_templates.export_template(process, with_goal_tree=with_tree)
    content = process_templates.template_json(document)
    audit.record("process.export_template", process.title, process_id=process.id)
    db.session.commit()
    name = f"vorlage-{slug(process.title) or 'prozess'}.json"
    return Download(content, "application/json", name).response()


@bp.get("/processes/<int:process_id>/open-data.zip")
@staff_required("organiser")
def download_open_data(process):
    form = _open_data_form(request.args)
    if not form.validate():
        return _share_page(process, TemplateForm(formdata=None), form, 400)
    files = package_files(open_data(process), licence=form.licence.data, attribution=form.attribution.data or "",
                          language=form.lang.data)
    folder = f"offene-daten-{slug(process.title) or 'prozess'}"
    audit.record("export.open_data", process.title, process_id=process.id, detail={"format": form.licence.data})
    db.session.commit()
    return Download(package_zip(files, folder), "application/zip", f"{folder}.zip").response()


@bp.route("/processes/import-template", methods=["GET", "POST"])
@admin_required
def import_template():
    form = ImportTemplateForm()
    if form.validate_on_submit():
        try:
            document = parse(form.file.data.read(MAX_BYTES + 1))
            process, plan = process_templates.import_template(document, starts_on=form.starts_on.data)
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
            return render_template("organise/import_template.html", form=form), 400
        audit.record("process.import_template", process.title, process_id=process.id,
                     detail={"count": len(plan.events)})
        db.session.commit()
        flash(ngettext("Der Prozess wurde aus der Vorlage angelegt, mit %(num)d Veranstaltung. Prüfen Sie Daten, "
                       "Orte und Texte, bevor Sie einladen.",
                       "Der Prozess wurde aus der Vorlage angelegt, mit %(num)d Veranstaltungen. Prüfen Sie Daten, "
                       "Orte und Texte, bevor Sie einladen.", len(plan.events)), "success")
        return redirect(url_for("organise.show_process", process_id=process.id), 303)
    return render_template("organise/import_template.html", form=form), 400 if form.errors else 200
