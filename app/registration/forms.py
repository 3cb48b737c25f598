"""Forms of registration and of the optional self-description."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.i18n import LANGUAGE_NAMES, text_direction
from app.labels import AGE_BAND_LABELS, GENDER_LABELS, MIGRATION_LABELS
from app.services.cafe import registration

GERMAN = ("de", "de-x-simple")


class LanguagesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _looks_like_address(form, field):
    if field.data and ("@" not in field.data or " " in field.data.strip()):
        raise ValidationError(_l("Bitte prüfen Sie die E-Mail-Adresse, oder lassen Sie das Feld leer."))


class RegistrationForm(FlaskForm):
    name = StringField(_l("Name oder Pseudonym"), validators=[
        DataRequired(_l("Bitte geben Sie einen Namen oder ein Pseudonym an.")),
        Length(max=registration.NAME_MAX, message=_l("Höchstens %(max)d Zeichen."))])
    email = StringField(_l("E-Mail-Adresse (freiwillig)"), validators=[
        Optional(), Length(max=registration.EMAIL_MAX, message=_l("Höchstens %(max)d Zeichen.")), _looks_like_address])
    languages = LanguagesField(_l("Welche Sprachen sprechen Sie?"))
    interpretation_language = SelectField(_l("Ich brauche eine Verdolmetschung in diese Sprache"),
                                          validators=[Optional()])
    childcare_ages = StringField(_l("Kinderbetreuung: Alter der Kinder"), validators=[
        Optional(), Length(max=60, message=_l("Höchstens %(max)d Zeichen."))])
    step_free = BooleanField(_l("Ich brauche einen stufenlosen Zugang."))
    other_needs = TextAreaField(_l("Anderer Bedarf"), validators=[
        Optional(), Length(max=registration.OTHER_NEEDS_MAX, message=_l("Höchstens %(max)d Zeichen."))],
        render_kw={"rows": 3})
    needs_consent = BooleanField(registration.NEEDS_CONSENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = list(LANGUAGE_NAMES.items())
        # Translators: the first entry of "interpretation into", when none is needed.
        self.interpretation_language.choices = [("", _l("Keine"))] + [
            (code, name) for code, name in LANGUAGE_NAMES.items() if code not in GERMAN]

    def person(self, interface_language: str) -> registration.Person:
        """The form as the service's Person; raises DomainError for ages it cannot read."""
        return registration.Person(
            name=self.name.data or "", email=self.email.data or "", languages=self.languages.data or [],
            interface_language=interface_language, needs_consent=bool(self.needs_consent.data),
            needs=registration.Needs(
                interpretation_language=self.interpretation_language.data or None,
                childcare_ages=registration.parse_ages(self.childcare_ages.data or ""),
                step_free=bool(self.step_free.data), other=self.other_needs.data or ""))

    def fill_from(self, participant) -> None:
        self.name.data = participant.name
        self.email.data = participant.email
        self.languages.data = list(participant.languages or [])
        self.interpretation_language.data = participant.interpretation_language or ""
        self.childcare_ages.data = participant.childcare_ages
        self.step_free.data = participant.step_free
        self.other_needs.data = participant.other_needs
        self.needs_consent.data = participant.needs_consented_at is not None


class StaffRegistrationForm(RegistrationForm):
    """Staff register someone who called in: the consent is the person's, given by phone."""

    needs_consent = BooleanField(_l("Die Person hat mündlich eingewilligt, dass ihre Angaben zum Bedarf für "
                                    "die Planung gespeichert werden, und weiß, dass sie das widerrufen kann."))


class SelfDescriptionForm(FlaskForm):
    gender = RadioField(_l("Geschlecht"), validators=[Optional()])
    age_band = RadioField(_l("Alter"), validators=[Optional()])
    migration_experience = RadioField(_l("Haben Sie oder Ihre Familie Migrationserfahrung?"), validators=[Optional()])
    languages = LanguagesField(_l("Welche Sprachen sprechen Sie?"))
    consent = BooleanField(registration.SELF_DESCRIPTION_CONSENT, validators=[
        DataRequired(_l("Ohne Ihre Einwilligung speichern wir diese Angaben nicht."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gender.choices = list(GENDER_LABELS.items())
        self.age_band.choices = list(AGE_BAND_LABELS.items())
        self.migration_experience.choices = list(MIGRATION_LABELS.items())
        self.languages.choices = list(LANGUAGE_NAMES.items())


MAX_NOTE_LENGTH = 2000


class RegistrationSettingsForm(FlaskForm):
    registration_open = BooleanField(_l("Anmeldung ist offen"))
    capacity = IntegerField(_l("Plätze"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Bitte eine Zahl von %(min)d bis %(max)d."))])

    def note(self) -> dict:
        """The typed notes, language code to text, without the empty ones."""
        return {code: self[name].data.strip() for code, name in self.note_fields if (self[name].data or "").strip()}


def settings_form(event, **kwargs) -> RegistrationSettingsForm:
    """The settings with one note per language of the event, the default language first."""
    languages = sorted(event.languages, key=lambda code: code != event.default_language)
    fields = [(code, "note_" + code.replace("-", "_")) for code in languages]
    attributes = {name: TextAreaField(LANGUAGE_NAMES.get(code, code), validators=[
        Length(max=MAX_NOTE_LENGTH, message=_l("Höchstens %(max)d Zeichen."))],
        render_kw={"lang": code, "dir": text_direction(code), "rows": 3}) for code, name in fields}
    form_class = type("EventRegistrationSettingsForm", (RegistrationSettingsForm,), attributes)
    form_class.note_fields = fields
    return form_class(**kwargs)
