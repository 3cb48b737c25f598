"""The forms of passing a process on: its template, its open data, a template imported."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import AnyOf, Length, Optional

from app.exports import UNKNOWN_LANGUAGE
from app.exports.open_data import DEFAULT_LICENCE, LICENCES, UNKNOWN_LICENCE
from app.i18n import LANGUAGE_NAMES
from app.organise.forms import DayField


class TemplateForm(FlaskForm):
    class Meta:
        csrf = False  # a GET download that changes nothing

    goal_tree = BooleanField(_l("Mit dem Gerüst des Zielbaums (Knoten und Indikatoren, ohne Werte und Verantwortliche)"),
                             default=True)


class OpenDataForm(FlaskForm):
    class Meta:
        csrf = False

    # Checked by AnyOf, whose message is ours: a link edited by hand gets a sentence in the page's language.
    licence = SelectField(_l("Lizenz"), choices=[(key, title) for key, (title, _url, _by) in LICENCES.items()],
                          default=DEFAULT_LICENCE, validate_choice=False,
                          validators=[AnyOf(list(LICENCES), message=UNKNOWN_LICENCE)])
    attribution = StringField(_l("Namensnennung (Quelle)"), validators=[
        Optional(), Length(max=300, message=_l("Höchstens %(max)d Zeichen."))],
        render_kw={"placeholder": _l("z. B. Stadt Herdecke, Integrationsbüro")})
    lang = SelectField(_l("Sprache der Beschreibung (README)"), default="de", validate_choice=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages]
        self.lang.validators = [AnyOf(list(languages), message=UNKNOWN_LANGUAGE)]


class ImportTemplateForm(FlaskForm):
    file = FileField(_l("Vorlage (JSON-Datei)"), validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))],
                     render_kw={"accept": ".json,application/json"})
    starts_on = DayField(_l("Tag der ersten Veranstaltung (optional)"), validators=[Optional()])
