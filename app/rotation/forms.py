"""The moderator's rotation forms: move one person, switch rotation on or off."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from app.safety import BoundedIntegerField


class MoveForm(FlaskForm):
    participant = BoundedIntegerField(validators=[InputRequired()])
    table = BoundedIntegerField(validators=[InputRequired(_l("Bitte wählen Sie einen Tisch."))])


class SwitchForm(FlaskForm):
    enabled = HiddenField(validators=[AnyOf(["0", "1"])])  # what rotation is switched to
