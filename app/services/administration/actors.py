"""The register of local actors of a process (issue 21, the multiplier round): associations,
institutions and experts with their contact, languages and action fields; each actor's personal
secret link (/a/<token>, no account), which organisers create, replace and revoke; and what that
link opens besides feedback on the goal tree (app/services/goals/actors.py): the online phase of
the workshops the actor is invited to, as a participant of that event who is this actor.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.languages import BY_CODE
from app.models import ActionField, Actor, Event, Participant, Process
from app.models.actors import ACTOR_KINDS, event_invitations
from app.services.cafe import joining, online
from app.services.errors import Conflict, DomainError, Forbidden, NotFound
from app.tokens import new_token

MAX_NAME_LENGTH = 200
MAX_CONTACT_LENGTH = 300
MAX_NOTES_LENGTH = 5000

ACTOR_GONE = _l("Diesen Eintrag gibt es im Register nicht (mehr).")
NAME_MISSING = _l("Bitte geben Sie einen Namen ein.")
NOT_INVITED = _l("Zu dieser Veranstaltung sind Sie nicht eingeladen. Bitte wenden Sie sich an die Organisation.")
NOT_OPEN = _l("Die Online-Phase dieser Veranstaltung ist gerade nicht offen. Sie können beitragen, "
              "sobald sie beginnt.")


def actors_of(process: Process) -> list[Actor]:
    """The process's register, by name."""
    return list(db.session.scalars(db.select(Actor).filter_by(process_id=process.id)
                                   .order_by(db.func.lower(Actor.name), Actor.id)))


def actor_of_process(process: Process, actor_id: int) -> Actor:
    """An actor looked up only in the register of `process`; another process's is a 404."""
    actor = db.session.scalar(db.select(Actor).filter_by(process_id=process.id, id=actor_id))
    if actor is None:
        raise NotFound(ACTOR_GONE)
    return actor


def _text(value: str | None, max_length: int, *, one_line: bool) -> str:
    text = " ".join((value or "").split()) if one_line else (value or "").strip()
    if len(text) > max_length:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=max_length))
    return text


def save_actor(process: Process, actor: Actor | None = None, *, name: str, kind: str, contact: str = "",
               languages=(), field_ids=(), notes: str = "") -> Actor:
    """A new entry of the register (`actor` None) or the changed one; the fields must be the process's."""
    name = _text(name, MAX_NAME_LENGTH, one_line=True)
    if not name:
        raise DomainError(NAME_MISSING)
    if kind not in ACTOR_KINDS:
        raise DomainError(_l("Bitte wählen Sie eine Art aus der Liste."))
    languages = list(dict.fromkeys(languages or ()))
    if any(code not in BY_CODE for code in languages):
        raise DomainError(_l("Bitte wählen Sie nur Sprachen aus der Liste."))
    field_ids = list(dict.fromkeys(int(field_id) for field_id in field_ids or ()))
    known = set(db.session.scalars(db.select(ActionField.id).filter_by(process_id=process.id)))
    if any(field_id not in known for field_id in field_ids):
        raise NotFound(_l("Dieses Handlungsfeld gibt es nicht (mehr)."))
    if actor is None:
        actor = Actor(process_id=process.id)
        db.session.add(actor)
    elif actor.process_id != process.id:
        raise NotFound(ACTOR_GONE)
    actor.name, actor.kind = name, kind
    actor.contact = _text(contact, MAX_CONTACT_LENGTH, one_line=False)
    actor.notes = _text(notes, MAX_NOTES_LENGTH, one_line=False)
    actor.languages, actor.field_ids = languages, field_ids
    db.session.flush()
    return actor


def delete_actor(actor: Actor) -> None:
    """Remove the actor from the register; its link stops. Its feedback stays, without its name."""
    db.session.delete(actor)
    db.session.flush()


def fields_of(actor: Actor) -> list[ActionField]:
    """The actor's action fields, in the process's order (fields deleted since are left out)."""
    if not actor.field_ids:
        return []
    return list(db.session.scalars(db.select(ActionField).filter_by(process_id=actor.process_id)
                                   .where(ActionField.id.in_(actor.field_ids)).order_by(ActionField.position)))


# The personal link

def issue_link(actor: Actor) -> tuple[str, bool]:
    """A new secret for the actor's link: (token, whether it replaced one). The old link stops at once."""
    replaced = actor.token is not None
    actor.token = new_token()
    db.session.flush()
    return actor.token, replaced


def revoke_link(actor: Actor) -> bool:
    """The actor's link stops; False where there was none."""
    if actor.token is None:
        return False
    actor.token = None
    db.session.flush()
    return True


# Workshops the actor is invited to

def invitations_of(actor: Actor) -> list[Event]:
    """The events of the actor's process it is invited to, by date (undated last)."""
    return list(db.session.scalars(
        db.select(Event).join(event_invitations, event_invitations.c.event_id == Event.id)
        .where(event_invitations.c.actor_id == actor.id, Event.process_id == actor.process_id)
        .order_by(Event.starts_on.is_(None), Event.starts_on, Event.id)))


def participant_for(actor: Actor, event_id: int, language: str) -> Participant:
    """The participant of an invited event's online phase who is `actor`: found again, or made with
    `language` for the page and for writing. Refused when the actor is not invited there (which
    also covers an event of another process) or the online phase is not open."""
    event = next((invited for invited in invitations_of(actor) if invited.id == event_id), None)
    if event is None:
        raise Forbidden(NOT_INVITED)
    if not online.is_open(event):
        raise Conflict(NOT_OPEN)
    existing = db.session.scalar(db.select(Participant).filter_by(event_id=event.id, actor_id=actor.id)
                                 .order_by(Participant.id).limit(1))
    participant = joining.join(event, interface_language=language, writing_language=language, existing=existing)
    participant.actor_id = actor.id
    db.session.flush()
    return participant
