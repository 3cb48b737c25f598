from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

ROLE_CHOICES = [
    ("organiser", _l("Organisation")),
    ("moderator", _l("Moderation")),
    ("interpreter", _l("Sprachmittlung")),
    ("steering", _l("Steuerungsgruppe")),
]


class ProcessForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[
        DataRequired(_l("Bitte geben Sie einen Titel ein.")),
        Length(max=200, message=_l("Höchstens %(max)d Zeichen.")),
    ])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000, message=_l("Höchstens %(max)d Zeichen."))])


class GrantRoleForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse des Kontos"), validators=[DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein."))])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
