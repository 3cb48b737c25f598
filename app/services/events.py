"""Events with their tables and rounds."""
from datetime import date

from sqlalchemy import exists

from app.extensions import db
from app.models import CafeTable, Event, Process, Round
from app.services.tokens import new_code, new_token


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
