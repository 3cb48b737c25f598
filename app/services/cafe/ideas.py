"""Ideas from phones: submitted once, listed per table, deleted by their author, traced later."""
import uuid
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import limits
from app.extensions import db
from app.models import ActionField, CafeTable, Contribution, GoalNode, GoalNodeIdea, IdeaRevision, Participant, Round
from app.services.administration import audit
from app.models.base import utcnow
from app.services.cafe import live, registration, shared_views
from app.services.multilingual import machine_translation
from app.services.reports import progress
from app.services.sorting.sorting import land_in_event_field
from app.services.errors import Conflict, DomainError, Forbidden, NotFound
from app.services.cafe.events import refuse_if_closed
from app.services.cafe.seating import seat_of
from app.services.cafe.rounds import current_round

MAX_KEY_LENGTH = 64


def new_key() -> str:
    """An idempotency key for one idea form; a resend of that form carries it again."""
    return uuid.uuid4().hex


def scoped_key(author: str, key: str | None) -> str | None:
    """The key as stored: `author` (`p<participant id>` or `t<table id>`) and the form's key, so one
    author's key never finds another's idea (keys are unique per event in the schema)."""
    key = (key or "").strip()
    return f"{author}:{key}"[:MAX_KEY_LENGTH] if key else None


def form_key(stored: str | None) -> str | None:
    """The key a form sent, from the key as stored."""
    return stored.split(":", 1)[-1] if stored else stored


def submit(participant: Participant, text: str, *, key: str | None, round_id: int | None = None,
           language: str | None = None, max_length: int = 500) -> tuple[Contribution, bool]:
    """Store an idea at the participant's table in the round it was typed in.

    Returns (idea, created). The round is the one the form was shown for when that round has
    started (an idea typed offline before a round closed still lands in it); otherwise the running
    round. A closed event takes no more ideas.
    """
    refuse_if_closed(participant.event)

    def at_table(checked: str, scoped: str | None) -> Contribution:
        round_ = _round_for(participant, round_id)
        seat = seat_of(participant, round_)
        if seat is None:
            raise Conflict(_l("Bitte wählen Sie zuerst Ihren Tisch."))
        return Contribution(event=participant.event, round=round_, table_id=seat.table_id, participant=participant,
                            text=checked, language=language or participant.writing_language,
                            origin="participant", idempotency_key=scoped)

    idea, created = store_once(participant, text, key=key, max_length=max_length, make=at_table)
    if created:
        live.bump_tables(participant.event, [idea.table_id])
    return idea, created


def store_once(participant: Participant, text: str, *, key: str | None, max_length: int,
               make) -> tuple[Contribution, bool]:
    """What every idea from a phone goes through, at a table or online: the text checked, a resend
    found by its idempotency key (so a double tap or a resend after a lost connection stores it
    once), the per-person limit, then the idea `make(text, scoped key)` builds stored (in the event's
    action field where the event is bound to one) and sent for translation. Returns (idea, created)."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Bitte schreiben Sie zuerst Ihre Idee."))
    if len(text) > max_length:
        raise DomainError(_l("Ihre Idee ist zu lang: höchstens %(max)d Zeichen.", max=max_length))
    key = scoped_key(f"p{participant.id}", key)
    event_id = participant.event_id
    # Serialise this participant's ideas: the first write takes the participant's row lock on
    # PostgreSQL and the write lock on SQLite, so parallel sends count each other for the limit.
    db.session.execute(update(Participant).where(Participant.id == participant.id).values(last_seen_at=utcnow())
                       .execution_options(synchronize_session=False))
    if key:
        existing = _by_key(event_id, key)
        if existing is not None:
            return existing, False  # a resend of a stored idea never counts against the limit
    limits.check_ideas(participant)  # 429 beyond the ideas a minute one person may send
    idea = make(text, key)
    land_in_event_field(idea)  # a workshop's ideas land in its action field
    try:
        with db.session.begin_nested():
            db.session.add(idea)
    except IntegrityError:
        # Two copies of one request raced; the other stored it.
        existing = _by_key(event_id, key) if key else None
        if existing is None:
            raise
        return existing, False
    machine_translation.request_translation(idea)
    return idea, True


def _by_key(event_id: int, key: str) -> Contribution | None:
    return db.session.scalar(db.select(Contribution).filter_by(event_id=event_id, idempotency_key=key))


def _round_for(participant: Participant, round_id: int | None) -> Round:
    if round_id:
        typed_in = db.session.get(Round, round_id)
        if typed_in is not None and typed_in.event_id == participant.event_id and typed_in.state != "planned":
            return typed_in
    running = current_round(participant.event)
    if running is None or running.state != "running":
        raise Conflict(_l("Gerade läuft keine Runde. Sobald die Moderation die nächste Runde startet, können Sie wieder Ideen eintragen."))
    return running


def at_table(table: CafeTable, round_: Round) -> list[Contribution]:
    """The ideas of one table in one round, oldest first, with their translations loaded."""
    return list(db.session.scalars(
        db.select(Contribution).filter_by(event_id=table.event_id, table_id=table.id, round_id=round_.id,
                                          hidden_at=None, merged_into_id=None)
        .options(selectinload(Contribution.translations), joinedload(Contribution.participant))
        .order_by(Contribution.id)
    ))


def count_at_table(table: CafeTable, round_: Round) -> int:
    """How many ideas `at_table` lists, without loading them."""
    return db.session.scalar(
        db.select(db.func.count(Contribution.id)).filter_by(event_id=table.event_id, table_id=table.id,
                                                            round_id=round_.id, hidden_at=None, merged_into_id=None))


def own_idea(participant: Participant, idea_uuid) -> Contribution:
    """An idea of this participant, looked up only among their own."""
    idea = db.session.scalar(
        db.select(Contribution).filter_by(participant_id=participant.id, uuid=idea_uuid)
    )
    if idea is None:
        raise NotFound(_l("Diese Idee gibt es nicht (mehr)."))
    return idea


def has_written(participant: Participant) -> bool:
    """Whether the participant has an idea in the event (the table page then offers the return link)."""
    return db.session.scalar(db.select(Contribution.id).where(Contribution.participant_id == participant.id)
                             .limit(1)) is not None


def delete_own(participant: Participant, idea: Contribution) -> None:
    """The author takes an idea back, while its round is still open."""
    if idea.participant_id != participant.id:
        raise Forbidden(_l("Sie können nur Ihre eigenen Ideen löschen."))
    refuse_if_closed(participant.event)
    if idea.round is not None and idea.round.state == "closed":
        raise Conflict(_l("Die Runde ist vorbei; diese Idee gehört jetzt zum Ergebnis und kann nicht mehr gelöscht werden."))
    table_id = idea.table_id
    _forget_in_audit_log(idea.event_id, [idea])
    db.session.delete(idea)
    db.session.flush()
    live.bump_tables(participant.event, [table_id])


def delete_by_staff(idea: Contribution) -> None:
    """Staff remove an idea for good (an interview's mistyped statement); its texts leave the audit log too."""
    event, table_id = idea.event, idea.table_id
    _forget_in_audit_log(idea.event_id, [idea])
    db.session.delete(idea)
    db.session.flush()
    if table_id is not None:
        live.bump_tables(event, [table_id])
    else:
        live.bump_staff(event)


def _forget_in_audit_log(event_id: int, ideas: list[Contribution]) -> None:
    """A deleted idea's text must not live on in the audit log (its subject, an edit's text before)."""
    if not ideas:
        return
    earlier = {}
    for contribution_id, text in db.session.execute(db.select(IdeaRevision.contribution_id, IdeaRevision.text_before)
                                                    .where(IdeaRevision.contribution_id.in_([i.id for i in ideas]))):
        earlier.setdefault(contribution_id, []).append(text)
    audit.forget_ideas(event_id, [(str(idea.uuid), [idea.text, *earlier.get(idea.id, [])]) for idea in ideas])


@dataclass
class Trace:
    """One idea as its author sees it on the return link: where it was given, and what became of it."""

    idea: Contribution
    table: CafeTable | None
    round: Round | None
    action_field: ActionField | None = None
    nodes: list[tuple[GoalNode, float]] = field(default_factory=list)  # goal-tree nodes it fed, with progress


def _lives_on_in(idea: Contribution) -> Contribution:
    """A merged duplicate lives on in the idea it was merged into (following a chain of merges)."""
    for _ in range(50):
        if idea.merged_into is None:
            break
        idea = idea.merged_into
    return idea


def trace(participant: Participant) -> list[Trace]:
    """Every idea the participant gave, newest first: table, round, action field, goal-tree nodes."""
    ideas = list(db.session.scalars(
        db.select(Contribution).filter_by(participant_id=participant.id)
        .options(selectinload(Contribution.table), selectinload(Contribution.round),
                 selectinload(Contribution.translations), selectinload(Contribution.action_field))
        .order_by(Contribution.id.desc())
    ))
    final = {idea.id: _lives_on_in(idea) for idea in ideas}
    links = db.session.scalars(
        db.select(GoalNodeIdea).where(GoalNodeIdea.contribution_id.in_({i.id for i in final.values()}))
        .options(selectinload(GoalNodeIdea.node))
    ).all() if ideas else []
    nodes_of = {}
    for link in links:
        nodes_of.setdefault(link.contribution_id, []).append(link.node)
    done = progress.tree_progress(participant.event.process) if links else {}
    return [
        Trace(idea, idea.table, idea.round, final[idea.id].action_field,
              [(node, done.get(node.id, 0.0)) for node in nodes_of.get(final[idea.id].id, [])])
        for idea in ideas
    ]


def delete_participation(participant: Participant, *, keep_ideas: bool) -> int:
    """Remove a participant. Their ideas stay without an author, or go with them. Returns how many went."""
    event = participant.event
    had_place = participant.registration_state == "registered"
    removed = 0
    if not keep_ideas:
        _forget_in_audit_log(event.id, db.session.scalars(
            db.select(Contribution).where(Contribution.participant_id == participant.id)).all())
        removed = db.session.execute(
            db.delete(Contribution).where(Contribution.participant_id == participant.id)
        ).rowcount
    else:
        db.session.execute(
            db.update(Contribution).where(Contribution.participant_id == participant.id)
            .values(participant_id=None)
        )
    db.session.delete(participant)
    db.session.flush()
    if had_place:  # the place goes to the first on the waiting list
        registration.move_up(event)
    live.bump(event)
    shared_views.forget(event.code)  # the shared fragments that showed their nickname or ideas
    return removed
