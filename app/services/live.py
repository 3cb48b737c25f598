"""Live state: every change phones or the projector must see bumps the event's revision."""
from sqlalchemy import update

from app.extensions import db
from app.models import Event


def bump(event: Event) -> None:
    """Increase `event.revision` in the current transaction, atomically in SQL.

    The UPDATE ... SET revision = revision + 1 lets two workers bump at once without losing one.
    """
    db.session.execute(update(Event).where(Event.id == event.id).values(revision=Event.revision + 1))
    db.session.expire(event, ["revision"])
