"""Column helpers shared by every model."""
from uuid import UUID, uuid4
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Uuid
from sqlalchemy.types import TypeDecorator
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC on every database, read back as aware UTC, so comparisons never mix."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class IdentityMixin:
    """An integer key for joins and a UUID that stays the same across installations."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID] = mapped_column(Uuid, unique=True, default=uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Translatable text: one string per language code, e.g. {"de": "...", "en": "..."}.
LocalizedText = MutableDict.as_mutable(JSON)


def localized(texts: dict | None, locale: str, fallback: str = "de") -> tuple[str, str]:
    """The text in `locale`, else in `fallback`, else any; with the language it is in."""
    texts = texts or {}
    for lang in (locale, fallback):
        if texts.get(lang):
            return texts[lang], lang
    for lang, text in texts.items():
        if text:
            return text, lang
    return "", fallback


def check_in(column: str, values) -> str:
    """SQL for a CHECK constraint that keeps a state column within its values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
