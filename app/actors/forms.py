"""The register's form: one actor with its kind, contact, languages, action fields and notes."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from app.i18n import LANGUAGE_NAMES
from app.labels import ACTOR_KIND_LABELS
from app.models.base import localized
from app.organise.forms import TOO_LONG, LanguagesField
from app.safety import bounded_int
from app.services.administration.actors import MAX_CONTACT_LENGTH, MAX_NAME_LENGTH, MAX_NOTES_LENGTH


class ChoicesField(LanguagesField):
    """Checkboxes; a value sent that is not among them gets a message in the page's language."""

    def pre_validate(self, form):
        if any(value not in {choice for choice, _label in self.choices} for value in self.data or ()):
            raise ValidationError(_l("Bitte wählen Sie nur aus der Liste."))


class IdsField(ChoicesField):
    """Checkboxes whose values are ids; anything else sent is no choice at all."""

    def process_formdata(self, valuelist):
        self.data = [number for number in (bounded_int(value, 1) for value in valuelist) if number is not None]


class ActorForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")),
                                               Length(max=MAX_NAME_LENGTH, message=TOO_LONG)])
    kind = SelectField(_l("Art"), choices=list(ACTOR_KIND_LABELS.items()), default="association")
    contact = TextAreaField(_l("Kontakt"), render_kw={"rows": 3},
                            validators=[Length(max=MAX_CONTACT_LENGTH, message=TOO_LONG)])
    # The template marks each checkbox's label with its language.
    languages = ChoicesField(_l("Sprachen"), choices=lambda: [
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]])
    field_ids = IdsField(_l("Handlungsfelder"), coerce=int)
    notes = TextAreaField(_l("Notizen"), render_kw={"rows": 4},
                          validators=[Length(max=MAX_NOTES_LENGTH, message=TOO_LONG)])

    def values(self) -> dict:
        return {name: self[name].data for name in ("name", "kind", "contact", "languages", "field_ids", "notes")}


def actor_form(process, actor=None, locale="de", **kwargs) -> ActorForm:
    """The form for a new entry (`actor` None) or a changed one; the fields are the process's."""
    if actor is not None and "formdata" not in kwargs:
        kwargs.update(obj=actor)
    form = ActorForm(**kwargs)
    form.field_ids.choices = [(field.id, localized(field.name, locale)[0]) for field in process.action_fields]
    return form
