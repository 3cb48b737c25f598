"""Constraints in the schema reject rows the rules forbid, on every backend."""
import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ActionField, Contribution, Event, Membership, Participant, Round, Seat


def _rejected(app, make_row):
    with app.app_context():
        db.session.add(make_row())
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_event_format_must_be_known(app, make):
    process = make.process()
    _rejected(app, lambda: Event(process_id=process.id, title="x", format="party", code="ABCDEF"))


def test_event_codes_are_unique(app, make):
    event = make.event(tables=1, rounds=0)
    _rejected(app, lambda: Event(process_id=event.process_id, title="y", code=event.code))


def test_round_state_must_be_known(app, make):
    event = make.event(tables=1, rounds=0)
    _rejected(app, lambda: Round(event_id=event.id, number=1, state="exploded"))


def test_round_numbers_are_unique_per_event(app, make):
    event = make.event(tables=1, rounds=1)
    _rejected(app, lambda: Round(event_id=event.id, number=1))


def test_a_participant_has_one_seat_per_round(app, make):
    event = make.event(tables=2, rounds=1)
    with app.app_context():
        participant = Participant(event_id=event.id, token="t" * 40)
        db.session.add(participant)
        db.session.flush()
        db.session.add(Seat(participant_id=participant.id, round_id=event.round_ids[0], table_id=event.table_ids[0]))
        db.session.flush()
        db.session.add(Seat(participant_id=participant.id, round_id=event.round_ids[0], table_id=event.table_ids[1]))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_an_idea_needs_text_and_a_real_event(app, make):
    event = make.event(tables=1, rounds=1)
    _rejected(app, lambda: Contribution(event_id=event.id, text=""))
    _rejected(app, lambda: Contribution(event_id=987654, text="Sprachcafé"))


def test_an_idea_origin_and_status_must_be_known(app, make):
    event = make.event(tables=1, rounds=1)
    _rejected(app, lambda: Contribution(event_id=event.id, text="x", origin="telepathy"))
    _rejected(app, lambda: Contribution(event_id=event.id, text="x", status="lost"))


def test_one_idempotency_key_stores_one_idea(app, make):
    event = make.event(tables=1, rounds=1)
    with app.app_context():
        db.session.add(Contribution(event_id=event.id, text="Patenschaften", idempotency_key="k1"))
        db.session.commit()
    _rejected(app, lambda: Contribution(event_id=event.id, text="Patenschaften", idempotency_key="k1"))


def test_roles_and_colours_are_checked(app, make):
    process = make.process()
    user = make.user("a@example.org")
    _rejected(app, lambda: Membership(user_id=user.id, process_id=process.id, role="emperor"))
    _rejected(app, lambda: ActionField(process_id=process.id, name={"de": "X"}, colour="blue"))


def test_self_description_values_are_checked(app, make):
    event = make.event(tables=1, rounds=0)
    _rejected(app, lambda: Participant(event_id=event.id, token="u" * 40, age_band="ancient"))


def test_every_row_gets_a_uuid(app, make):
    event = make.event(tables=2, rounds=1)
    with app.app_context():
        uuids = {t.uuid for t in db.session.get(Event, event.id).tables}
    assert len(uuids) == 2 and None not in uuids
