"""The organisers' forms: processes, roles, events, tables and rounds."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, ColorField, DateField, EmailField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, ValidationError)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.i18n import LANGUAGE_NAMES, current_language, language_choices, text_direction
from app.models.base import localized
from app.safety import BoundedIntegerField
from app.services.errors import DomainError
from app.services.cafe import workshops
from app.services.cafe.events import MAX_QUESTION_LENGTH, MAX_ROUND_MINUTES, MAX_ROUNDS, MAX_TABLES
from app.services.administration.processes import (BAD_COLOUR, MAX_FIELD_DESCRIPTION_LENGTH, MAX_FIELD_NAME_LENGTH,
                                    NAME_REQUIRED, clean_keywords)

ROLE_CHOICES = [
    ("organiser", _l("Organisation")),
    ("moderator", _l("Moderation")),
    ("interpreter", _l("Sprachmittlung")),
    ("steering", _l("Steuerungsgruppe")),
]


class ProcessForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[
        DataRequired(_l("Bitte geben Sie einen Titel ein.")),
        Length(max=200, message=_l("Höchstens %(max)d Zeichen.")),
    ])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000, message=_l("Höchstens %(max)d Zeichen."))])
    retention_days = IntegerField(_l("Aufbewahrungsfrist in Tagen nach der Veranstaltung"), default=365, validators=[
        Optional(), NumberRange(min=1, max=3650, message=_l("Bitte geben Sie eine Zahl von %(min)d bis %(max)d an."))])


class GrantRoleForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse des Kontos"), validators=[DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein."))])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


FORMAT_CHOICES = [
    ("world_cafe", _l("Bürgerforum (World Café)")),
    ("workshop", _l("Fachworkshop")),
    ("multiplier_round", _l("Multiplikatorenrunde")),
    ("interview", _l("Interview")),
    ("conference", _l("Konferenz")),
    ("online", _l("Nur online")),
]

ROUND_STATE_LABELS = {
    "planned": _l("geplant"),
    "running": _l("läuft"),
    "paused": _l("pausiert"),
    "closed": _l("beendet"),
}

TOO_LONG = _l("Höchstens %(max)d Zeichen.")
NUMBER_RANGE = _l("Bitte geben Sie eine Zahl von %(min)s bis %(max)s ein.")


class WholeNumberField(IntegerField):
    """A whole number; a word typed instead gets one clear message, not two."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Bitte geben Sie eine ganze Zahl ein.")) from error

    def validate(self, form, extra_validators=()):
        if self.process_errors and self.raw_data and self.raw_data[0].strip():
            self.errors = list(self.process_errors)
            return False
        self.process_errors = []
        return super().validate(form, extra_validators)


class DayField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Bitte geben Sie ein gültiges Datum an.")) from error


class LanguagesField(SelectMultipleField):
    """Checkboxes, one per language."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title_field():
    return StringField(_l("Titel"), validators=[
        DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200, message=TOO_LONG),
    ])


def _starts_on_field():
    return DayField(_l("Datum"), validators=[Optional()])


class EventForm(FlaskForm):
    title = _title_field()
    format = SelectField(_l("Format"), choices=FORMAT_CHOICES)
    starts_on = _starts_on_field()
    venue = StringField(_l("Ort"), validators=[Length(max=200, message=TOO_LONG)])
    default_language = SelectField(_l("Standardsprache"), choices=language_choices, default="de")
    # The template marks each checkbox's label with its language (WTForms 3.2 cannot pass that to options).
    languages = LanguagesField(_l("Sprachen der Veranstaltung"), choices=lambda: list(LANGUAGE_NAMES.items()),
                               default=["de"])
    online_starts_on = DayField(_l("Online-Phase ab"), validators=[Optional()])
    online_ends_on = DayField(_l("Online-Phase bis"), validators=[Optional()])
    online_premoderated = BooleanField(_l("Online-Ideen erst nach Freigabe durch die Moderation zeigen"))
    # A workshop bound to one action field of the process: its ideas land there (issue 21).
    action_field_id = SelectField(_l("Handlungsfeld"), coerce=lambda value: "" if value is None else str(value),
                                  validate_choice=False)

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Not `self.process`: that is the form's own method.
        self.of_process = process if process is not None else getattr(kwargs.get("obj"), "process", None)
        fields = self.of_process.action_fields if self.of_process is not None else []
        self.action_field_id.choices = [("", _l("keines: die Ideen kommen unsortiert auf die Sortierwand"), {})] + [
            (str(f.id), *action_field_option(f)) for f in fields]

    def validate_online_ends_on(self, field):
        if field.data and self.online_starts_on.data and field.data < self.online_starts_on.data:
            raise ValidationError(_l("Das Ende der Online-Phase liegt vor ihrem Anfang."))

    def validate_action_field_id(self, field):
        try:
            workshops.field_for(self.of_process, field.data)
        except DomainError as error:
            raise ValidationError(str(error.message)) from error


def action_field_option(field) -> tuple[str, dict]:
    """An action field's name in the page's language where it has one, marked with its language."""
    name, language = localized(field.name, current_language())
    return name, {"lang": language, "dir": text_direction(language)}


class NewEventForm(EventForm):
    table_count = WholeNumberField(_l("Zahl der Tische"), default=6, validators=[
        InputRequired(_l("Bitte geben Sie die Zahl der Tische an.")),
        NumberRange(min=0, max=MAX_TABLES, message=NUMBER_RANGE),
    ])
    round_count = WholeNumberField(_l("Zahl der Runden"), default=3, validators=[
        InputRequired(_l("Bitte geben Sie die Zahl der Runden an.")),
        NumberRange(min=0, max=MAX_ROUNDS, message=NUMBER_RANGE),
    ])
    round_minutes = WholeNumberField(_l("Dauer einer Runde in Minuten"), default=20, validators=[
        InputRequired(_l("Bitte geben Sie die Dauer einer Runde an.")),
        NumberRange(min=1, max=MAX_ROUND_MINUTES, message=NUMBER_RANGE),
    ])


class CopyEventForm(FlaskForm):
    title = _title_field()
    starts_on = _starts_on_field()


class TableForm(FlaskForm):
    name = StringField(_l("Name des Tisches (freiwillig)"),
                       validators=[Length(max=120, message=TOO_LONG)])


class TableHostForm(TableForm):
    """A table with its host: their name and the languages they speak, for seating by language."""

    host_name = StringField(_l("Name der Gastgeber·in (freiwillig)"),
                            validators=[Length(max=120, message=TOO_LONG)])
    # Checkboxes a keyboard reaches one by one; the template marks each label with its language.
    host_languages = LanguagesField(_l("Sprachen der Gastgeber·in neben Deutsch"),
                                    choices=lambda: [(code, name) for code, name in LANGUAGE_NAMES.items()
                                                     if code != "de"], validate_choice=False)

    def validate_host_languages(self, field):
        if any(code not in LANGUAGE_NAMES for code in field.data or ()):
            raise ValidationError(_l("Bitte wählen Sie nur Sprachen aus der Liste."))


class InterpreterSeatsForm(FlaskForm):
    """One interpreter's tables, one select per round (`round-<id>`), read by the route."""

    membership = BoundedIntegerField(validators=[InputRequired(_l("Bitte wählen Sie eine Person."))])


class RemoveForm(FlaskForm):
    """Only the CSRF token: the button says what goes."""


class RoundForm(FlaskForm):
    duration_minutes = WholeNumberField(_l("Dauer in Minuten"), default=20, validators=[
        InputRequired(_l("Bitte geben Sie die Dauer der Runde an.")),
        NumberRange(min=1, max=MAX_ROUND_MINUTES, message=NUMBER_RANGE),
    ])

    def question(self) -> dict:
        """The typed question, language code to text."""
        return {code: self[name].data or "" for code, name in self.question_fields}


def round_form(event, round_=None, **kwargs) -> RoundForm:
    """The form for a round: one text area per language of the event, the default language first.

    A round that is no longer planned keeps its duration, so the field is no longer required.
    """
    languages = sorted(event.languages, key=lambda code: (code != event.default_language, code != "de"))
    attributes = {}
    for code in languages:
        attributes[_question_field_name(code)] = TextAreaField(
            LANGUAGE_NAMES.get(code, code),
            validators=[Length(max=MAX_QUESTION_LENGTH, message=TOO_LONG)],
            render_kw={"lang": code, "dir": text_direction(code), "rows": 3},
        )
    if round_ is not None and round_.state != "planned":
        # The page shows the duration as text; a form sent just as the round began may still carry
        # it, and then the service refuses a changed value instead of dropping it unsaid.
        attributes["duration_minutes"] = WholeNumberField(_l("Dauer in Minuten"), validators=[
            Optional(), NumberRange(min=1, max=MAX_ROUND_MINUTES, message=NUMBER_RANGE),
        ])
    form_class = type("EventRoundForm", (RoundForm,), attributes)
    form_class.question_fields = [(code, _question_field_name(code)) for code in languages]
    if round_ is not None and "obj" not in kwargs and "formdata" not in kwargs:
        kwargs.update({name: round_.question.get(code, "") for code, name in form_class.question_fields})
        kwargs["duration_minutes"] = round_.duration_minutes
    return form_class(**kwargs)


def _question_field_name(code: str) -> str:
    return "question_" + code.replace("-", "_")


# Action fields

class KeywordsField(StringField):
    """Keywords typed as one line, separated by commas; the data is a list."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = [keyword.strip() for keyword in valuelist[0].split(",") if keyword.strip()]

    def _value(self):
        return ", ".join(self.data or [])


class ActionFieldForm(FlaskForm):
    keywords = KeywordsField(_l("Stichwörter"), default=list)
    colour = ColorField(_l("Farbe"), default="#1d70b8", validators=[
        InputRequired(BAD_COLOUR), Regexp(r"^#[0-9a-fA-F]{6}$", message=BAD_COLOUR),
    ])

    def validate_keywords(self, field):
        try:
            field.data = clean_keywords(field.data)
        except DomainError as error:
            raise ValidationError(str(error.message)) from error

    def names(self) -> dict:
        """The typed names, language code to text."""
        return {code: self[name].data or "" for code, name, _description in self.language_fields}

    def descriptions(self) -> dict:
        return {code: self[description].data or "" for code, _name, description in self.language_fields}


def action_field_form(languages, field=None, **kwargs) -> ActionFieldForm:
    """The form for an action field: a name and a description per language, German first and required."""
    languages = sorted(dict.fromkeys(["de", *languages]), key=lambda code: code != "de")
    attributes, language_fields = {}, []
    for code in languages:
        name, description = "name_" + code.replace("-", "_"), "description_" + code.replace("-", "_")
        direction = {"lang": code, "dir": text_direction(code)}
        attributes[name] = StringField(LANGUAGE_NAMES.get(code, code), render_kw=direction, validators=[
            *([DataRequired(NAME_REQUIRED)] if code == "de" else []),
            Length(max=MAX_FIELD_NAME_LENGTH, message=TOO_LONG),
        ])
        attributes[description] = TextAreaField(LANGUAGE_NAMES.get(code, code), render_kw={**direction, "rows": 3},
                                                validators=[Length(max=MAX_FIELD_DESCRIPTION_LENGTH, message=TOO_LONG)])
        language_fields.append((code, name, description))
    form_class = type("ActionFieldLanguagesForm", (ActionFieldForm,), attributes)
    form_class.language_fields = language_fields
    if field is not None:  # saved values; a sent form overrides them
        for code, name, description in language_fields:
            kwargs[name] = field.name.get(code, "")
            kwargs[description] = field.description.get(code, "")
        kwargs.update(keywords=list(field.keywords or []), colour=field.colour)
    return form_class(**kwargs)
