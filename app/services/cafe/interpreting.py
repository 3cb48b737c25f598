"""The interpreters' queue: what waits for a person's translation in one event.

Two kinds of work wait: ideas in another language that have no German translation by a person yet,
and German ideas whose table has readers of another language with no translation into it. An
interpreter sees only their languages (set per process by the organiser); organisers see all.
"""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Contribution, Event, Membership, Participant, Seat, User
from app.services.multilingual import language_detection
from app.services.multilingual.translations import HUB

GERMAN = {"de", "de-x-simple"}


@dataclass
class Task:
    idea: Contribution
    source: str    # the language translated from (the idea's, or German)
    target: str    # the language to translate into
    machine_text: str = ""  # a machine translation waiting to be checked
    detected: str | None = None  # the detector is sure the idea is written in another language

    @property
    def key(self) -> str:
        return f"{self.idea.uuid}-{self.target}"


def interpreter_languages(user: User, process_id: int) -> set[str] | None:
    """The languages `user` translates in this process; None means every language (organisers)."""
    if user.is_admin or "organiser" in user.roles_in(process_id):
        return None
    languages: set[str] = set()
    for membership in user.memberships:
        if membership.process_id == process_id and membership.role == "interpreter":
            languages |= set(membership.languages or [])
    return languages


def readers_at_tables(event: Event) -> dict[tuple[int, int], set[str]]:
    """(table id, round id) → the interface languages of the people who sat there."""
    rows = db.session.execute(
        db.select(Seat.table_id, Seat.round_id, Participant.interface_language)
        .join(Participant, Participant.id == Seat.participant_id)
        .where(Participant.event_id == event.id)
    )
    readers: dict[tuple[int, int], set[str]] = defaultdict(set)
    for table_id, round_id, language in rows:
        readers[(table_id, round_id)].add(language)
    return readers


def queue(event: Event, languages: set[str] | None, detect: bool = True) -> list[Task]:
    """Every translation that waits for a person in `event`, oldest idea first (with `detect`,
    each marked where the language detector is sure the idea is in another language)."""
    ideas = db.session.scalars(
        db.select(Contribution)
        .where(Contribution.event_id == event.id, Contribution.hidden_at.is_(None),
               Contribution.merged_into_id.is_(None))
        .options(selectinload(Contribution.translations), selectinload(Contribution.table))
        .order_by(Contribution.created_at, Contribution.id)
    )
    readers = readers_at_tables(event)
    tasks = []
    for idea in ideas:
        if idea.language in GERMAN:
            wanted = readers.get((idea.table_id, idea.round_id), set()) - GERMAN
            targets = sorted(wanted)
        else:
            targets = [HUB]
        for target in targets:
            source = idea.language
            if languages is not None and (source if target == HUB else target) not in languages:
                continue
            row = idea.translation_row(target)
            if row is not None and not row.machine:
                continue
            tasks.append(Task(idea, source, target, machine_text=row.text if row is not None else ""))
    for task in tasks if detect else ():
        task.detected = language_detection.disagrees(task.idea.text, task.idea.language)
    return tasks


def find_task(event: Event, languages: set[str] | None, idea_uuid, target: str) -> Contribution | None:
    """The idea of `event` an interpreter may translate into `target`, or None."""
    idea = db.session.scalar(db.select(Contribution).filter_by(event_id=event.id, uuid=idea_uuid, hidden_at=None,
                                                                merged_into_id=None))
    if idea is None or target == idea.language:
        return None
    if languages is not None and (not languages or not ({idea.language, target} - GERMAN) <= languages):
        return None
    return idea


def set_languages(membership: Membership, languages) -> None:
    """The languages an interpreter translates between and German in the membership's process."""
    membership.languages = sorted(set(languages) - GERMAN)
