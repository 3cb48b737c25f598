"""Events with their tables and rounds; closing an event, and replacing its secret links."""
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists

from app.extensions import db
from app.i18n import LANGUAGE_NAMES
from app.models import CafeTable, Event, Process, Round
from app.models.base import utcnow
from app.models.event import EVENT_FORMATS
from app.services.cafe import live
from app.services.errors import Conflict, DomainError
from app.tokens import new_code, new_token


def unused_code() -> str:
    """A join code no other event has (retried on the rare clash)."""
    while True:
        code = new_code()
        if not db.session.scalar(db.select(exists().where(Event.code == code))):
            return code


def create_event(process: Process, title: str, *, format: str = "world_cafe",
                 starts_on: date | None = None, venue: str = "", default_language: str = "de",
                 languages: list[str] | None = None, table_count: int = 0,
                 questions: list[dict] | None = None, round_minutes: int = 20) -> Event:
    """An event of `process` with `table_count` numbered tables and one round per question.

    Each question is a dict of language code to text, e.g. {"de": "...", "en": "..."}.
    """
    languages = languages or [default_language]
    if default_language not in languages:
        languages = [default_language, *languages]
    event = Event(process=process, title=title.strip(), format=format, starts_on=starts_on,
                  venue=venue, default_language=default_language, languages=languages,
                  code=unused_code())
    db.session.add(event)
    for number in range(1, table_count + 1):
        add_table(event, number)
    for number, question in enumerate(questions or [], start=1):
        event.rounds.append(Round(number=number, question=dict(question),
                                  duration_minutes=round_minutes))
    db.session.flush()
    return event


def add_table(event: Event, number: int, name: str = "") -> CafeTable:
    """A table with its own secret host link."""
    table = CafeTable(number=number, name=name, host_token=new_token())
    event.tables.append(table)
    return table


# Limits the organisers' forms offer; the services hold to them too, for the CLI and the tests.
MAX_TABLES = 60
MAX_ROUNDS = 10
MAX_ROUND_MINUTES = 240
MAX_QUESTION_LENGTH = 1000


def normalise_languages(default_language: str, languages) -> list[str]:
    """The event's languages: the default first, then the others in the order of LANGUAGE_NAMES.

    Unknown codes are refused, so posters and question forms only ever name real languages.
    """
    wanted = {default_language, *(languages or [])}
    unknown = sorted(code for code in wanted if code not in LANGUAGE_NAMES)
    if unknown:
        raise DomainError(_l("Unbekannte Sprache: %(codes)s", codes=", ".join(unknown)))
    return [default_language] + [code for code in LANGUAGE_NAMES if code in wanted and code != default_language]


def update_event(event: Event, *, title: str, format: str, starts_on: date | None, venue: str,
                 default_language: str, languages: list[str]) -> None:
    """Change an event's details; its tables, rounds and join code stay as they are."""
    if not title.strip():
        raise DomainError(_l("Bitte geben Sie einen Titel ein."))
    if format not in EVENT_FORMATS:
        raise DomainError(_l("Unbekanntes Format."))
    event.title = title.strip()
    event.format = format
    event.starts_on = starts_on
    event.venue = venue.strip()
    event.languages = normalise_languages(default_language, languages)
    event.default_language = default_language
    live.bump(event)  # phones show the title and offer the languages
    db.session.flush()


def has_started(event: Event) -> bool:
    """Whether any round of the event has left `planned` (is running, paused or closed)."""
    return bool(db.session.scalar(db.select(
        exists().where(Round.event_id == event.id, Round.state != "planned")
    )))


def _refuse_table_changes_once_started(event: Event) -> None:
    # Rotation and seats are planned over a fixed set of tables; once a round ran, they stay.
    if has_started(event):
        raise Conflict(_l("Tische lassen sich nur hinzufügen oder entfernen, solange noch keine Runde lief."))


def add_next_table(event: Event, name: str = "") -> CafeTable:
    """A new table with the lowest free number (a removed table's number is used again)."""
    _refuse_table_changes_once_started(event)
    if len(event.tables) >= MAX_TABLES:
        raise Conflict(_l("Eine Veranstaltung hat höchstens %(n)d Tische.", n=MAX_TABLES))
    taken = {table.number for table in event.tables}
    number = next(n for n in range(1, len(taken) + 2) if n not in taken)
    table = add_table(event, number, name.strip())
    live.bump(event)
    db.session.flush()
    return table


def rename_table(table: CafeTable, name: str) -> None:
    """Give a table a name (or none); always allowed, also during the event."""
    table.name = name.strip()
    live.bump(table.event)
    db.session.flush()


def remove_table(table: CafeTable) -> None:
    """Remove a table while no round ran; seats at it go with it, its number becomes free."""
    event = table.event
    _refuse_table_changes_once_started(event)
    event.tables.remove(table)
    live.bump(event)
    db.session.flush()


def _trimmed(question: dict | None) -> dict:
    """Trimmed texts per language (empty ones kept, meaning "none in this language")."""
    trimmed = {lang: (text or "").strip() for lang, text in (question or {}).items()}
    if any(len(text) > MAX_QUESTION_LENGTH for text in trimmed.values()):
        raise DomainError(_l("Eine Frage hat höchstens %(n)d Zeichen.", n=MAX_QUESTION_LENGTH))
    return trimmed


def _without_empty(texts: dict) -> dict:
    return {lang: text for lang, text in texts.items() if text}


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_ROUND_MINUTES:
        raise DomainError(_l("Eine Runde dauert 1 bis %(n)d Minuten.", n=MAX_ROUND_MINUTES))


def add_round(event: Event, *, question: dict | None = None, duration_minutes: int = 20) -> Round:
    """A planned round after the last one; its question may follow later."""
    if len(event.rounds) >= MAX_ROUNDS:
        raise Conflict(_l("Eine Veranstaltung hat höchstens %(n)d Runden.", n=MAX_ROUNDS))
    _check_minutes(duration_minutes)
    number = max((r.number for r in event.rounds), default=0) + 1
    round_ = Round(number=number, question=_without_empty(_trimmed(question)), duration_minutes=duration_minutes)
    event.rounds.append(round_)
    live.bump(event)
    db.session.flush()
    return round_


def update_round(round_: Round, *, question: dict, duration_minutes: int | None = None) -> None:
    """Set a round's question (in the languages given) and, while it is planned, its duration.

    The question may be corrected at any time, a typo fix during the event included; the phones
    see it at once. Texts in languages not given stay as they were.
    """
    if duration_minutes is not None and duration_minutes != round_.duration_minutes:
        if round_.state != "planned":
            raise Conflict(_l("Die Dauer lässt sich nur ändern, solange die Runde geplant ist."))
        _check_minutes(duration_minutes)
        round_.duration_minutes = duration_minutes
    texts = _without_empty({**(round_.question or {}), **_trimmed(question)})
    if texts != dict(round_.question or {}):
        round_.question = texts
        live.bump(round_.event)
    db.session.flush()


def remove_round(round_: Round) -> None:
    """Remove a planned round; the rounds after it move up one number, so numbering stays 1, 2, 3."""
    if round_.state != "planned":
        raise Conflict(_l("Nur geplante Runden lassen sich entfernen."))
    event, number = round_.event, round_.number
    event.rounds.remove(round_)
    db.session.flush()
    for later in sorted((r for r in event.rounds if r.number > number), key=lambda r: r.number):
        later.number -= 1
        db.session.flush()  # one at a time, so (event, number) stays unique at every step
    live.bump(event)


def copy_event(event: Event, title: str, starts_on: date | None) -> Event:
    """A new event like `event`: same format, place, languages, tables and questions.

    The copy gets its own join code and host links, and all its rounds are planned.
    """
    if not title.strip():
        raise DomainError(_l("Bitte geben Sie einen Titel ein."))
    copy = create_event(event.process, title, format=event.format, starts_on=starts_on,
                        venue=event.venue, default_language=event.default_language,
                        languages=list(event.languages))
    for table in event.tables:
        add_table(copy, table.number, table.name).topic = dict(table.topic or {})
    for round_ in event.rounds:
        copy.rounds.append(Round(number=round_.number, question=dict(round_.question or {}),
                                 duration_minutes=round_.duration_minutes))
    db.session.flush()
    return copy


# Closing: an organiser closes the event, or it counts as closed some days after its date.
DEFAULT_CLOSES_AFTER_DAYS = 7
CLOSED_MESSAGE = _l("Diese Veranstaltung ist abgeschlossen. Ideen lassen sich nur noch lesen, "
                    "nicht mehr eintragen, ändern oder bewerten.")


class EventClosed(DomainError):
    """A write to a closed event: for good, so a phone's outbox must not send it again."""

    status_code = 410

    def __init__(self, message=CLOSED_MESSAGE):
        super().__init__(message)


def closes_after_days() -> int | None:
    """EVENT_CLOSES_AFTER_DAYS; None (or a negative number) keeps events open until an organiser closes them."""
    days = (current_app.config.get("EVENT_CLOSES_AFTER_DAYS", DEFAULT_CLOSES_AFTER_DAYS)
            if has_app_context() else DEFAULT_CLOSES_AFTER_DAYS)
    return days if days is not None and days >= 0 else None


def closes_on(event: Event) -> date | None:
    """The day the event counts as closed by itself (EVENT_CLOSES_AFTER_DAYS after its date)."""
    days = closes_after_days()
    if event.starts_on is None or days is None:
        return None
    return event.starts_on + timedelta(days=days)


def is_closed(event: Event, now: datetime | None = None) -> bool:
    """Whether the event is closed: by an organiser, or by the days passed since its date.

    Closed means host links stop and phones only read; the one test every part asks.
    """
    now = now or utcnow()
    if event.closed_at is not None and event.closed_at <= now:
        return True
    closes = closes_on(event)
    return closes is not None and now.date() >= closes


def refuse_if_closed(event: Event) -> None:
    """Raise EventClosed (410) for a write to a closed event."""
    if is_closed(event):
        raise EventClosed()


def close_event(event: Event, now: datetime | None = None) -> None:
    """Close the event now: the open round and an open vote end, host links stop, phones read."""
    from app.services.cafe import rounds, voting  # they ask this module whether an event is closed

    if event.closed_at is not None:
        raise Conflict(_l("Die Veranstaltung ist schon abgeschlossen."))
    open_round = rounds.current_round(event)
    if open_round is not None:
        rounds.close(open_round, now)
    if event.vote_state == "open":
        voting.close_vote(event)
    event.closed_at = now or utcnow()
    live.bump(event)
    db.session.flush()


def reopen_event(event: Event) -> None:
    """Open a closed event again (rounds stay as they were).

    An event closed by the days since its date stays closed until its date is changed. A purge
    done while it was closed no longer counts: nicknames given after the reopening are purged too.
    """
    if event.closed_at is None:
        raise Conflict(_l("Die Veranstaltung ist nicht abgeschlossen."))
    event.closed_at = None
    live.bump(event)
    db.session.flush()
    if is_closed(event):
        raise Conflict(_l("Die Veranstaltung gilt als abgeschlossen, weil ihr Datum mehr als %(n)d Tage "
                          "zurückliegt. Ändern Sie zuerst das Datum.", n=closes_after_days()))
    # Open again, it takes nicknames again: the next purge must reach them.
    event.personal_data_purged_at = None
    db.session.flush()


def replace_host_link(table: CafeTable) -> None:
    """A new secret host link for the table; the old one stops at once."""
    table.host_token = new_token()
    table.host_seen_at = None
    live.bump_staff(table.event)
    db.session.flush()


def replace_projector_link(event: Event) -> None:
    """A new secret projector link for the event; the old one stops at once."""
    event.projector_token = new_token()
    live.bump_staff(event)
    db.session.flush()
