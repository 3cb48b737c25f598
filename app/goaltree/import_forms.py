"""The forms of the indicator values' import: the file, and the confirmation carrying the signed rows."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileForm(FlaskForm):
    file = FileField(_l("Datei (CSV oder XLSX)"), validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))],
                     render_kw={"accept": ACCEPT})


class ConfirmImportForm(FlaskForm):
    rows = HiddenField()  # the preview's rows, signed (services.goals.indicator_import.sign)
