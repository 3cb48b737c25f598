"""Workshops (issue 21): an event bound to one action field of its process, whose ideas land in that
field (app/services/sorting/sorting.py land_in_event_field), and the actors of the process's register
invited to it, who contribute through its online phase with their personal link (app/actors).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import ActionField, Actor, Event, Process
from app.safety import bounded_int
from app.services.administration import actors
from app.services.errors import NotFound

FIELD_ELSEWHERE = _l("Dieses Handlungsfeld gehört nicht zu diesem Beteiligungsprozess.")
ACTOR_ELSEWHERE = _l("Mindestens ein ausgewählter Eintrag steht nicht im Register dieses Beteiligungsprozesses.")


def field_for(process: Process, value) -> ActionField | None:
    """The action field a form names by its id, looked up only among the fields of `process`;
    None for none ("" or None)."""
    if value is None or str(value).strip() == "":
        return None
    field_id = bounded_int(value, 1)
    field = db.session.scalar(db.select(ActionField).filter_by(process_id=process.id, id=field_id)) \
        if field_id else None
    if field is None:
        raise NotFound(FIELD_ELSEWHERE)
    return field


def bind_to_field(event: Event, value) -> None:
    """Bind the event to an action field of its process (or to none): its new ideas land there.

    Ideas written before keep the place they have on the board.
    """
    event.action_field = field_for(event.process, value)
    db.session.flush()


def invitable(process: Process) -> list[Actor]:
    """The process's register as the invitation list offers it: experts first, then the others, by name."""
    return sorted(actors.actors_of(process), key=lambda actor: actor.kind != "expert")


def invite(event: Event, actor_ids) -> list[Actor]:
    """The actors invited to `event` from now on: exactly these, all of the event's process; an id
    of another process's register (or none at all) is refused and nothing changes."""
    wanted = set()
    for value in actor_ids or ():
        actor_id = bounded_int(value, 1)
        if actor_id is None:
            raise NotFound(ACTOR_ELSEWHERE)
        wanted.add(actor_id)
    found = list(db.session.scalars(
        db.select(Actor).where(Actor.process_id == event.process_id, Actor.id.in_(wanted)).order_by(Actor.name)
    )) if wanted else []
    if len(found) != len(wanted):
        raise NotFound(ACTOR_ELSEWHERE)
    event.invited = found
    db.session.flush()
    return found
