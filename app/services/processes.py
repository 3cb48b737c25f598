"""Processes and their action fields."""
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import ActionField, Process
from app.services.errors import DomainError

# The four fields of the Herdecke integration concept; a town renames or adds to them later.
DEFAULT_ACTION_FIELDS = [
    {
        "name": {"de": "Ausbildung und Arbeit", "en": "Training and work"},
        "description": {
            "de": "Wege in Ausbildung, Beruf und Selbstständigkeit; Anerkennung von Abschlüssen.",
            "en": "Paths into training, jobs and self-employment; recognition of qualifications.",
        },
        "keywords": ["Ausbildung", "Arbeit", "Job", "Praktikum", "Beruf", "Anerkennung", "work", "job"],
        "colour": "#1d70b8",
    },
    {
        "name": {"de": "Sprache und Bildung", "en": "Language and education"},
        "description": {
            "de": "Deutsch lernen, Mehrsprachigkeit, Kita, Schule und Weiterbildung.",
            "en": "Learning German, multilingualism, day care, school and further education.",
        },
        "keywords": ["Sprache", "Deutschkurs", "Schule", "Kita", "Bildung", "language", "school"],
        "colour": "#00703c",
    },
    {
        "name": {"de": "Wohnen und Quartier", "en": "Housing and neighbourhood"},
        "description": {
            "de": "Bezahlbarer Wohnraum, Nachbarschaft und Begegnung im Stadtteil.",
            "en": "Affordable housing, neighbourliness and meeting places in the district.",
        },
        "keywords": ["Wohnung", "Miete", "Nachbarschaft", "Quartier", "Treffpunkt", "housing"],
        "colour": "#912b88",
    },
    {
        "name": {"de": "Teilhabe und Engagement", "en": "Participation and civic engagement"},
        "description": {
            "de": "Mitreden, Vereine, Ehrenamt, Kultur und Sport für alle.",
            "en": "Having a say, clubs, volunteering, culture and sport for everyone.",
        },
        "keywords": ["Verein", "Ehrenamt", "Sport", "Kultur", "Beteiligung", "volunteer"],
        "colour": "#b58840",
    },
]


def create_process(title: str, *, description: str = "", default_language: str = "de",
                   with_default_fields: bool = True) -> Process:
    """A new process, starting with the four default action fields unless told otherwise."""
    process = Process(title=title.strip(), description=description, default_language=default_language)
    db.session.add(process)
    if with_default_fields:
        for position, field in enumerate(DEFAULT_ACTION_FIELDS):
            process.action_fields.append(ActionField(position=position, **field))
    db.session.flush()
    return process


def update_process(process: Process, *, title: str, description: str = "") -> None:
    """Change a process's title and description."""
    if not title.strip():
        raise DomainError(_l("Bitte geben Sie einen Titel ein."))
    process.title = title.strip()
    process.description = description.strip()
    db.session.flush()
