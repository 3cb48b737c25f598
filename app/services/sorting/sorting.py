"""Sorting a process's ideas into action fields and named clusters, for the organisers' board.

Ideas of every event of a process are sorted together. Each sorting change marks the process's
stored suggestions as stale (`mark_suggestions_stale`), so they are computed again in the background.
"""
import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import contains_eager, selectinload

from app.extensions import db
from app.models import (ActionField, Cluster, Contribution, Event, Interview, Merge, Process, Round, Suggestion, User,
                        Vote)
from app.models.base import utcnow
from app.services.cafe import merging
from app.services.errors import DomainError, NotFound

MAX_CLUSTER_NAME_LENGTH = 200
# Statuses a sorting sets; an idea further along (goal tree, merged, duplicate) keeps its own.
SORTABLE_STATUSES = ("new", "clustered")
IDEA_GONE = _l("Diese Idee gibt es nicht (mehr).")


def mark_suggestions_stale(process: Process) -> None:
    """Note that the sortings changed, so the stored suggestions must be computed again."""
    process.suggestions_stale_at = utcnow()


# Looking things up, only within the process that access resolved

def _in_process(process: Process):
    return Contribution.event_id.in_(db.select(Event.id).where(Event.process_id == process.id))


def _as_uuids(values) -> list[uuid.UUID]:
    try:
        return [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for value in values]
    except ValueError:
        raise NotFound(IDEA_GONE) from None


def ideas_of_process(process: Process, idea_uuids) -> list[Contribution]:
    """The ideas with these UUIDs (as forms send them) among the ideas of `process`; all or NotFound."""
    wanted = set(_as_uuids(idea_uuids))
    if not wanted:
        return []
    ideas = list(db.session.scalars(
        db.select(Contribution).where(_in_process(process), Contribution.uuid.in_(wanted)).order_by(Contribution.id)
    ))
    if len(ideas) != len(wanted):
        raise NotFound(IDEA_GONE)
    return ideas


def idea_of_process(process: Process, idea_uuid) -> Contribution:
    """One idea of `process`, by its UUID."""
    return ideas_of_process(process, [idea_uuid])[0]


def cluster_of_process(process: Process, cluster_id: int) -> Cluster:
    """A cluster looked up only among the clusters of `process`."""
    cluster = db.session.scalar(db.select(Cluster).filter_by(process_id=process.id, id=cluster_id))
    if cluster is None:
        raise NotFound(_l("Diesen Cluster gibt es nicht (mehr)."))
    return cluster


def merge_of_process(process: Process, merge_uuid) -> Merge:
    """A merge of ideas of `process`, by its UUID."""
    try:
        merge_uuid = merge_uuid if isinstance(merge_uuid, uuid.UUID) else uuid.UUID(str(merge_uuid))
    except ValueError:
        merge_uuid = None
    record = merge_uuid and db.session.scalar(
        db.select(Merge).join(Event, Merge.event_id == Event.id)
        .where(Event.process_id == process.id, Merge.uuid == merge_uuid)
    )
    if record is None:
        raise NotFound(_l("Diese Zusammenführung gibt es nicht."))
    return record


# Moving ideas

def move(ideas: list[Contribution], field: ActionField | None, cluster: Cluster | None = None) -> None:
    """Sort `ideas` into `field` (and `cluster` inside it), or back to unsorted with neither.

    Ideas in a field become "clustered", unsorted ones "new" again; an idea already in the goal
    tree, merged or a duplicate keeps its status.
    """
    if not ideas:
        return
    if cluster is not None:
        if field is not None and cluster.action_field_id != field.id:
            raise DomainError(_l("Dieser Cluster gehört zu einem anderen Handlungsfeld."))
        field = cluster.action_field
    process = field.process if field is not None else ideas[0].event.process
    if any(idea.event.process_id != process.id for idea in ideas):
        raise NotFound(IDEA_GONE)
    for idea in ideas:
        idea.action_field = field
        idea.cluster = cluster
        if idea.status in SORTABLE_STATUSES:
            idea.status = "clustered" if field is not None else "new"
    mark_suggestions_stale(process)
    db.session.flush()


def land_in_field(idea: Contribution, field_id: int | None) -> None:
    """Place a new idea straight in an action field (a workshop's, an interview's), where moving its
    card there would put it: in the field, in no cluster, "clustered". Without a field it stays unsorted."""
    if field_id is not None:
        idea.action_field_id, idea.cluster_id, idea.status = field_id, None, "clustered"


def land_in_event_field(idea: Contribution) -> None:
    """A new idea of an event bound to an action field (Event.action_field_id) lands in that field."""
    land_in_field(idea, idea.event.action_field_id)


# Clusters: named sub-topics inside an action field

def _cluster_name(field: ActionField, name: str, *, keep: Cluster | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Bitte geben Sie einen Namen ein."))
    if len(name) > MAX_CLUSTER_NAME_LENGTH:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=MAX_CLUSTER_NAME_LENGTH))
    # Compared in Python: SQLite's lower() folds only ASCII, and a field has a handful of clusters.
    others = db.session.scalars(db.select(Cluster).where(Cluster.action_field_id == field.id))
    if any(other.name.casefold() == name.casefold() for other in others if other is not keep):
        raise DomainError(_l("In diesem Handlungsfeld gibt es schon einen Cluster mit diesem Namen."))
    return name


def create_cluster(field: ActionField, name: str) -> Cluster:
    """A new, empty cluster at the end of `field`'s clusters."""
    name = _cluster_name(field, name)
    last = db.session.scalar(db.select(func.max(Cluster.position)).filter_by(action_field_id=field.id))
    cluster = Cluster(process_id=field.process_id, action_field=field, name=name,
                      position=(last if last is not None else -1) + 1)
    db.session.add(cluster)
    mark_suggestions_stale(field.process)
    db.session.flush()
    return cluster


def rename_cluster(cluster: Cluster, name: str) -> None:
    """Give a cluster another name (unique within its action field)."""
    cluster.name = _cluster_name(cluster.action_field, name, keep=cluster)
    db.session.flush()


def delete_cluster(cluster: Cluster) -> None:
    """Dissolve a cluster; its ideas stay in the action field, without a cluster."""
    process = cluster.action_field.process
    db.session.execute(db.update(Contribution).where(Contribution.cluster_id == cluster.id).values(cluster_id=None))
    db.session.delete(cluster)
    mark_suggestions_stale(process)
    db.session.flush()


def clusters_of(process: Process) -> list[Cluster]:
    """Every cluster of the process, in their order within each field."""
    return list(db.session.scalars(
        db.select(Cluster).filter_by(process_id=process.id).order_by(Cluster.position, Cluster.id)
    ))


# Merging duplicates from the board (the one merge service does the work)

def merge_ideas(sources: list[Contribution], target: Contribution, *, user: User | None = None) -> list[Merge]:
    """Merge every idea of `sources` into `target` (ideas of any events of the process)."""
    records = merging.merge_many(sources, target, user=user)
    mark_suggestions_stale(target.event.process)
    db.session.flush()
    return records


def undo_merge(record: Merge) -> None:
    """Undo a merge made on the board or elsewhere; the duplicate comes back where it was sorted."""
    merging.undo(record)
    mark_suggestions_stale(record.source.event.process)
    db.session.flush()


def active_merges(process: Process) -> list[Merge]:
    """The merges of the process's ideas still in force, newest first."""
    return list(db.session.scalars(
        db.select(Merge).join(Event, Merge.event_id == Event.id)
        .where(Event.process_id == process.id, Merge.undone_at.is_(None)).order_by(Merge.id.desc())
        .options(selectinload(Merge.source), selectinload(Merge.target))
    ))


# What the board shows

@dataclass(frozen=True)
class BoardFilters:
    """Narrow the board: by event, round number, table number, language, least dots, a search, where
    the ideas came from, and how sure their suggestion is (percent; unsorted ideas only have one)."""

    event_id: int | None = None
    round_number: int | None = None
    table_number: int | None = None
    language: str | None = None
    min_dots: int = 0
    search: str = ""
    origin: str | None = None
    min_confidence: int = 0

    @property
    def active(self) -> bool:
        return self != BoardFilters()


@dataclass
class BoardIdeas:
    ideas: list[Contribution]
    dots: dict[int, int]  # idea id -> dots on it


def board_ideas(process: Process, filters: BoardFilters = BoardFilters()) -> BoardIdeas:
    """The visible ideas of every event of `process` (not hidden, not merged) that pass `filters`.

    Two queries and three batched loads, whatever the number of ideas. The search runs in Python
    on the loaded texts, so that upper and lower case match the same way in every alphabet and on
    every database (SQLite folds only ASCII).
    """
    query = (
        db.select(Contribution).join(Event, Contribution.event_id == Event.id)
        .where(Event.process_id == process.id, Contribution.hidden_at.is_(None),
               Contribution.merged_into_id.is_(None))
        .options(contains_eager(Contribution.event), selectinload(Contribution.translations),
                 selectinload(Contribution.round), selectinload(Contribution.table),
                 # what the card says of its origin (app/labels.py origin_mark)
                 selectinload(Contribution.participant),
                 selectinload(Contribution.interview).selectinload(Interview.actor))
        .order_by(Contribution.id)
    )
    if filters.event_id:
        query = query.where(Contribution.event_id == filters.event_id)
    if filters.round_number:
        query = query.where(Contribution.round.has(Round.number == filters.round_number))
    if filters.table_number:
        query = query.where(Contribution.table.has(number=filters.table_number))
    if filters.language:
        query = query.where(Contribution.language == filters.language)
    if filters.origin:
        query = query.where(Contribution.origin == filters.origin)
    if filters.min_confidence:
        query = query.where(Contribution.id.in_(db.select(Suggestion.contribution_id).where(
            Suggestion.confidence >= filters.min_confidence / 100)))
    ideas = list(db.session.scalars(query))
    dots = dict(db.session.execute(
        db.select(Vote.contribution_id, func.count(Vote.id))
        .join(Contribution, Vote.contribution_id == Contribution.id)
        .where(_in_process(process), Contribution.hidden_at.is_(None), Contribution.merged_into_id.is_(None))
        .group_by(Vote.contribution_id)
    ).all())
    if filters.min_dots:
        ideas = [idea for idea in ideas if dots.get(idea.id, 0) >= filters.min_dots]
    term = " ".join(filters.search.split()).casefold()
    if term:
        ideas = [idea for idea in ideas
                 if term in idea.text.casefold() or any(term in t.text.casefold() for t in idea.translations)]
    return BoardIdeas(ideas, dots)


def idea_languages(process: Process) -> list[str]:
    """The languages the process's visible ideas are written in, for the language filter."""
    return sorted(db.session.scalars(
        db.select(Contribution.language).where(_in_process(process), Contribution.hidden_at.is_(None),
                                               Contribution.merged_into_id.is_(None)).distinct()
    ))
