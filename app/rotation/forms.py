"""The moderator's rotation forms: move one person, switch rotation on or off."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, InputRequired


class MoveForm(FlaskForm):
    participant = IntegerField(validators=[InputRequired()])
    table = IntegerField(validators=[InputRequired(_l("Bitte wählen Sie einen Tisch."))])


class SwitchForm(FlaskForm):
    enabled = HiddenField(validators=[AnyOf(["0", "1"])])  # what rotation is switched to
