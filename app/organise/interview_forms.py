"""The forms of expert interviews: who, when, notes; and the statements, one per line."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.i18n import language_choices
from app.labels import ACTOR_KIND_LABELS
from app.organise.forms import TOO_LONG, DayField, action_field_option
from app.services.cafe import interviews, workshops


def _as_choice(value) -> str:
    return "" if value is None else str(value)


class InterviewForm(FlaskForm):
    # Ids are checked against the process in the service: another process's is refused there.
    event_id = SelectField(_l("Veranstaltung"), coerce=_as_choice, validate_choice=False)
    actor_id = SelectField(_l("Aus dem Register"), coerce=_as_choice, validate_choice=False)
    role = StringField(_l("Rolle"), validators=[Length(max=interviews.MAX_TEXT_LENGTH, message=TOO_LONG)])
    organisation = StringField(_l("Organisation oder Einrichtung"), validators=[
        Length(max=interviews.MAX_TEXT_LENGTH, message=TOO_LONG)])
    held_on = DayField(_l("Datum des Interviews"), validators=[])
    notes = TextAreaField(_l("Notizen (nur für das Team)"), render_kw={"rows": 6, "dir": "auto"},
                          validators=[Length(max=interviews.MAX_NOTES_LENGTH, message=TOO_LONG)])

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        events = interviews.interview_events(process)
        self.event_id.choices = [(str(e.id), e.title) for e in events] or [
            ("", _l("Experteninterviews (wird angelegt)"))]
        self.actor_id.choices = [("", _l("niemand aus dem Register: nur Rolle und Organisation"))] + [
            (str(a.id), f"{a.name} ({ACTOR_KIND_LABELS.get(a.kind, a.kind)})") for a in workshops.invitable(process)]

    def values(self) -> dict:
        """What the service takes (app/services/cafe/interviews.py save_interview)."""
        return {"event_id": self.event_id.data or None, "actor_id": self.actor_id.data or None,
                "role": self.role.data or "", "organisation": self.organisation.data or "",
                "held_on": self.held_on.data, "notes": self.notes.data or ""}


class StatementsForm(FlaskForm):
    """Statements typed in at once, one per line; lengths are checked line by line in the service."""

    text = TextAreaField(_l("Aussagen"), validators=[DataRequired(_l("Bitte tragen Sie mindestens eine Aussage ein."))],
                         render_kw={"rows": 8, "dir": "auto", "autocapitalize": "sentences", "spellcheck": "true"})
    language = SelectField(_l("Sprache der Aussagen"), default="de")
    action_field_id = SelectField(_l("Handlungsfeld"), coerce=_as_choice, validate_choice=False)
    key = HiddenField()

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        self.action_field_id.choices = [("", _l("unsortiert"), {})] + [
            (str(f.id), *action_field_option(f)) for f in process.action_fields]
