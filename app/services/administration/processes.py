"""Processes and their action fields."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.extensions import db
from app.models import ActionField, Cluster, Contribution, Event, Process
from app.services.errors import Conflict, DomainError, NotFound
from app.services.sorting.sorting import mark_suggestions_stale

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


# Action fields

MAX_FIELD_NAME_LENGTH = 120
MAX_FIELD_DESCRIPTION_LENGTH = 1000
MAX_KEYWORDS = 40
MAX_KEYWORD_LENGTH = 60
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
BAD_COLOUR = _l("Bitte geben Sie die Farbe als #rrggbb an, zum Beispiel #1d70b8.")
NAME_REQUIRED = _l("Bitte geben Sie den Namen auf Deutsch ein.")
TOO_MANY_KEYWORDS = _l("Höchstens %(max)d Stichwörter mit je höchstens %(length)d Zeichen.",
                       max=MAX_KEYWORDS, length=MAX_KEYWORD_LENGTH)


def action_field_of(process: Process, field_id: int) -> ActionField:
    """An action field looked up only among the fields of `process`."""
    field = db.session.scalar(db.select(ActionField).filter_by(process_id=process.id, id=field_id))
    if field is None:
        raise NotFound(_l("Dieses Handlungsfeld gibt es nicht (mehr)."))
    return field


def clean_keywords(keywords) -> list[str]:
    """Trimmed keywords without empty ones and without repeats (ignoring case), in their order."""
    cleaned, seen = [], set()
    for keyword in keywords or []:
        keyword = " ".join(str(keyword).split())
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            cleaned.append(keyword)
    if len(cleaned) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD_LENGTH for k in cleaned):
        raise DomainError(TOO_MANY_KEYWORDS)
    return cleaned


def _texts(current: dict, changes: dict, limit: int) -> dict:
    """`current` with the languages in `changes` set (trimmed), or removed where left empty."""
    texts = dict(current or {})
    for language, text in (changes or {}).items():
        text = (text or "").strip()
        if len(text) > limit:
            raise DomainError(_l("Höchstens %(max)d Zeichen.", max=limit))
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
    return texts


def _apply(field: ActionField, name: dict, description: dict, keywords, colour: str) -> None:
    names = _texts(field.name, name, MAX_FIELD_NAME_LENGTH)
    if not names.get("de"):
        raise DomainError(NAME_REQUIRED)
    colour = (colour or "").strip()
    if not COLOUR.fullmatch(colour):
        raise DomainError(BAD_COLOUR)
    field.name = names
    field.description = _texts(field.description, description, MAX_FIELD_DESCRIPTION_LENGTH)
    field.keywords = clean_keywords(keywords)
    field.colour = colour.lower()


def add_action_field(process: Process, *, name: dict, description: dict | None = None,
                     keywords=(), colour: str = "#1d70b8") -> ActionField:
    """A new action field at the end of the process's list.

    `name` and `description` map language codes to text; German is required, the others optional.
    """
    field = ActionField(name={}, description={}, keywords=[],
                        position=max((f.position for f in process.action_fields), default=-1) + 1)
    _apply(field, name, description or {}, keywords, colour)
    process.action_fields.append(field)
    mark_suggestions_stale(process)
    db.session.flush()
    return field


def update_action_field(field: ActionField, *, name: dict, description: dict | None = None,
                        keywords=(), colour: str) -> None:
    """Change a field's texts, keywords and colour.

    Only the languages given in `name` and `description` change (an empty text removes that
    language), so a language the form does not offer keeps its text.
    """
    _apply(field, name, description or {}, keywords, colour)
    mark_suggestions_stale(field.process)
    db.session.flush()


def move_action_field(field: ActionField, offset: int) -> bool:
    """Move a field `offset` places up (negative) or down the list; False at either end."""
    fields = sorted(field.process.action_fields, key=lambda f: (f.position, f.id))
    index = fields.index(field)
    other = index + offset
    if offset == 0 or not 0 <= other < len(fields):
        return False
    fields.insert(other, fields.pop(index))
    for position, each in enumerate(fields):
        each.position = position
    db.session.flush()
    return True


def delete_action_field(field: ActionField) -> None:
    """Delete a field that no idea is sorted into; its clusters go with it.

    Hidden and merged ideas (which no board shows) that still name the field go back to unsorted.
    """
    process = field.process
    in_process = db.select(Event.id).where(Event.process_id == process.id)
    assigned = db.session.scalar(
        db.select(func.count(Contribution.id)).where(
            Contribution.event_id.in_(in_process), Contribution.action_field_id == field.id,
            Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))
    )
    if assigned:
        raise Conflict(_l("Diesem Handlungsfeld sind noch Ideen zugeordnet (%(num)d). Verschieben Sie sie "
                          "zuerst unter „Ideen sortieren“ in ein anderes Feld oder nach „Unsortiert“.",
                          num=assigned))
    db.session.execute(
        db.update(Contribution).where(Contribution.action_field_id == field.id, Contribution.status == "clustered")
        .values(status="new"))
    db.session.execute(
        db.update(Contribution).where(Contribution.action_field_id == field.id)
        .values(action_field_id=None, cluster_id=None))
    db.session.execute(db.delete(Cluster).where(Cluster.action_field_id == field.id))
    process.action_fields.remove(field)
    for position, each in enumerate(sorted(process.action_fields, key=lambda f: (f.position, f.id))):
        each.position = position
    mark_suggestions_stale(process)
    db.session.flush()
