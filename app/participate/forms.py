from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.i18n import language_choices, text_direction


class JoinForm(FlaskForm):
    interface_language = SelectField(_l("Sprache dieser Seite"))
    writing_language = SelectField(_l("In welcher Sprache schreiben Sie Ihre Ideen?"))
    nickname = StringField(_l("Spitzname (freiwillig)"), validators=[
        Optional(), Length(max=40, message=_l("Höchstens %(max)d Zeichen.")),
    ])
    table = SelectField(_l("An welchem Tisch sitzen Sie?"), coerce=int, validators=[Optional()])

    def __init__(self, *args, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.interface_language.choices = language_choices(current_app.config["LANGUAGES"])
        self.writing_language.choices = language_choices()
        # Nothing chosen until the person chooses: a quick tap on "Mitmachen" must not file their
        # ideas under table 1. Joined without a table, the table page asks for it.
        # Translators: join page, the first entry of the list of tables, chosen until the person picks one.
        self.table.choices = [(0, _("Bitte Tisch wählen"))] + [table_choice(t) for t in tables] if tables else []


def table_choice(table) -> tuple:
    """A named table by its number and name, marked in the event's language (an option cannot hold
    a <bdi>); an unnamed one as "Tisch N" in the page's language."""
    if table.name:
        language = table.event.default_language
        return table.number, f"{table.number} · {table.name}", {"lang": language, "dir": text_direction(language)}
    return table.number, _("Tisch %(number)d", number=table.number)


class IdeaForm(FlaskForm):
    text = TextAreaField(_l("Ihre Idee"), validators=[DataRequired(_l("Bitte schreiben Sie zuerst Ihre Idee."))])
    key = HiddenField()
    round_id = HiddenField()

    def __init__(self, *args, max_length: int = 500, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.text.validators = [*self.text.validators, Length(
            max=max_length, message=_l("Ihre Idee ist zu lang: höchstens %(max)d Zeichen."))]


class TableChoiceForm(FlaskForm):
    table = SelectField(_l("An welchem Tisch sitzen Sie?"), coerce=int)


class LeaveForm(FlaskForm):
    keep_ideas = RadioField(_l("Was soll mit Ihren Ideen geschehen?"), choices=[
        ("keep", _l("Ohne meinen Namen behalten: sie zählen weiter für das Ergebnis")),
        ("delete", _l("Mit mir löschen")),
    ], default="keep")
    confirm = BooleanField(_l("Ja, ich möchte meine Teilnahme löschen."), validators=[
        DataRequired(_l("Bitte bestätigen Sie, dass Sie Ihre Teilnahme löschen möchten.")),
    ])
