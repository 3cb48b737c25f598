"""Registration before the event: places, a waiting list, needs under consent, check-in.

A registration is a participant row made before the event, so the personal link it gives (the
return link, /r/<token>) is also the person's join and return link on the day: registering and
taking part are one person. No e-mail is ever sent; an address is only for organisers to write by
hand. Needs are special-category data (DSGVO Art. 9): they are kept only with the person's
explicit consent (`needs_consented_at`), shown to organisers as counts, and listed only to
organisers, for the venue team.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Event, Participant
from app.models.base import utcnow
from app.services.cafe.events import refuse_if_closed
from app.services.cafe.joining import next_number
from app.services.errors import Conflict, DomainError
from app.tokens import new_token

# The consent questions as people read them (the forms show them; process templates carry them to be read).
NEEDS_CONSENT = _l("Ich willige ein, dass meine Angaben zum Bedarf für die Planung dieser Veranstaltung "
                   "gespeichert werden. Ich kann das jederzeit über meinen persönlichen Link widerrufen.")
SELF_DESCRIPTION_CONSENT = _l("Ich willige ein, dass diese Angaben gespeichert und nur in zusammengefassten "
                              "Zahlen ausgewertet werden. Ich kann das jederzeit über meinen persönlichen Link "
                              "widerrufen.")

NAME_MAX = 120
EMAIL_MAX = 254
OTHER_NEEDS_MAX = 500
CHILD_AGE_MAX = 17
CHILDREN_MAX = 8
# The people who hold or wait for a place; cancelled ones are kept only as a row for the count.
ACTIVE = ("registered", "waiting")


@dataclass
class Needs:
    interpretation_language: str | None = None
    childcare_ages: list[int] = field(default_factory=list)
    step_free: bool = False
    other: str = ""

    def any(self) -> bool:
        return bool(self.interpretation_language or self.childcare_ages or self.step_free or self.other.strip())


@dataclass
class Person:
    """What a registration form gives, whoever fills it in."""

    name: str
    email: str = ""
    languages: list[str] = field(default_factory=list)
    interface_language: str = "de"
    needs: Needs = field(default_factory=Needs)
    needs_consent: bool = False


def parse_ages(text: str) -> list[int]:
    """Children's ages typed as "3, 6", "3 und 6" or "٣، ٦"; a clear message for anything else."""
    ages = []
    for separator in (";", "،", "、", " "):  # the Arabic and the East Asian comma too
        text = text.replace(separator, ",")
    for part in text.split(","):
        part = part.strip()
        if not part or part.isalpha():
            continue  # "und", "and": words between the numbers
        if not part.isdigit() or int(part) > CHILD_AGE_MAX:
            raise DomainError(_l("Bitte geben Sie das Alter der Kinder als Zahlen von 0 bis 17 an, z. B. „3, 6“."))
        ages.append(int(part))
    if text.strip() and not ages:
        raise DomainError(_l("Bitte geben Sie das Alter der Kinder als Zahlen von 0 bis 17 an, z. B. „3, 6“."))
    if len(ages) > CHILDREN_MAX:
        raise DomainError(_l("Bitte melden Sie höchstens %(count)d Kinder für die Betreuung an.", count=CHILDREN_MAX))
    return ages


def register(event: Event, person: Person, *, existing: Participant | None = None,
             by_staff: bool = False) -> Participant:
    """A registration for `event`: a place while there is one, else a place on the waiting list.

    `existing` is the participant this phone already is in the event (joined, or cancelled
    before): the registration becomes theirs, so the person stays one. Only while registration is
    open, unless staff register someone who called in. The event's row is locked first
    (PostgreSQL), so two people cannot take its last place at once.
    """
    refuse_if_closed(event)
    if not event.registration_open and not by_staff:
        raise Conflict(_l("Für diese Veranstaltung kann man sich nicht anmelden."))
    if existing is not None and existing.registration_state in ACTIVE:
        raise Conflict(_l("Sie sind für diese Veranstaltung schon angemeldet."))
    db.session.execute(db.select(Event.id).where(Event.id == event.id).with_for_update())
    participant = existing or Participant(event=event, token=new_token(), number=next_number(event),
                                          interface_language=person.interface_language,
                                          writing_language=person.interface_language)
    _fill(participant, person)
    participant.registration_state = "registered" if places_left(event) != 0 else "waiting"
    participant.registered_at = utcnow()
    db.session.add(participant)
    db.session.flush()
    return participant


def update(participant: Participant, person: Person) -> None:
    """The person (or staff for them) changes their registration; its place stays as it is."""
    refuse_if_closed(participant.event)
    _fill(participant, person)
    db.session.flush()


def _fill(participant: Participant, person: Person) -> None:
    name = " ".join(person.name.split())[:NAME_MAX]
    if not name:
        raise DomainError(_l("Bitte geben Sie einen Namen oder ein Pseudonym an."))
    participant.name = name
    participant.email = person.email.strip()[:EMAIL_MAX]
    participant.languages = list(dict.fromkeys(person.languages))
    needs = person.needs
    if needs.any() and not person.needs_consent:
        raise DomainError(_l("Ihre Angaben zum Bedarf speichern wir nur mit Ihrer Einwilligung. "
                             "Bitte kreuzen Sie die Einwilligung an oder lassen Sie die Angaben leer."))
    if not needs.any():
        withdraw_needs(participant)
        return
    participant.needs_consented_at = participant.needs_consented_at or utcnow()
    participant.interpretation_language = needs.interpretation_language or None
    participant.childcare_ages = ", ".join(str(age) for age in needs.childcare_ages)
    participant.step_free = needs.step_free
    participant.other_needs = needs.other.strip()[:OTHER_NEEDS_MAX]


def withdraw_needs(participant: Participant) -> None:
    """Consent withdrawn (or nothing needed): the needs are deleted, not only hidden."""
    participant.needs_consented_at = None
    participant.interpretation_language = None
    participant.childcare_ages = ""
    participant.step_free = False
    participant.other_needs = ""


def cancel(participant: Participant) -> Participant | None:
    """The person gives their place back; the first on the waiting list gets it (returned).

    The needs and the address go with the cancellation; the row stays so the count stays true.
    """
    if participant.registration_state not in ACTIVE:
        raise Conflict(_l("Diese Anmeldung ist schon abgesagt."))
    event = participant.event
    db.session.execute(db.select(Event.id).where(Event.id == event.id).with_for_update())
    had_place = participant.registration_state == "registered"
    participant.registration_state = "cancelled"
    participant.email = ""
    withdraw_needs(participant)
    db.session.flush()
    return move_up(event) if had_place else None


def move_up(event: Event) -> Participant | None:
    """Give a free place to the longest-waiting person, if there is a place and someone waits."""
    if places_left(event) == 0:
        return None
    first = db.session.scalar(
        db.select(Participant).where(Participant.event_id == event.id, Participant.registration_state == "waiting")
        .order_by(Participant.registered_at, Participant.id).limit(1))
    if first is not None:
        first.registration_state = "registered"
        db.session.flush()
    return first


def set_registration(event: Event, *, open_: bool, capacity: int | None) -> list[Participant]:
    """Open or close registration and set the places; more places move people up (returned)."""
    event.registration_open = open_
    event.registration_capacity = capacity
    db.session.flush()
    moved = []
    while (person := move_up(event)) is not None:
        moved.append(person)
    return moved


def check_in(participant: Participant) -> None:
    """Staff mark that the person has come (also for people without a phone)."""
    participant.checked_in_at = participant.checked_in_at or utcnow()
    db.session.flush()


def undo_check_in(participant: Participant) -> None:
    participant.checked_in_at = None
    db.session.flush()


def places_left(event: Event) -> int | None:
    """Free places; None where the event has no limit."""
    if event.registration_capacity is None:
        return None
    taken = db.session.scalar(db.select(db.func.count()).select_from(Participant).where(
        Participant.event_id == event.id, Participant.registration_state == "registered"))
    return max(0, event.registration_capacity - taken)


def waiting_position(participant: Participant) -> int | None:
    """1 for the next to move up; None for anyone not waiting."""
    if participant.registration_state != "waiting":
        return None
    return db.session.scalar(db.select(db.func.count()).select_from(Participant).where(
        Participant.event_id == participant.event_id, Participant.registration_state == "waiting",
        db.or_(Participant.registered_at < participant.registered_at,
               db.and_(Participant.registered_at == participant.registered_at, Participant.id <= participant.id)))) or 1


def registrations(event: Event) -> list[Participant]:
    """Everyone who registered, places first, then the waiting list in its order, then cancelled."""
    order = db.case({"registered": 0, "waiting": 1}, value=Participant.registration_state, else_=2)
    return list(db.session.scalars(
        db.select(Participant).where(Participant.event_id == event.id, Participant.registration_state.is_not(None))
        .order_by(order, Participant.registered_at, Participant.id)))


@dataclass
class Counts:
    registered: int = 0
    waiting: int = 0
    cancelled: int = 0
    checked_in: int = 0
    interpretation: list[tuple[str, int]] = field(default_factory=list)  # language, people; most first
    childcare_places: int = 0
    childcare_families: int = 0
    step_free: int = 0
    other: int = 0
    capacity: int | None = None


def counts(event: Event) -> Counts:
    """What organisers plan the venue with: places, and the needs of the people with a place
    (consented needs only, which are the only ones stored)."""
    result = Counts(capacity=event.registration_capacity)
    languages: Counter[str] = Counter()
    for person in registrations(event):
        state = person.registration_state
        setattr(result, state, getattr(result, state) + 1)
        if person.checked_in_at is not None:
            result.checked_in += 1
        if state != "registered" or person.needs_consented_at is None:
            continue
        if person.interpretation_language:
            languages[person.interpretation_language] += 1
        ages = [age for age in person.childcare_ages.split(",") if age.strip()]
        if ages:
            result.childcare_places += len(ages)
            result.childcare_families += 1
        result.step_free += person.step_free
        result.other += bool(person.other_needs)
    result.interpretation = sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    return result
