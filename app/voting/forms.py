from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired


class OpenVoteForm(FlaskForm):
    """The moderator's numbers for a vote; the service checks their range and each against the other."""

    dots = IntegerField(_l("Punkte pro Person"), validators=[
        InputRequired(_l("Bitte geben Sie an, wie viele Punkte jede Person hat.")),
    ])
    max_per_idea = IntegerField(_l("Höchstens pro Idee"), validators=[
        InputRequired(_l("Bitte geben Sie an, wie viele Punkte eine Person einer Idee höchstens geben kann.")),
    ])
