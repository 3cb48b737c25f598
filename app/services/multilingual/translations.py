"""Translations of ideas, both ways: by interpreters, hosts and organisers, or by a machine.

An idea keeps its original text and language; each translation into another language is one row,
marked human or machine, with who made it. A human translation is never overwritten by a machine one.
Readers see their language where a translation exists, else German, else the original (`shown`).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.languages import BY_CODE
from app.models import Contribution, ContributionTranslation, User
from app.services.cafe import live
from app.services.errors import DomainError

MAX_LENGTH = 2000
MADE_BY_LENGTH = ContributionTranslation.made_by.type.length
HUB = "de"  # every idea should become readable in German: the council's and the board's language


@dataclass(frozen=True)
class Shown:
    """What one reader sees of an idea: the text, its language, and how it came to be in it."""

    text: str
    language: str
    kind: str  # "original", "human" or "machine"

    @property
    def translated(self) -> bool:
        return self.kind != "original"


def shown(idea: Contribution, reader_language: str, fallback: str = HUB) -> Shown:
    """The idea in the reader's language where a translation exists, else in `fallback`, else as written."""
    for language in (reader_language, fallback):
        if language == idea.language:
            break
        row = idea.translation_row(language)
        if row is not None:
            return Shown(row.text, row.language, "machine" if row.machine else "human")
    return Shown(idea.text, idea.language, "original")


def save(idea: Contribution, language: str, text: str, *, translator: User | None = None,
         made_by: str = "") -> ContributionTranslation | None:
    """A person's translation of `idea` into `language`; it replaces any earlier one, human or machine.

    An empty text removes the translation. Returns the stored row (None when removed).
    """
    language = _check_language(idea, language)
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise DomainError(_l("Die Übersetzung ist zu lang: höchstens %(max)d Zeichen.", max=MAX_LENGTH))
    row = _fresh_row(idea, language)
    if not text:
        if row is not None:
            idea.translations.remove(row)
            live.bump_tables(idea.event, [idea.table_id])
        return None
    if row is None:
        row = _insert(idea, language, text)
    row.text = text
    row.machine = False
    row.translator = translator
    row.made_by = (made_by or (translator.name or translator.email if translator is not None else ""))[:MADE_BY_LENGTH]
    live.bump_tables(idea.event, [idea.table_id])
    return row


def save_machine(idea: Contribution, language: str, text: str, *, engine: str) -> ContributionTranslation | None:
    """A machine translation, stored only where no person has translated into that language."""
    # Read again: a person may have saved one while the machine was translating.
    row = _fresh_row(idea, language)
    if row is not None and not row.machine:
        return None
    text = (text or "").strip()[:MAX_LENGTH]
    if not text or language == idea.language:
        return None
    if row is None:
        row = _insert(idea, language, text)
        if not row.machine:
            return None  # a person's, stored in the meantime
    row.text, row.machine, row.made_by, row.translator = text, True, engine[:MADE_BY_LENGTH], None
    live.bump_tables(idea.event, [idea.table_id])
    return row


def _fresh_row(idea: Contribution, language: str) -> ContributionTranslation | None:
    """The idea's translation into `language` as the database has it now."""
    db.session.expire(idea, ["translations"])
    return idea.translation_row(language)


def _insert(idea: Contribution, language: str, text: str) -> ContributionTranslation:
    """A new translation row; where another request stored one for this language a moment ago,
    that row (the unique key keeps one per idea and language)."""
    row = ContributionTranslation(contribution_id=idea.id, language=language, text=text, machine=True)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        row = _fresh_row(idea, language)
    else:
        db.session.expire(idea, ["translations"])
    return row


HOST_PREFIX = "host:"


def host_of(table_number: int) -> str:
    """How a table host is stored as a translation's maker: no account, no language of its own."""
    return f"{HOST_PREFIX}{table_number}"


def host_table(made_by: str) -> int | None:
    """The table number of a host who made a translation, else None."""
    rest = made_by[len(HOST_PREFIX):] if made_by.startswith(HOST_PREFIX) else ""
    return int(rest) if rest.isdigit() else None


def maker_label(row: ContributionTranslation):
    """Who made a translation, for a page: the host's table in the page's language, else the name."""
    table = host_table(row.made_by)
    return _l("Gastgeber·in von Tisch %(number)d", number=table) if table is not None else row.made_by


def _check_language(idea: Contribution, language: str) -> str:
    if language not in BY_CODE:
        raise DomainError(_l("Diese Sprache kennt die Anwendung nicht."))
    if language == idea.language:
        raise DomainError(_l("Die Idee ist schon in dieser Sprache geschrieben."))
    return language


def missing_languages(idea: Contribution, wanted) -> list[str]:
    """Of the `wanted` languages, those the idea is neither written nor translated in."""
    have = {idea.language, *(row.language for row in idea.translations)}
    return [language for language in dict.fromkeys(wanted) if language not in have and language in BY_CODE]
