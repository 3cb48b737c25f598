"""Moderation of ideas: hiding with a reason, and merging duplicates (reversibly).

One merge service for hosts (within their table), moderators (across the event) and the
clustering board. A merge moves the duplicate's dots onto the idea it is merged into without
counting a participant twice: their dots on the merged idea are capped at the event's per-idea
limit, and the dots above it go back to them. Every moved and returned dot is recorded on the
Merge row, so an undo puts each one back where it was.
"""
import uuid
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.extensions import db
from app.models import CafeTable, Contribution, Merge, Participant, User, Vote
from app.models.base import utcnow
from app.services.cafe import live
from app.services.errors import Conflict, DomainError, NotFound

MAX_REASON_LENGTH = 300


def _as_uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def idea_of_event(event, idea_uuid) -> Contribution:
    """An idea looked up only among the ideas of `event` (by its UUID, as forms send it)."""
    idea_uuid = _as_uuid(idea_uuid)
    idea = idea_uuid and db.session.scalar(db.select(Contribution).filter_by(event_id=event.id, uuid=idea_uuid))
    if idea is None:
        raise NotFound(_l("Diese Idee gibt es nicht (mehr)."))
    return idea


def hide(idea: Contribution, reason: str) -> None:
    """Take an idea off phones, walls and votes; it stays in the record with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Bitte geben Sie einen Grund an."))
    live.bump_tables(idea.event, [idea.table_id])
    idea.hidden_at = utcnow()
    idea.hidden_reason = reason[:MAX_REASON_LENGTH]
    db.session.flush()


def unhide(idea: Contribution) -> None:
    """Show a hidden idea again."""
    live.bump_tables(idea.event, [idea.table_id])
    idea.hidden_at = None
    idea.hidden_reason = ""
    idea.awaiting_release = False  # a pre-moderated online idea: released
    db.session.flush()


def merge(source: Contribution, target: Contribution, *, user: User | None = None,
          table: CafeTable | None = None) -> Merge:
    """Merge the duplicate `source` into `target`.

    Both ideas belong to one process; with `table` (a host), both must be of that table. Dots on `source` move to `target`,
    each participant keeping at most the event's per-idea limit there; the rest go back to them.
    """
    event = target.event
    # Duplicates may come from different events of one process (a forum and a workshop).
    if source.event.process_id != event.process_id:
        raise NotFound(_l("Diese Idee gibt es nicht (mehr)."))
    if table is not None and (source.table_id != table.id or target.table_id != table.id):
        raise NotFound(_l("Diese Idee gibt es nicht (mehr)."))
    _bump_tables_of(source, target)  # first the event's row: serialise with other merges and dots
    db.session.refresh(source)
    db.session.refresh(target)
    if source.id == target.id:
        raise DomainError(_l("Eine Idee lässt sich nicht mit sich selbst zusammenführen."))
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise Conflict(_l("Diese Idee ist schon mit einer anderen zusammengeführt."))

    held = dict(db.session.execute(
        db.select(Vote.participant_id, func.count(Vote.id)).where(Vote.contribution_id == target.id)
        .group_by(Vote.participant_id)
    ).all())
    moved, returned = [], []
    by_participant = defaultdict(list)
    for vote in db.session.scalars(db.select(Vote).filter_by(contribution_id=source.id).order_by(Vote.id)):
        by_participant[vote.participant_id].append(vote)
    for participant_id, votes in by_participant.items():
        room = max(0, event.vote_max_per_idea - held.get(participant_id, 0))
        for vote in votes[:room]:
            vote.original_contribution_id = vote.original_contribution_id or source.id
            vote.contribution_id = target.id
            moved.append(vote.id)
        for vote in votes[room:]:
            returned.append({"participant_id": participant_id})
            db.session.delete(vote)

    record = Merge(event_id=event.id, source_id=source.id, target_id=target.id,
                   source_status=source.status, moved_votes=moved, returned_votes=returned,
                   user_id=user.id if user else None, table_id=table.id if table else None)
    source.status = "merged"
    source.merged_into_id = target.id
    db.session.add(record)
    db.session.flush()
    return record


def _bump_tables_of(source: Contribution, target: Contribution) -> None:
    """Phones at the tables of both ideas see the change (they may be of two events of the process)."""
    live.bump_tables(target.event, [source.table_id, target.table_id])
    if source.event_id != target.event_id:
        live.bump_tables(source.event, [source.table_id])


def merge_many(sources: list[Contribution], target: Contribution, *, user: User | None = None,
               table: CafeTable | None = None) -> list[Merge]:
    """Merge every idea of `sources` (the target itself left out) into `target`, as one choice."""
    sources = [source for source in sources if source.id != target.id]
    if not sources:
        raise DomainError(_l("Bitte wählen Sie die Ideen aus und die eine, die bleiben soll."))
    return [merge(source, target, user=user, table=table) for source in sources]


def selected_ideas(event, target_uuid, source_uuids) -> tuple[Contribution, list[Contribution]]:
    """The idea to keep and the ticked ones, as a merge form names them, looked up in `event`."""
    if not target_uuid or not [value for value in source_uuids if value != target_uuid]:
        raise DomainError(_l("Bitte wählen Sie die Ideen aus und die eine, die bleiben soll."))
    return idea_of_event(event, target_uuid), [idea_of_event(event, value) for value in source_uuids]


def undo(record: Merge) -> None:
    """Undo a merge: the duplicate comes back with every dot where it was before."""
    event = record.source.event
    _bump_tables_of(record.source, record.target)
    db.session.refresh(record)
    if record.undone_at is not None:
        raise Conflict(_l("Diese Zusammenführung wurde schon rückgängig gemacht."))
    source = record.source
    if source.merged_into_id != record.target_id:
        raise Conflict(_l("Diese Zusammenführung lässt sich nicht mehr rückgängig machen."))
    if record.target.merged_into_id is not None:
        # The dots may have moved on with the target; undo the later merge first.
        raise Conflict(_l("Die Idee wurde danach weiter zusammengeführt. Machen Sie zuerst diese Zusammenführung rückgängig."))
    if record.moved_votes:
        db.session.execute(
            db.update(Vote).where(Vote.id.in_(record.moved_votes)).values(contribution_id=source.id)
        )
    for returned in record.returned_votes:
        # The dot went back to the participant; it returns to the idea unless they spent it since.
        participant = db.session.get(Participant, returned["participant_id"])
        if participant is not None and _dots_given(participant) < event.vote_dots:
            db.session.add(Vote(participant_id=participant.id, contribution_id=source.id))
    source.status = record.source_status
    source.merged_into_id = None
    record.undone_at = utcnow()
    db.session.flush()


def _dots_given(participant: Participant) -> int:
    return db.session.scalar(db.select(func.count(Vote.id)).where(Vote.participant_id == participant.id))


def merge_of_event(event, merge_uuid) -> Merge:
    merge_uuid = _as_uuid(merge_uuid)
    record = merge_uuid and db.session.scalar(db.select(Merge).filter_by(event_id=event.id, uuid=merge_uuid))
    if record is None:
        raise NotFound(_l("Diese Zusammenführung gibt es nicht."))
    return record


def merged_sources(idea: Contribution) -> list[Contribution]:
    """The duplicates merged into `idea` (directly), whose authors and sources stay linked to it."""
    return list(db.session.scalars(db.select(Contribution).filter_by(merged_into_id=idea.id)))


def merges_at_table(table: CafeTable) -> list[Merge]:
    """The merges a host made at this table that are still in force, newest first."""
    return list(db.session.scalars(
        db.select(Merge).filter_by(table_id=table.id, undone_at=None).order_by(Merge.id.desc())
    ))
