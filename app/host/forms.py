"""Forms of the table host's page; all POST with CSRF."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.i18n import language_choices
from app.services.cafe.hosting import SUMMARY_MAX_LENGTH

# What the phone's picker offers; the server checks the content, not this list or the file name.
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif"


class CaptureForm(FlaskForm):
    """Ideas from the tablecloth, one per line; lengths are checked line by line in the service."""

    # Ids are set apart, since the page holds several forms with a "text" and a "round_id".
    text = TextAreaField(_l("Ideen vom Tischtuch"), id="capture-text", validators=[
        DataRequired(_l("Bitte tragen Sie mindestens eine Idee ein.")),
    ], render_kw={"rows": 10, "dir": "auto", "autocapitalize": "sentences", "spellcheck": "true"})
    language = SelectField(_l("Sprache der Ideen"))
    key = HiddenField(id="capture-key")
    round_id = HiddenField(id="capture-round")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class EditIdeaForm(FlaskForm):
    text = TextAreaField(_l("Text der Idee"), validators=[DataRequired(_l("Eine Idee darf nicht leer sein."))],
                         render_kw={"rows": 3, "dir": "auto"})


class TranslationForm(FlaskForm):
    """A translation typed next to a tablecloth line; an empty text removes it."""

    language = SelectField(_l("Übersetzung in"))
    text = TextAreaField(_l("Übersetzung"), render_kw={"rows": 3, "dir": "auto"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class PhotoForm(FlaskForm):
    photo = FileField(_l("Foto vom Tischtuch"), validators=[FileRequired(_l("Bitte wählen Sie ein Foto aus."))],
                      render_kw={"accept": PHOTO_ACCEPT})
    round_id = HiddenField(id="photo-round")


class SummaryForm(FlaskForm):
    text = TextAreaField(_l("Zusammenfassung"), id="summary-text", validators=[
        Length(max=SUMMARY_MAX_LENGTH, message=_l("Die Zusammenfassung ist zu lang: höchstens %(max)d Zeichen.")),
    ], render_kw={"rows": 5, "dir": "auto"})
    round_id = HiddenField(id="summary-round")
