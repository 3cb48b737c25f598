"""Seats: where each participant sits in each round."""
from app.extensions import db
from app.models import Participant, Round, Seat


def seat_of(participant: Participant, round_: Round | None) -> Seat | None:
    if round_ is None:
        return None
    return db.session.scalar(db.select(Seat).filter_by(participant_id=participant.id, round_id=round_.id))


def latest_seat(participant: Participant) -> Seat | None:
    """Where the participant sat last, in the latest round that has a seat for them."""
    return db.session.scalar(
        db.select(Seat).join(Round, Seat.round_id == Round.id)
        .where(Seat.participant_id == participant.id).order_by(Round.number.desc()).limit(1)
    )


def previous_round(round_: Round) -> Round | None:
    """The round of the same event just before `round_`, if any."""
    return db.session.scalar(
        db.select(Round).where(Round.event_id == round_.event_id, Round.number < round_.number)
        .order_by(Round.number.desc()).limit(1)
    )


def carry_seats_forward(round_: Round) -> int:
    """Seat everyone of the previous round at the same table in `round_`, unless already seated.

    Without rotation people stay where they are; a rotation proposal or a moderator's move
    changes the seats afterwards. Returns how many seats were made.
    """
    previous = previous_round(round_)
    if previous is None:
        return 0
    already = db.select(Seat.participant_id).where(Seat.round_id == round_.id)
    carried = db.session.scalars(
        db.select(Seat).where(Seat.round_id == previous.id, Seat.participant_id.not_in(already))
    ).all()
    for seat in carried:
        db.session.add(Seat(participant_id=seat.participant_id, round=round_, table_id=seat.table_id))
    db.session.flush()
    return len(carried)
