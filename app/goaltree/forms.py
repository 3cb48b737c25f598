"""The goal tree's forms: a node, a new child, an indicator, a measured value, a snapshot's name.

Titles, descriptions and indicator names are translatable: one input per language of the site,
German first and (for titles and names) required."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.labels import KIND_LABELS, STATUS_LABELS
from app.i18n import LANGUAGE_NAMES, text_direction
from app.organise.forms import TOO_LONG, DayField, LanguagesField
from app.safety import bounded_int
from app.services.administration.actors import actors_of
from app.services.goals.goaltree import CHANGEABLE_KINDS, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH
from app.services.goals.snapshots import MAX_NAME_LENGTH

TITLE_REQUIRED = _l("Bitte geben Sie einen Titel ein.")
NOT_A_NUMBER = _l("Bitte geben Sie eine Zahl ein.")


class NumberField(StringField):
    """A decimal number as people type it here: "1,5" as well as "1.5"; empty is None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        self.data = None
        if raw:
            try:
                self.data = float(raw.replace(",", ".") if "." not in raw else raw)
            except ValueError:
                raise ValueError(NOT_A_NUMBER) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:.15g}"  # every digit a person typed, without a trailing ".0"


def _kind_choices(kinds=CHANGEABLE_KINDS):
    return [(kind, KIND_LABELS[kind]) for kind in kinds]


class NewChildForm(FlaskForm):
    """The short form under each node of the tree: what kind, and its title."""

    kind = SelectField(_l("Art"), choices=_kind_choices(), default="massnahme")
    title = StringField(_l("Titel"), validators=[DataRequired(TITLE_REQUIRED),
                                                 Length(max=MAX_TITLE_LENGTH, message=TOO_LONG)])


def new_child_form(node_uuid, **kwargs) -> NewChildForm:
    # One per node on the page: the prefix keeps the field ids apart.
    return NewChildForm(prefix=f"add-{node_uuid}", **kwargs)


def _language_inputs(attributes, prefix, label_field, *, required, max_length, area=False):
    """One input per language into `attributes`; returns [(code, field name)]."""
    names = []
    for code in _languages():
        name = f"{prefix}_{code.replace('-', '_')}"
        render = {"lang": code, "dir": text_direction(code), **({"rows": 4} if area else {})}
        validators = [*([DataRequired(label_field)] if required and code == "de" else []),
                      Length(max=max_length, message=TOO_LONG)]
        field_class = TextAreaField if area else StringField
        attributes[name] = field_class(LANGUAGE_NAMES.get(code, code), render_kw=render, validators=validators)
        names.append((code, name))
    return names


def _languages():
    from flask import current_app

    return sorted(dict.fromkeys(["de", *current_app.config["LANGUAGES"]]), key=lambda code: code != "de")


class ActorsField(LanguagesField):
    """Checkboxes of the register's actors, by id; values that are no id are no choice at all
    (the service refuses ids of another process's register)."""

    def process_formdata(self, valuelist):
        self.data = [number for number in (bounded_int(value, 1) for value in valuelist) if number is not None]

    def pre_validate(self, form):
        pass


class NodeForm(FlaskForm):
    kind = SelectField(_l("Art"), choices=_kind_choices())
    responsible = TextAreaField(_l("Verantwortlich"), render_kw={"rows": 3},
                                validators=[Length(max=2000, message=TOO_LONG)])
    actors = ActorsField(_l("Verantwortlich aus dem Akteursregister"), coerce=int)
    starts_on = DayField(_l("Beginn"), validators=[Optional()])
    ends_on = DayField(_l("Ende"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()))
    weight = NumberField(_l("Gewicht"), validators=[InputRequired(NOT_A_NUMBER)])

    def texts(self, fields) -> dict:
        return {code: self[name].data or "" for code, name in fields}

    def changes(self) -> dict:
        changes = {
            "description": self.texts(self.description_fields),
            "responsible": self.responsible.data.splitlines(),
            "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
            "status": self.status.data, "weight": self.weight.data,
        }
        if self.title_fields:
            changes["title"] = self.texts(self.title_fields)
        if "kind" in self:
            changes["kind"] = self.kind.data
        return changes


def node_form(node, **kwargs) -> NodeForm:
    """The form for a node. A Handlungsfeld takes its title from its action field, and the
    Leitziel and Handlungsfelder keep their kind, so those inputs are left out for them."""
    attributes = {}
    fixed_title = node.kind == "handlungsfeld" and node.action_field_id is not None
    title_fields = [] if fixed_title else _language_inputs(
        attributes, "title", TITLE_REQUIRED, required=True, max_length=MAX_TITLE_LENGTH)
    description_fields = _language_inputs(attributes, "description", None, required=False,
                                          max_length=MAX_DESCRIPTION_LENGTH, area=True)
    form_class = type("NodeLanguagesForm", (NodeForm,), attributes)
    form_class.title_fields, form_class.description_fields = title_fields, description_fields
    if node.kind not in CHANGEABLE_KINDS:
        form_class.kind = None
    for code, name in title_fields:
        kwargs.setdefault(name, node.title.get(code, ""))
    for code, name in description_fields:
        kwargs.setdefault(name, node.description.get(code, ""))
    kwargs.setdefault("responsible", "\n".join(node.responsible))
    kwargs.setdefault("actors", [actor.id for actor in node.actors])
    for name in ("kind", "starts_on", "ends_on", "status", "weight"):
        kwargs.setdefault(name, getattr(node, name))
    form = form_class(**kwargs)
    form.actors.choices = [(actor.id, actor.name) for actor in actors_of(node.process)]
    return form


class IndicatorForm(FlaskForm):
    unit = StringField(_l("Einheit"), validators=[Length(max=40, message=TOO_LONG)])
    baseline_value = NumberField(_l("Ausgangswert"))
    baseline_on = DayField(_l("Datum des Ausgangswerts"), validators=[Optional()])
    target_value = NumberField(_l("Zielwert"))
    target_on = DayField(_l("Zieldatum"), validators=[Optional()])
    data_source = StringField(_l("Datenquelle"), validators=[Length(max=300, message=TOO_LONG)])

    def values(self) -> dict:
        return {"name": {code: self[name].data or "" for code, name in self.name_fields},
                **{name: self[name].data for name in ("unit", "baseline_value", "baseline_on", "target_value",
                                                       "target_on", "data_source")}}


def indicator_form(indicator=None, **kwargs) -> IndicatorForm:
    attributes = {}
    name_fields = _language_inputs(attributes, "name", _l("Bitte geben Sie einen Namen ein."),
                                   required=True, max_length=MAX_TITLE_LENGTH)
    form_class = type("IndicatorLanguagesForm", (IndicatorForm,), attributes)
    form_class.name_fields = name_fields
    if indicator is not None:
        for code, name in name_fields:
            kwargs.setdefault(name, indicator.name.get(code, ""))
        for name in ("unit", "baseline_value", "baseline_on", "target_value", "target_on", "data_source"):
            kwargs.setdefault(name, getattr(indicator, name))
    return form_class(**kwargs)


class ValueForm(FlaskForm):
    measured_on = DayField(_l("Gemessen am"), validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))])
    value = NumberField(_l("Wert"), validators=[InputRequired(NOT_A_NUMBER)])


class SnapshotForm(FlaskForm):
    name = StringField(_l("Name des Stands"), validators=[
        DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=MAX_NAME_LENGTH, message=TOO_LONG)])
