"""The forum's record for the council: one event's programme, what each table wrote and summed up
in each round with its tablecloth photos, the vote, the ideas per action field and plain figures.

Gathered once (a handful of queries, however many ideas) for both the printable page and the DOCX.
Hidden and merged-away ideas are left out, as the vote and the public results leave them out (the
results table keeps them, marked); each idea keeps its original text and, where it was not written
in German, its German translation with whether a machine or a person made it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.labels import interviewee, marks_text
from app.models import (ActionField, CafeTable, Contribution, ContributionTranslation, Event, Interview, Participant,
                        Round, RoundSummary, TablePhoto)
from app.services.cafe import voting
from app.services.reports.participation_data import took_part

GERMAN = "de"


@dataclass
class RecordIdea:
    """A visible idea as the record shows it: as written, its German translation, and its dots."""

    idea: Contribution
    dots: int
    # Where it came from beyond the event (issue 21): the interview it was said in, an invited expert.
    interview: Interview | None = None
    expert: bool = False

    @property
    def mark(self) -> str:
        """"Interview: <who>" and "von Expert·in" where they apply; empty otherwise."""
        return marks_text(interview=interviewee(self.interview) if self.interview is not None else None,
                          expert=self.expert)

    @property
    def german(self) -> ContributionTranslation | None:
        """The German translation beside the original; None where written in German or not translated yet."""
        return None if self.idea.language == GERMAN else self.idea.translation_row(GERMAN)


@dataclass
class Sitting:
    """One table in one round (None: ideas typed in without a round): ideas, summary, photos."""

    round: Round | None
    ideas: list[RecordIdea] = field(default_factory=list)
    summary: str = ""
    photos: list[TablePhoto] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.ideas or self.summary or self.photos)


@dataclass
class TableRecord:
    """A table (None: ideas from no table, e.g. the online phase) and its sittings in round order."""

    table: CafeTable | None
    sittings: list[Sitting]


@dataclass
class FieldIdeas:
    """The ideas sorted into one action field (None: not sorted yet), most dots first."""

    field: ActionField | None
    ideas: list[RecordIdea]


@dataclass
class Figures:
    """Plain counts: who took part, what they wrote and gave, in which languages (most first)."""

    participants: int
    ideas: int
    dots: int
    languages: list[tuple[str, int]]


@dataclass
class Record:
    event: Event
    rounds: list[Round]
    tables: list[TableRecord]
    results: list[RecordIdea]  # ideas with at least one dot, most dots first
    undotted: int  # visible ideas without a dot
    fields: list[FieldIdeas]
    figures: Figures
    def ranked(self) -> list[tuple[int, RecordIdea]]:
        """The vote results with their places; ideas with as many dots share one (1, 2, 2, 4)."""
        places: list[tuple[int, RecordIdea]] = []
        for index, idea in enumerate(self.results, 1):
            places.append((index if index == 1 or idea.dots != places[-1][1].dots else places[-1][0], idea))
        return places

    def questions(self, round_: Round | None) -> list[tuple[str, str]]:
        """A round's question as (language, text): German first, then the event's other languages
        where the question is given in them."""
        texts = (round_.question if round_ is not None else None) or {}
        order = [GERMAN, *(code for code in self.event.languages if code != GERMAN)]
        return [(code, texts[code].strip()) for code in order if (texts.get(code) or "").strip()]


@dataclass
class TableHarvest:
    """What a table's host recorded besides ideas: summaries by round, photos (oldest first)."""

    summaries: list[tuple[Round, RoundSummary]] = field(default_factory=list)
    photos: list[TablePhoto] = field(default_factory=list)


def harvest(event: Event) -> dict[int, TableHarvest]:
    """Every table's round summaries (not empty, in round order) and photos (without their image
    data), by table id; two queries, scoped to the event."""
    tables = {table.id: TableHarvest() for table in event.tables}
    for summary, round_ in db.session.execute(
            db.select(RoundSummary, Round).join(CafeTable, RoundSummary.table_id == CafeTable.id)
            .join(Round, RoundSummary.round_id == Round.id)
            .where(CafeTable.event_id == event.id, func.length(func.trim(RoundSummary.text)) > 0)
            .order_by(Round.number)):
        tables[summary.table_id].summaries.append((round_, summary))
    for photo in db.session.scalars(
            db.select(TablePhoto).join(CafeTable, TablePhoto.table_id == CafeTable.id)
            .where(CafeTable.event_id == event.id).order_by(TablePhoto.created_at, TablePhoto.id)):
        tables[photo.table_id].photos.append(photo)
    return tables


def participant_count(event: Event) -> int:
    """People who took part, counted as the participation report counts them."""
    return db.session.scalar(db.select(func.count(Participant.id)).where(
        Participant.event_id == event.id, took_part()))


def _sittings(event: Event, ideas: list[RecordIdea], harvested: TableHarvest | None) -> list[Sitting]:
    by_round: dict[int | None, Sitting] = {round_.id: Sitting(round_) for round_ in event.rounds}
    for idea in ideas:
        by_round.setdefault(idea.idea.round_id, Sitting(None)).ideas.append(idea)
    if harvested is not None:
        for round_, summary in harvested.summaries:
            by_round[round_.id].summary = summary.text.strip()
        for photo in harvested.photos:
            by_round.setdefault(photo.round_id, Sitting(None)).photos.append(photo)
    rounds = {round_.id: round_ for round_ in event.rounds}
    ordered = sorted(by_round.items(), key=lambda item: (item[0] is None, rounds[item[0]].number if item[0] is not None else 0))
    # A round that never ran and holds nothing here is left out; a table's planned round is no record.
    return [sitting for _id, sitting in ordered
            if not sitting.empty or (sitting.round is not None and sitting.round.started_at is not None)]


def _mark_sources(event: Event, ideas: list[RecordIdea]) -> None:
    """Each idea's interview and whether an invited expert wrote it, in two queries."""
    interviews = {interview.id: interview for interview in db.session.scalars(
        db.select(Interview).filter_by(event_id=event.id).options(selectinload(Interview.actor)))}
    experts = set(db.session.scalars(
        db.select(Contribution.id).join(Participant, Contribution.participant_id == Participant.id)
        .where(Contribution.event_id == event.id, Participant.actor_id.is_not(None))))
    for entry in ideas:
        entry.interview, entry.expert = interviews.get(entry.idea.interview_id), entry.idea.id in experts


def event_record(event: Event) -> Record:
    """The record of `event`, for the page and the DOCX alike."""
    ideas = [RecordIdea(result.idea, result.dots) for result in voting.results(event)]
    _mark_sources(event, ideas)
    harvested = harvest(event)
    by_table: dict[int | None, list[RecordIdea]] = {}
    for idea in sorted(ideas, key=lambda entry: entry.idea.id):  # in the order they were written
        by_table.setdefault(idea.idea.table_id, []).append(idea)
    tables = [TableRecord(table, _sittings(event, by_table.get(table.id, []), harvested[table.id]))
              for table in event.tables]
    if by_table.get(None):
        tables.append(TableRecord(None, _sittings(event, by_table[None], None)))

    fields = [FieldIdeas(action_field, [i for i in ideas if i.idea.action_field_id == action_field.id])
              for action_field in event.process.action_fields]
    known = {action_field.id for action_field in event.process.action_fields}
    fields.append(FieldIdeas(None, [i for i in ideas if i.idea.action_field_id not in known]))

    languages = Counter(idea.idea.language for idea in ideas)
    figures = Figures(participant_count(event), len(ideas), sum(idea.dots for idea in ideas),
                      sorted(languages.items(), key=lambda item: (-item[1], item[0])))
    dotted = [idea for idea in ideas if idea.dots]
    return Record(event, list(event.rounds), tables, dotted, len(ideas) - len(dotted),
                  [group for group in fields if group.ideas or group.field is not None], figures)
