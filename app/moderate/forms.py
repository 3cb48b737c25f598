from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class ExtendForm(FlaskForm):
    minutes = IntegerField(_l("Minuten"), default=5, validators=[
        InputRequired(_l("Bitte geben Sie die Minuten an.")),
        NumberRange(min=1, max=120, message=_l("Bitte verlängern Sie um 1 bis %(max)d Minuten.")),
    ])
