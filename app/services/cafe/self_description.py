"""The optional self-description for the participation report: only with consent, withdrawable.

Offered at registration or on a visit after the first idea, never before the table page; the
report counts it only as one-dimensional groups of at least five (app/services/reports).
"""
from app.extensions import db
from app.models import Participant
from app.models.base import utcnow
from app.models.participant import AGE_BANDS, GENDERS, MIGRATION_EXPERIENCE
from app.services.cafe.events import refuse_if_closed

FIELDS = {"gender": GENDERS, "age_band": AGE_BANDS, "migration_experience": MIGRATION_EXPERIENCE}


def describe(participant: Participant, *, languages: list[str], **answers: str | None) -> None:
    """Store the person's answers with the time of their consent; an unknown answer is left empty."""
    refuse_if_closed(participant.event)
    for name, allowed in FIELDS.items():
        value = answers.get(name)
        setattr(participant, name, value if value in allowed else None)
    participant.languages = list(dict.fromkeys(languages))
    participant.consented_at = utcnow()
    db.session.flush()


def withdraw(participant: Participant) -> None:
    """Consent withdrawn: the answers are deleted. Languages given for a registration stay with it
    (the organisers plan with them); without a registration they go too."""
    for name in FIELDS:
        setattr(participant, name, None)
    participant.consented_at = None
    if participant.registration_state is None:
        participant.languages = []
    db.session.flush()


def offer(participant: Participant, *, has_ideas: bool, declined: bool) -> bool:
    """Whether the table page invites the person to describe themselves: after their first idea,
    not once they have, and not after "not now"."""
    return has_ideas and participant.consented_at is None and not declined
