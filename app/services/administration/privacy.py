"""Participants' personal data: purged after an event, exported for the participant, kept for a set time.

What the app stores about a participant: the nickname, the languages, the optional
self-description (gender, age band, migration experience, languages spoken, and when consent was
given), a registration (name or pseudonym, address, needs under consent, check-in), where they
sat in each round, their ideas with translations, and their dots. The ideas are anonymous: the
purge keeps them (and the dots on them), which is what the council works with.

- `purge_event` removes the personal data of a closed event (`flask privacy purge`). The
  participant rows and their secret tokens stay, so return links keep showing what became of the
  ideas, without the nickname, until the process's retention period ends; a purge after that also
  replaces the tokens, forgets when each was last seen and deletes the seats.
- `return_link_expired`: past `Process.retention_days` after the event's date a return link ends.
- `due_events`: events whose retention ended and whose data were not purged: the purge is proposed.
- `export_participant`: what the app holds about one participant, nothing of anyone else.

A new table with personal data joins with one line in
`PERSONAL_DATA` below: a name, a function that purges it for an event (returning how many rows
changed, or would change on a dry run) and one that exports it for a participant. The purge and
the export run over that list, so neither can forget it.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from app.extensions import db
from app.models import CafeTable, Contribution, Event, IdeaRevision, Participant, Process, Round, Seat, Vote
from app.models.base import utcnow
from app.services.cafe import shared_views
from app.services.cafe.events import is_closed
from app.services.errors import Conflict, DomainError
from app.tokens import new_token

SELF_DESCRIPTION = ("gender", "age_band", "migration_experience", "consented_at")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- each kind of personal data: how it is purged for an event, how it is exported for a participant


def _purge_participants(event: Event, dry_run: bool) -> int:
    """Nicknames and self-descriptions of the event's participants; languages stay.

    Until the retention period ends the tokens stay, so return links keep working; after it (the
    links end then anyway) each token becomes a fresh random one nobody has, and when the
    participant was last seen goes too."""
    expired = return_link_expired(event)
    holding = (Participant.event_id == event.id) & or_(
        Participant.nickname != "", *(getattr(Participant, name).is_not(None) for name in SELF_DESCRIPTION),
        *([db.true()] if expired else []))  # past the retention every row changes: its token
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(Participant).where(holding))
    result = db.session.execute(db.update(Participant).where(holding).values(
        nickname="", **{name: None for name in SELF_DESCRIPTION}).execution_options(synchronize_session="fetch"))
    if not expired:
        return result.rowcount
    ids = list(db.session.scalars(db.select(Participant.id).where(Participant.event_id == event.id)))
    for participant_id in ids:  # one by one: each token is unique
        db.session.execute(db.update(Participant).where(Participant.id == participant_id).values(
            token=new_token(), last_seen_at=None).execution_options(synchronize_session="fetch"))
    return len(ids)


def _purge_seats(event: Event, dry_run: bool) -> int:
    """Where each participant sat: kept for the retention period (the moderation counts the people
    per table from them), deleted after it."""
    if not return_link_expired(event):
        return 0
    theirs = Seat.participant_id.in_(db.select(Participant.id).where(Participant.event_id == event.id))
    if dry_run:
        return db.session.scalar(db.select(db.func.count(Seat.id)).where(theirs))
    return db.session.execute(db.delete(Seat).where(theirs).execution_options(synchronize_session="fetch")).rowcount


def _export_participant(participant: Participant) -> dict:
    return {
        "nickname": participant.nickname,
        "interface_language": participant.interface_language,
        "writing_language": participant.writing_language,
        "self_description": {name: _iso(value) if name == "consented_at" else value
                             for name in SELF_DESCRIPTION for value in [getattr(participant, name)]},
        "joined_at": _iso(participant.created_at),
        "last_seen_at": _iso(participant.last_seen_at),
    }


# A registration's personal data; the state and its times stay, so the counts stay true.
REGISTRATION = {"name": "", "email": "", "needs_consented_at": None, "interpretation_language": None,
                "childcare_ages": "", "step_free": False, "other_needs": "", "languages": []}


def _purge_registrations(event: Event, dry_run: bool) -> int:
    """Names, addresses, needs and the languages people gave of the event's participants."""
    holding = (Participant.event_id == event.id) & or_(
        Participant.name != "", Participant.email != "", Participant.needs_consented_at.is_not(None),
        Participant.interpretation_language.is_not(None), Participant.childcare_ages != "",
        Participant.step_free.is_(True), Participant.other_needs != "",
        db.cast(Participant.languages, db.String) != "[]")
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(Participant).where(holding))
    return db.session.execute(db.update(Participant).where(holding).values(**REGISTRATION)
                              .execution_options(synchronize_session="fetch")).rowcount


def _export_registration(participant: Participant) -> dict | None:
    if participant.registration_state is None and not participant.languages:
        return None
    return {
        "state": participant.registration_state,
        "registered_at": _iso(participant.registered_at),
        "checked_in_at": _iso(participant.checked_in_at),
        "name": participant.name,
        "email": participant.email,
        "languages": list(participant.languages or []),
        "needs": None if participant.needs_consented_at is None else {
            "consented_at": _iso(participant.needs_consented_at),
            "interpretation_language": participant.interpretation_language,
            "childcare_ages": participant.childcare_ages,
            "step_free": participant.step_free,
            "other": participant.other_needs,
        },
    }


def _export_seats(participant: Participant) -> list[dict]:
    rows = db.session.execute(
        db.select(Round.number, CafeTable.number, Seat.created_at)
        .join(Round, Seat.round_id == Round.id).join(CafeTable, Seat.table_id == CafeTable.id)
        .where(Seat.participant_id == participant.id).order_by(Round.number))
    return [{"round": round_number, "table": table_number, "at": _iso(at)} for round_number, table_number, at in rows]


def _export_ideas(participant: Participant) -> list[dict]:
    ideas = db.session.scalars(db.select(Contribution).where(Contribution.participant_id == participant.id)
                               .order_by(Contribution.created_at, Contribution.id))
    return [{
        "id": str(idea.uuid),
        "text": idea.text,
        "language": idea.language,
        "written_at": _iso(idea.created_at),
        "round": idea.round.number if idea.round else None,
        "table": idea.table.number if idea.table else None,
        "status": idea.status,
        "hidden": idea.hidden_at is not None,
        "translations": {row.language: row.text for row in idea.translations},
        # Texts before a host or moderator corrected it; who changed it is staff's data, not theirs.
        "earlier_texts": list(db.session.scalars(db.select(IdeaRevision.text_before).where(
            IdeaRevision.contribution_id == idea.id).order_by(IdeaRevision.changed_at, IdeaRevision.id))),
    } for idea in ideas]


def _export_dots(participant: Participant) -> list[dict]:
    """The participant's dots by idea; the ideas are anonymous, whoever wrote them."""
    rows = db.session.execute(
        db.select(Contribution.uuid, Contribution.text, Contribution.hidden_at, db.func.count(Vote.id))
        .join(Contribution, Vote.contribution_id == Contribution.id)
        .where(Vote.participant_id == participant.id)
        .group_by(Contribution.id, Contribution.uuid, Contribution.text, Contribution.hidden_at)
        .order_by(Contribution.id))
    # A hidden idea's text is someone else's, withdrawn from view: only which idea it was.
    return [{"idea": str(uuid), **({"text": text} if hidden_at is None else {}), "dots": dots}
            for uuid, text, hidden_at, dots in rows]


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data; `purge` is None where it stays (the anonymous ideas, the dots)."""

    name: str
    export: Callable[[Participant], object]
    purge: Callable[[Event, bool], int] | None = None


# Later features that store personal data add their line here.
PERSONAL_DATA: list[PersonalData] = [
    PersonalData("participant", _export_participant, _purge_participants),
    PersonalData("registration", _export_registration, _purge_registrations),
    PersonalData("seats", _export_seats, _purge_seats),
    PersonalData("ideas", _export_ideas),
    PersonalData("dots", _export_dots),
]


# --- the purge


class EventStillOpen(Conflict):
    def __init__(self):
        super().__init__(_l("Die Veranstaltung ist noch nicht abgeschlossen: ihre Daten werden noch gebraucht."))


@dataclass
class PurgeResult:
    event: Event
    removed: dict[str, int]  # rows changed (or that would change) per kind of personal data
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def purge_event(event: Event, *, dry_run: bool = False) -> PurgeResult:
    """Remove the personal data of a closed event and note when; a dry run counts and changes nothing.

    The ideas and their dots stay, anonymous. An open event is refused (EventStillOpen)."""
    if not is_closed(event):
        raise EventStillOpen()
    removed = {kind.name: kind.purge(event, dry_run) for kind in PERSONAL_DATA if kind.purge is not None}
    if not dry_run:
        event.personal_data_purged_at = utcnow()
        shared_views.forget(event.code)
        db.session.flush()
    return PurgeResult(event, removed, dry_run)


def events_before(day: date) -> list[Event]:
    """Events whose day (`event_day`: an event without a date counts from its closing or creation)
    is before `day`; open ones too: the purge refuses those one by one."""
    candidates = db.session.scalars(db.select(Event).where(or_(Event.starts_on < day, Event.starts_on.is_(None))))
    return sorted((event for event in candidates if event_day(event) < day), key=lambda event: (event_day(event), event.id))


# --- retention


MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 1, 3650


def set_retention(process: Process, days: int | None) -> None:
    """How many days after each event its personal data are kept and its return links work; None
    (a form sent without the field) keeps the period as it is."""
    if days is None:
        return
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise DomainError(_l("Bitte geben Sie eine Zahl von %(min)d bis %(max)d an.",
                             min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS))
    process.retention_days = days
    db.session.flush()


def event_day(event: Event) -> date:
    """The day retention counts from: the event's date, else the day it was closed or created."""
    if event.starts_on is not None:
        return event.starts_on
    return (event.closed_at or event.created_at).date()


def retention_ends_on(event: Event) -> date:
    """The first day the event's personal data are no longer kept and its return links end."""
    return event_day(event) + timedelta(days=event.process.retention_days)


def return_link_expired(event: Event, today: date | None = None) -> bool:
    return (today or utcnow().date()) >= retention_ends_on(event)


class ReturnLinkExpired(DomainError):
    status_code = 410

    def __init__(self):
        super().__init__(_l("Dieser Link ist abgelaufen: Die Daten dieser Veranstaltung werden nicht mehr aufbewahrt."))


def due_events(today: date | None = None, process_id: int | None = None) -> list[Event]:
    """Events whose retention has ended and whose personal data have not been purged yet."""
    query = db.select(Event).order_by(Event.starts_on, Event.id)
    if process_id is not None:
        query = query.where(Event.process_id == process_id)
    return [event for event in db.session.scalars(query) if _purge_pending(event) and return_link_expired(event, today)]


def _purge_pending(event: Event) -> bool:
    """Not purged, or purged before its retention ended (the tokens and seats stayed then)."""
    purged = event.personal_data_purged_at
    return purged is None or purged.date() < retention_ends_on(event)


def next_purge(process_id: int) -> tuple[Event, date] | None:
    """The process's event whose purge comes next (maybe overdue) and its day, for the organisers."""
    pending = [event for event in db.session.scalars(db.select(Event).where(Event.process_id == process_id))
               if _purge_pending(event)]
    return min(((event, retention_ends_on(event)) for event in pending), key=lambda pair: pair[1], default=None)


# --- the export


def export_participant(participant: Participant) -> dict:
    """Everything the app stores about this participant, as JSON-able data; nothing of anyone else."""
    event = participant.event
    data = {
        "exported_at": _iso(utcnow()),
        "event": {"title": event.title, "date": _iso(event.starts_on), "venue": event.venue},
        "retention_ends_on": _iso(retention_ends_on(event)),
        "personal_data_purged_at": _iso(event.personal_data_purged_at),
    }
    data.update({kind.name: kind.export(participant) for kind in PERSONAL_DATA})
    return data
