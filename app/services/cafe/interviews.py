"""Expert interviews (issue 21): who was interviewed (from the register, or only a role and an
organisation, no name needed), when, and the staff's notes, which only staff ever see.

An interview belongs to an event of format "interview" of the process ("Experteninterviews" is made
when the process has none). Its statements are ideas of origin "interview" in that event, stored line
by line as a host's tablecloth is (hosting.store_lines): once per form, sent for translation, on the
board in the chosen action field (or unsorted), and from there into the goal tree and the exports.
"""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.languages import locale_for
from app.safety import bounded_int
from app.i18n import LANGUAGE_NAMES
from app.models import Contribution, Event, Interview, Process
from app.services.administration import actors
from app.services.cafe import events, hosting, live
from app.services.cafe.ideas import delete_by_staff, scoped_key
from app.services.cafe.workshops import field_for
from app.services.errors import Conflict, DomainError, NotFound
from app.services.sorting.sorting import land_in_field

MAX_TEXT_LENGTH = 200  # role, organisation
MAX_NOTES_LENGTH = 10000
FORMAT = "interview"
INTERVIEW_GONE = _l("Dieses Interview gibt es nicht (mehr).")


def interview_events(process: Process) -> list[Event]:
    """The process's events of format "interview", oldest first."""
    return list(db.session.scalars(db.select(Event).filter_by(process_id=process.id, format=FORMAT).order_by(Event.id)))


def interview_event(process: Process, event_id=None) -> Event:
    """The interview event a form names, only among the process's; without one, the process's first,
    made ("Experteninterviews", in the process's language) when it has none."""
    if event_id:
        event = db.session.scalar(db.select(Event).filter_by(process_id=process.id, id=event_id, format=FORMAT))
        if event is None:
            raise NotFound(_l("Diese Interview-Veranstaltung gibt es in diesem Beteiligungsprozess nicht."))
        return event
    existing = interview_events(process)
    if existing:
        return existing[0]
    with force_locale(locale_for(process.default_language)):
        title = _("Experteninterviews")
    return events.create_event(process, title, format=FORMAT, default_language=process.default_language,
                               languages=[process.default_language])


def interviews_of(process: Process) -> list[Interview]:
    """The process's interviews, the latest held first (undated ones last)."""
    return list(db.session.scalars(
        db.select(Interview).join(Event, Interview.event_id == Event.id).where(Event.process_id == process.id)
        .options(selectinload(Interview.actor), selectinload(Interview.event))
        .order_by(Interview.held_on.is_(None), Interview.held_on.desc(), Interview.id.desc())))


def interview_of(process: Process, interview_id: int) -> Interview:
    """An interview looked up only among those of `process`."""
    interview = db.session.scalar(
        db.select(Interview).join(Event, Interview.event_id == Event.id)
        .where(Event.process_id == process.id, Interview.id == interview_id))
    if interview is None:
        raise NotFound(INTERVIEW_GONE)
    return interview


def _line(value: str | None, max_length: int) -> str:
    text = " ".join((value or "").split())
    if len(text) > max_length:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=max_length))
    return text


def save_interview(process: Process, interview: Interview | None = None, *, event_id=None, actor_id=None,
                   role: str = "", organisation: str = "", held_on: date | None = None,
                   notes: str = "") -> Interview:
    """A new interview (`interview` None) or the changed one. The interviewee is an actor of the
    process's register, or only a role and an organisation; at least one of the three is needed."""
    # Ids from a form: numbers or nothing (PostgreSQL compares no integer with text).
    given_event, given_actor = event_id, actor_id
    event_id = bounded_int(event_id, 1) if event_id else None
    actor_id = bounded_int(actor_id, 1) if actor_id else None
    if given_actor and actor_id is None:
        raise NotFound(actors.ACTOR_GONE)
    if given_event and event_id is None:
        raise NotFound(_l("Diese Interview-Veranstaltung gibt es in diesem Beteiligungsprozess nicht."))
    event = interview_event(process, event_id)
    actor = actors.actor_of_process(process, actor_id) if actor_id else None
    role, organisation = _line(role, MAX_TEXT_LENGTH), _line(organisation, MAX_TEXT_LENGTH)
    if actor is None and not role and not organisation:
        raise DomainError(_l("Bitte wählen Sie eine Person aus dem Register oder geben Sie Rolle oder Organisation an."))
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES_LENGTH:
        raise DomainError(_l("Die Notizen sind zu lang: höchstens %(max)d Zeichen.", max=MAX_NOTES_LENGTH))
    if interview is None:
        interview = Interview()
        db.session.add(interview)
    elif interview.event.process_id != process.id:
        raise NotFound(INTERVIEW_GONE)
    if interview.event_id is not None and interview.event_id != event.id:
        # Its statements move along to the other interview event of the process.
        db.session.execute(db.update(Contribution).where(Contribution.interview_id == interview.id)
                           .values(event_id=event.id))
    interview.event, interview.actor = event, actor
    interview.role, interview.organisation, interview.held_on, interview.notes = role, organisation, held_on, notes
    db.session.flush()
    return interview


def delete_interview(interview: Interview) -> None:
    """Remove an interview without statements; one with statements is refused (delete those first)."""
    if statements_of(interview):
        raise Conflict(_l("Dieses Interview hat noch Aussagen. Bitte löschen Sie zuerst die Aussagen."))
    db.session.delete(interview)
    db.session.flush()


def statements_of(interview: Interview) -> list[Contribution]:
    """The interview's statements in the order they were typed, with translations and field."""
    return list(db.session.scalars(
        db.select(Contribution).filter_by(event_id=interview.event_id, interview_id=interview.id)
        .options(selectinload(Contribution.translations), selectinload(Contribution.action_field))
        .order_by(Contribution.id)))


def add_statements(interview: Interview, text: str, *, key: str | None, language: str = "de", field_id=None,
                   max_length: int = 500) -> tuple[list[Contribution], int]:
    """Each non-empty line of `text` as a statement of the interview: an idea of origin "interview" in
    `language`, in the action field `field_id` of the process (or unsorted). A resent form stores
    nothing again. Returns (statements, how many were new)."""
    event = interview.event
    if language not in LANGUAGE_NAMES:
        raise DomainError(_l("Bitte wählen Sie eine Sprache aus der Liste."))
    field = field_for(event.process, field_id)
    lines = hosting.split_lines(text, max_length)
    base = scoped_key(f"i{interview.id}", (key or "").strip()[:hosting.BASE_KEY_LENGTH - 12])

    def statement(line: str, line_key: str | None) -> Contribution:
        idea = Contribution(event=event, round=None, table=None, participant=None, interview=interview, text=line,
                            language=language, origin="interview", idempotency_key=line_key)
        land_in_field(idea, field.id if field is not None else None)
        return idea

    ideas, created = hosting.store_lines(event, lines, base=base, make=statement,
                                         scope=Contribution.interview_id == interview.id)
    if created:
        live.bump_staff(event)
    return ideas, created


def statement_counts(process: Process) -> dict[int, int]:
    """How many statements each interview of the process has, by interview id."""
    return dict(db.session.execute(
        db.select(Contribution.interview_id, db.func.count(Contribution.id))
        .join(Event, Contribution.event_id == Event.id)
        .where(Event.process_id == process.id, Contribution.interview_id.is_not(None))
        .group_by(Contribution.interview_id)).all())


def statement_of(interview: Interview, idea_uuid) -> Contribution:
    """One statement of this interview; any other idea is not found."""
    idea = db.session.scalar(db.select(Contribution).filter_by(event_id=interview.event_id,
                                                               interview_id=interview.id, uuid=idea_uuid))
    if idea is None:
        raise NotFound(_l("Diese Aussage gibt es nicht (mehr)."))
    return idea


def delete_statement(idea: Contribution) -> None:
    """Remove a statement for good (mistyped, or said off the record), as staff delete an idea."""
    delete_by_staff(idea)
