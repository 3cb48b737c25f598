"""An indicator's page: its baseline and target, its measured values (entered with their dates),
and deleting it."""
from flask import Response, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from app.access import staff_required
from app.bidi import isolated_in
from app.extensions import db
from app.goaltree import views
from app.goaltree.blueprint import bp
from app.http import form_status, refused
from app.i18n import current_language
from app.security import IMAGE_POLICY
from app.goaltree.forms import ValueForm, indicator_form
from app.services.administration import audit
from app.services.goals import indicators
from app.services.reports import progress
from app.services.errors import DomainError


@bp.route("/processes/<int:process_id>/goal-tree/indicators/<uuid:indicator_uuid>", methods=["GET", "POST"])
@staff_required("organiser")
def edit_indicator(process, indicator_uuid):
    indicator = indicators.indicator_of_process(process, indicator_uuid)
    form = indicator_form(indicator)
    status = None
    if form.validate_on_submit():
        try:
            indicators.update_indicator(indicator, **form.values())
        except DomainError as error:
            status = refused(error)
            indicator = indicators.indicator_of_process(process, indicator_uuid)
        else:
            # The node changed: its indicators are part of it (no action of its own for now).
            audit.record("goaltree.edit", indicator.node.display_title, process_id=process.id)
            db.session.commit()
            views.say(_("Die Änderungen wurden gespeichert."))
            return views.to_indicator(process, indicator)
    return _indicator_page(process, indicator, form, ValueForm(formdata=None), status or form_status(form))


def _indicator_page(process, indicator, form, value_form, status: int = 200):
    from app.exports.indicator_charts import describe

    latest = indicator.values[-1].value if indicator.values else None
    return render_template(
        "goaltree/indicator.html", process=process, indicator=indicator, node=indicator.node, form=form,
        value_form=value_form, latest=latest,
        progress=progress.indicator_progress(indicator.baseline_value, indicator.target_value, latest),
        chart_description=describe(indicators.chart_document(indicator), current_language()),
    ), status


@bp.get("/processes/<int:process_id>/goal-tree/indicators/<uuid:indicator_uuid>/chart.svg")
@staff_required("steering")
def indicator_chart(process, indicator_uuid):
    """The indicator's values, baseline and target drawn as an SVG image (app/exports/indicator_charts.py)."""
    from app.exports.indicator_charts import indicator_svg

    indicator = indicators.indicator_of_process(process, indicator_uuid)
    response = Response(indicator_svg(indicators.chart_document(indicator), current_language()),
                        mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/processes/<int:process_id>/goal-tree/indicators/<uuid:indicator_uuid>/values")
@staff_required("organiser")
def add_value(process, indicator_uuid):
    """A measured value; a second one on the same date replaces the first."""
    indicator = indicators.indicator_of_process(process, indicator_uuid)
    form = ValueForm()
    status = None
    if form.validate_on_submit():
        try:
            indicators.record_value(indicator, form.measured_on.data, form.value.data)
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            views.say(_("Der Wert ist eingetragen."))
            return views.to_indicator(process, indicator)
    return _indicator_page(process, indicators.indicator_of_process(process, indicator_uuid),
                           indicator_form(indicator, formdata=None), form, status or form_status(form))


@bp.post("/processes/<int:process_id>/goal-tree/indicators/<uuid:indicator_uuid>/values/<uuid:value_uuid>/delete")
@staff_required("organiser")
def delete_value(process, indicator_uuid, value_uuid):
    indicator = indicators.indicator_of_process(process, indicator_uuid)
    indicators.delete_value(indicators.value_of_indicator(indicator, value_uuid))
    audit.record("indicator.value_delete", indicator.name, process_id=process.id)
    db.session.commit()
    views.say(_("Der Wert ist gelöscht."))
    return views.to_indicator(process, indicator)


@bp.post("/processes/<int:process_id>/goal-tree/indicators/<uuid:indicator_uuid>/delete")
@staff_required("organiser")
def delete_indicator(process, indicator_uuid):
    indicator = indicators.indicator_of_process(process, indicator_uuid)
    node, name = indicator.node, isolated_in(indicator.name, views.locale())
    if request.form.get("confirm") != "yes":
        return _indicator_page(process, indicator, indicator_form(indicator, formdata=None), ValueForm(formdata=None),
                               refused(DomainError(_("Bitte bestätigen Sie das Löschen."))))
    audit.record("indicator.delete", indicator.name, process_id=process.id)
    indicators.delete_indicator(indicator)
    db.session.commit()
    views.say(Markup(_("Der Indikator „%(name)s“ ist gelöscht.", name=name)))
    return views.to_node(process, node, "indicators")
