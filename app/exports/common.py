"""What every goal-tree export shares: the tree document walked in order with path numbers, the
labels of kinds and states, and text made safe for XML and spreadsheets.

Writers get the document (`services.snapshots.tree_document` or a snapshot's) and a language, and
run inside `force_locale(language)`, so `gettext` speaks the chosen language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal, format_percent
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app.i18n import LANGUAGE_NAMES
from app.models.base import localized

# XML 1.0 (and so XLSX, DOCX, OPML, SVG) cannot hold these, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell starting with one of these is a formula to Excel and LibreOffice, even in a CSV file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(text) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", str(text or ""))


def pick(texts: dict | None, language: str) -> str:
    """The text in `language`, else German, else any (as the pages show it)."""
    return xml_text(localized(texts, language)[0])


def direction(text: str) -> str:
    """"rtl" or "ltr" by the first strongly directional character, as HTML's dir="auto" does."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def idea_text(idea: dict, language: str) -> tuple[str, str, bool]:
    """An idea of the tree document in `language` where it is written or translated in it, else in
    German, else as written; the original beside it where the text shown is a translation; and
    whether a machine made that translation."""
    translations = idea.get("translations") or {}
    for wanted in (language, "de"):
        if idea.get("language", "de") == wanted:
            break
        if translations.get(wanted):
            return translations[wanted], idea["text"], wanted in (idea.get("machine_translated") or ())
    return idea["text"], "", False


def original_language(idea: dict, machine: bool) -> str:
    """The language an idea was written in, marked where the text shown was translated by a machine."""
    name = language_name(idea.get("language"))
    return f"{name} · {_('maschinell übersetzt')}" if machine else name


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "")


def day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def percent(progress: float | None) -> float:
    """Progress 0..1 as a percentage with one decimal, the number every export shows."""
    return round((progress or 0.0) * 100, 1)


def percent_text(progress: float | None) -> str:
    """"12,5 %" in German, "12.5%" in English and Arabic (which keeps it right to left)."""
    return format_percent(Decimal(str(percent(progress))) / 100, locale=get_locale(), decimal_quantization=False)


def latest(indicator: dict) -> tuple[float | None, str | None]:
    """The latest measured value of an indicator document, with its date."""
    values = sorted(indicator.get("values") or [], key=lambda v: v["date"])
    return (values[-1]["value"], values[-1]["date"]) if values else (None, None)


def labelled(label, value) -> str:
    """"Label: value" (gettext calls stay outside f-strings, where pybabel finds them).

    A value written the other way round than its label is isolated (U+2068 … U+2069), so that an
    Arabic label keeps a German title's question mark at the title's end, and the other way round.
    """
    label, value = str(label), str(value)
    if value and direction(value) != direction(label):
        value = f"\u2068{value}\u2069"
    return f"{label}: {value}"


def timeframe(node: dict) -> str:
    """"01.01.2026 – 31.12.2028" (German); "…" for an open end; nothing without dates."""
    starts, ends = day(node.get("starts_on")), day(node.get("ends_on"))
    if not starts and not ends:
        return ""
    return " – ".join(format_date(d, "medium") if d else "…" for d in (starts, ends))


def number_text(value: float | None) -> str:
    """A measured value as the export language writes numbers; nothing for none."""
    if value is None:
        return ""
    return format_decimal(Decimal(str(value)), locale=get_locale(), decimal_quantization=False)


@dataclass
class Entry:
    """One node of the document in reading order, with its path number ("1.2.3"), as the tree page
    numbers it: the Leitziel has none, the action fields 1, 2, …, their goals 1.1, 1.2, …"""

    number: str
    level: int  # 1 for the Leitziel, 2 for the action fields, …
    node: dict
    parent: Entry | None
    field: dict | None  # the action field of the node or of its nearest ancestor with one

    def heading(self, language: str) -> str:
        """The node's number and title, as headings and diagram boxes show them."""
        return " ".join(part for part in (self.number, pick(self.node.get("title"), language)) if part)

    @property
    def ideas(self) -> list[dict]:
        """Linked ideas and quotations alike: what citizens said that led to this node."""
        return list(self.node.get("ideas") or []) + list(self.node.get("quotes") or [])


def walk(document: dict) -> list[Entry]:
    """Every node of the document, depth first: the Leitziel unnumbered, then 1, 1.1, 1.1.1 …"""
    fields = {f["uuid"]: f for f in document.get("action_fields") or []}
    entries: list[Entry] = []
    todo = [("", node, None) for node in reversed(document.get("nodes") or [])]
    while todo:
        number, node, parent = todo.pop()
        field = fields.get(node.get("action_field_uuid")) or (parent.field if parent else None)
        entry = Entry(number, parent.level + 1 if parent else 1, node, parent, field)
        entries.append(entry)
        children = node.get("children") or []
        todo.extend((f"{number}.{i}" if number else str(i), child, entry)
                    for i, child in reversed(list(enumerate(children, 1))))
    return entries


def top_branches(entries: list[Entry]) -> list[tuple[Entry, list[Entry]]]:
    """The children of the Leitziel (usually the action fields), each with its whole subtree."""
    branches: list[tuple[Entry, list[Entry]]] = []
    for entry in entries:
        if entry.level == 2:
            branches.append((entry, []))
        elif entry.level > 2 and branches:
            branches[-1][1].append(entry)
    return branches


def process_title(document: dict) -> str:
    return xml_text((document.get("process") or {}).get("title") or "")


def slug(text: str) -> str:
    """ASCII for file names: "Wie leben wir 2030 zusammen?" → "wie-leben-wir-2030-zusammen"."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
