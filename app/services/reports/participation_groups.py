"""Self-described groups in the participation report: gender, age band, migration experience and the
languages people speak, counted only for people who consented (and took part), one dimension at a
time, and shown only where no group of fewer than 5 people can be read off or worked out.

Suppression is decided for a process and all its events at once, so an event's page shows the same
figures as the process's view of that event, and two pages together reveal no more than one:
1. Every figure under 5 is hidden, zero included.
2. Every sum the figures make is checked: for each event and for the process, the people who
   described themselves are the sum of a dimension's categories (not for languages, where a person
   names several); for each category and for that total, the process is the sum of its events.
   Where the figures hidden in a sum add up to 1–4 while the sum is shown (a subtraction would give
   them), or exactly one figure of a sum that is not zero is hidden (the others would give it), the
   smallest figure still shown among the sum's parts is hidden too, the sum itself only once no part
   is left to hide.
3. Step 2 runs again until nothing changes (figures are only ever hidden, so it ends): then every
   subtraction of shown figures gives 0 or at least 5.
Hidden figures all look alike, so a hidden 3 cannot be told from a hidden 12 hidden beside it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.extensions import db
from app.languages import LANGUAGES
from app.models import Participant, Process
from app.models.participant import AGE_BANDS, GENDERS, MIGRATION_EXPERIENCE
from app.services.reports.participation_data import took_part

MIN_GROUP = 5
PROCESS = None  # the unit of the process's own figures; an event's are under its id
TOTAL = "total"  # (unit, TOTAL, TOTAL): the people of the unit who described themselves
NO_ANSWER = "no_answer"
LANGUAGES_KEY = "languages"
_LANGUAGE_ORDER = {language.code: index for index, language in enumerate(LANGUAGES)}


@dataclass(frozen=True)
class GroupDimension:
    key: str  # the Participant field: gender, age_band, migration_experience, languages
    categories: tuple[str, ...]
    multiple: bool = False  # one person may be in several categories (languages): no sum to the total


@dataclass
class SelfDescribed:
    """The shown figures only (None where hidden): nothing else leaves this module."""

    units: list[int | None]  # PROCESS, then the event ids
    dimensions: list[GroupDimension]
    shown: dict[tuple, int | None]

    def total(self, unit: int | None) -> int | None:
        return self.shown[(unit, TOTAL, TOTAL)]

    def figure(self, unit: int | None, dimension: str, category: str) -> int | None:
        return self.shown[(unit, dimension, category)]

    def anything_hidden(self, unit: int | None) -> bool:
        return any(value is None for key, value in self.shown.items() if key[0] == unit)


def suppress(values: dict, sums: list[tuple]) -> set:
    """The keys of `values` to hide, given the sums they make as (sum's key, [parts' keys]) (see the
    module's docstring)."""
    hidden = {key for key, value in values.items() if value < MIN_GROUP}
    changed = True
    while changed:
        changed = False
        for whole, parts in sums:
            extra = _also_hide(values, hidden, whole, parts)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return hidden


def _also_hide(values: dict, hidden: set, whole, parts: list):
    """A figure of this sum to hide as well, or None where the sum reveals nothing under 5."""
    hidden_parts = sum(values[part] for part in parts if part in hidden)
    lone = sum(1 for key in (whole, *parts) if key in hidden and values[key] > 0) == 1
    if not lone and (whole in hidden or not 0 < hidden_parts < MIN_GROUP):
        return None
    shown = [part for part in parts if part not in hidden]
    if shown:
        return min(shown, key=lambda part: values[part])  # the first of equals: the same every time
    return None if whole in hidden else whole


def _dimensions(languages: list[str]) -> list[GroupDimension]:
    return [GroupDimension("gender", GENDERS), GroupDimension("age_band", AGE_BANDS),
            GroupDimension("migration_experience", MIGRATION_EXPERIENCE),
            GroupDimension(LANGUAGES_KEY, tuple(languages), multiple=True)]


def _count(process: Process) -> tuple[list[int], Counter]:
    """The event ids and, per unit, the people who consented and took part, by dimension and category."""
    ids = [event.id for event in process.events]
    counts: Counter = Counter()
    if not ids:
        return ids, counts
    for event_id, gender, age_band, migration, spoken in db.session.execute(
            db.select(Participant.event_id, Participant.gender, Participant.age_band,
                      Participant.migration_experience, Participant.languages)
            .where(Participant.event_id.in_(ids), Participant.consented_at.is_not(None), took_part())):
        answers = {"gender": (gender, GENDERS), "age_band": (age_band, AGE_BANDS),
                   "migration_experience": (migration, MIGRATION_EXPERIENCE)}
        codes = {code for code in spoken or [] if isinstance(code, str) and code}
        for unit in (PROCESS, event_id):
            counts[(unit, TOTAL, TOTAL)] += 1
            for key, (answer, allowed) in answers.items():
                counts[(unit, key, answer if answer in allowed else NO_ANSWER)] += 1
            for code in codes:
                counts[(unit, LANGUAGES_KEY, code)] += 1
    return ids, counts


def self_described(process: Process) -> SelfDescribed:
    """The self-described groups of `process` and of each of its events, suppressed together.

    Languages are listed where at least 5 people of the process named them, in the app's order of
    languages (not by size, which would rank hidden figures).
    """
    return from_counts(*_count(process))


def from_counts(ids: list[int], counts: Counter) -> SelfDescribed:
    """The suppressed figures from the true counts by (unit, dimension, category)."""
    languages = sorted((key[2] for key, value in counts.items()
                        if key[0] is PROCESS and key[1] == LANGUAGES_KEY and value >= MIN_GROUP),
                       key=lambda code: (_LANGUAGE_ORDER.get(code, len(_LANGUAGE_ORDER)), code))
    dimensions = _dimensions(languages)
    units = [PROCESS, *ids]
    values = {(unit, TOTAL, TOTAL): counts[(unit, TOTAL, TOTAL)] for unit in units}
    sums = [((PROCESS, TOTAL, TOTAL), [(unit, TOTAL, TOTAL) for unit in ids])]
    for dimension in dimensions:
        for category in dimension.categories:
            for unit in units:
                values[(unit, dimension.key, category)] = counts[(unit, dimension.key, category)]
            sums.append(((PROCESS, dimension.key, category), [(unit, dimension.key, category) for unit in ids]))
        if not dimension.multiple:
            sums.extend(((unit, TOTAL, TOTAL), [(unit, dimension.key, category) for category in dimension.categories])
                        for unit in units)
    hidden = suppress(values, sums)
    return SelfDescribed(units, dimensions, {key: None if key in hidden else value for key, value in values.items()})
