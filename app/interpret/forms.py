"""Forms of the interpreters' pages; all POST with CSRF."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField, widgets
from wtforms.validators import Length

from app.i18n import LANGUAGE_NAMES, text_direction
from app.services.multilingual.translations import MAX_LENGTH


class TranslateForm(FlaskForm):
    """One translation of one idea into one language; an empty text removes it."""

    text = TextAreaField(_l("Übersetzung"), validators=[
        Length(max=MAX_LENGTH, message=_l("Die Übersetzung ist zu lang: höchstens %(max)d Zeichen.")),
    ], render_kw={"rows": 3})

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed in the target language: the keyboard, spell checker and direction follow it.
        self.text.render_kw = {"rows": 3, "lang": language, "dir": text_direction(language)}


class InterpreterLanguagesForm(FlaskForm):
    # Translator comment: the languages an interpreter translates between and German.
    languages = SelectMultipleField(_l("Sprachen neben Deutsch"), option_widget=widgets.CheckboxInput(),
                                    widget=widgets.ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pairs, not language_choices(): the checkboxes macro marks each label with its language.
        self.languages.choices = [(code, name) for code, name in LANGUAGE_NAMES.items()
                                  if code not in ("de", "de-x-simple")]
