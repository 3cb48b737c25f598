"""The steering group's forms: a comment on a node or a snapshot, an organiser's answer, and an
entry of the decision log."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.organise.forms import TOO_LONG, DayField
from app.services.goals import comments, decisions

# What a comment is, as pages and the overview name it (actors may also agree).
COMMENT_KIND_LABELS = {
    "comment": _l("Anmerkung"),
    "concern": _l("Bedenken"),
    "agree": _l("Zustimmung"),
    "answer": _l("Antwort"),
}


class CommentForm(FlaskForm):
    kind = RadioField(_l("Art"), choices=[(kind, COMMENT_KIND_LABELS[kind]) for kind in comments.STAFF_KINDS],
                      default="comment", validators=[InputRequired(_l("Bitte wählen Sie: Anmerkung oder Bedenken."))])
    text = TextAreaField(_l("Ihre Rückmeldung"), validators=[
        DataRequired(comments.TEXT_MISSING), Length(max=comments.MAX_TEXT_LENGTH, message=TOO_LONG)])


class NodesField(SelectMultipleField):
    """Checkboxes, one per goal node; the service checks that each is the process's."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass  # an unknown node is refused by the service, with its own message


class DecisionForm(FlaskForm):
    decided_on = DayField(_l("Datum des Beschlusses"), validators=[InputRequired(decisions.DATE_MISSING)])
    meeting = StringField(_l("Sitzung"), validators=[Length(max=decisions.MAX_MEETING_LENGTH, message=TOO_LONG)])
    text = TextAreaField(_l("Beschluss"), validators=[
        DataRequired(decisions.TEXT_MISSING), Length(max=decisions.MAX_TEXT_LENGTH, message=TOO_LONG)])
    nodes = NodesField(_l("Betroffene Knoten des Zielbaums"), choices=[])
