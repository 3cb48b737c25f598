"""The online phase: an event's questions open to people who could not come, all at once.

From `online_starts_on` to `online_ends_on` (inclusive; an event of format "online" is only that),
anyone who joined by the event's link or QR code writes ideas without a table, to any question of
the event (its rounds' questions), in any language. Such ideas have origin "online" and go through
translation, the board, the goal tree and the exports like the others, marked by their origin. The
limits of issue 13 apply as at a table; a closed event takes no more. With pre-moderation an idea
waits hidden, marked `awaiting_release`, until a moderator shows it (merging.unhide).
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from app.extensions import db
from app.models import Contribution, Event, Participant, Round
from app.models.base import utcnow
from app.services.cafe import live
from app.services.cafe.events import is_closed, refuse_if_closed
from app.services.cafe.ideas import store_once
from app.services.errors import Conflict, NotFound


def has_phase(event: Event) -> bool:
    return event.format == "online" or event.online_starts_on is not None


def is_open(event: Event, today: date | None = None) -> bool:
    """Whether people can write online today."""
    if not has_phase(event) or is_closed(event):
        return False
    today = today or utcnow().date()
    starts, ends = event.online_starts_on, event.online_ends_on
    return (starts is None or starts <= today) and (ends is None or today <= ends)


def questions(event: Event) -> list[Round]:
    return list(event.rounds)


def ideas_by_question(event: Event, reader: Participant | None = None) -> dict[int, list[Contribution]]:
    """The visible online ideas of each question, oldest first; the reader's own still awaiting
    release among them."""
    shown = Contribution.hidden_at.is_(None)
    if reader is not None:
        shown = shown | ((Contribution.participant_id == reader.id) & Contribution.awaiting_release)
    found: dict[int, list[Contribution]] = {}
    for idea in db.session.scalars(
            db.select(Contribution).where(Contribution.event_id == event.id, Contribution.origin == "online",
                                          shown, Contribution.merged_into_id.is_(None))
            .order_by(Contribution.id)):
        found.setdefault(idea.round_id, []).append(idea)
    return found


def submit(participant: Participant, text: str, *, key: str | None, question_id: int | None,
           max_length: int = 500) -> tuple[Contribution, bool]:
    """An idea to one question of the online phase; (idea, created), once per idempotency key."""
    event = participant.event
    refuse_if_closed(event)
    if not is_open(event):
        raise Conflict(_l("Die Online-Phase ist gerade nicht offen."))
    question = db.session.get(Round, question_id) if question_id else None
    if question is None or question.event_id != event.id:
        raise NotFound(_l("Diese Frage gibt es bei dieser Veranstaltung nicht."))

    def online_idea(checked: str, scoped: str | None) -> Contribution:
        idea = Contribution(event=event, round=question, table_id=None, participant=participant, text=checked,
                            language=participant.writing_language, origin="online", idempotency_key=scoped)
        if event.online_premoderated:  # others see it once a moderator released it
            idea.hidden_at, idea.hidden_reason, idea.awaiting_release = utcnow(), "", True
        return idea

    idea, created = store_once(participant, text, key=key, max_length=max_length, make=online_idea)
    if created:
        live.bump_staff(event)
    return idea, created
