"""Table hosts: the host link is opened, the paper tablecloth is typed in, ideas edited, rounds summed up.

Everything here is scoped to the one table the host link resolved: ideas, rounds and summaries of
other tables or events are never found, so they can be neither read nor changed.
"""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import CafeTable, Contribution, Event, IdeaRevision, Round, RoundSummary, TablePhoto, User
from app.models.base import utcnow
from app.services.administration import audit
from app.services.cafe import live
from app.services.multilingual import machine_translation
from app.services.errors import Conflict, DomainError, NotFound
from app.services.cafe.events import refuse_if_closed
from app.services.cafe.ideas import MAX_KEY_LENGTH, scoped_key
from app.services.cafe.rounds import current_round
from app.services.sorting.sorting import land_in_event_field

# How often an open host page writes "seen" again: often enough to tell a live host, not on every click.
SEEN_REFRESH = timedelta(minutes=5)
# A tablecloth, typed in at once; more lines than this are a paste gone wrong.
MAX_LINES = 200
SUMMARY_MAX_LENGTH = 2000
# Room for "-<line index>" after a form's key, within the column's 64 characters.
BASE_KEY_LENGTH = MAX_KEY_LENGTH - 4


def table_of_event(event: Event, table_id: int) -> CafeTable:
    """A table of this event, for staff pages; tables of other events are not found."""
    table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, id=table_id))
    if table is None:
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    return table


def mark_seen(table: CafeTable, now: datetime | None = None) -> bool:
    """Note that the host link was opened. Returns True on the first opening.

    The first opening bumps the event's revision, so the console shows the table has a host.
    Later openings only refresh the time, at most every few minutes, and bump nothing.
    """
    now = now or utcnow()
    first = table.host_seen_at is None
    if first:  # the event's row before the table's, as every change locks them (app/services/cafe/live.py)
        live.bump_staff(table.event)
    if first or now - table.host_seen_at >= SEEN_REFRESH:
        table.host_seen_at = now
        db.session.flush()
    return first


def started_rounds(event: Event) -> list[Round]:
    """The rounds of the event that have begun (open or closed), by number."""
    return list(db.session.scalars(
        db.select(Round).where(Round.event_id == event.id, Round.state != "planned").order_by(Round.number)
    ))


def capture_round(event: Event) -> Round | None:
    """The round a host writes into by default: the open one, else the latest that has begun."""
    return current_round(event) or db.session.scalar(
        db.select(Round).where(Round.event_id == event.id, Round.state != "planned")
        .order_by(Round.number.desc()).limit(1)
    )


def started_round(table: CafeTable, *, round_id: int | None = None, number: int | None = None) -> Round:
    """A round of the table's event that has begun, by id or number; any other is not found."""
    query = db.select(Round).where(Round.event_id == table.event_id, Round.state != "planned")
    if round_id is not None:
        query = query.where(Round.id == round_id)
    elif number is not None:
        query = query.where(Round.number == number)
    else:
        raise NotFound(_l("Diese Runde hat noch nicht begonnen."))
    round_ = db.session.scalar(query)
    if round_ is None:
        raise NotFound(_l("Diese Runde hat noch nicht begonnen."))
    return round_


def _check_round(table: CafeTable, round_: Round | None) -> Round:
    if round_ is None or round_.state == "planned":
        raise Conflict(_l("Noch hat keine Runde begonnen. Sobald die erste Runde läuft, können Sie Ideen eintragen."))
    if round_.event_id != table.event_id:
        raise NotFound(_l("Diese Runde hat noch nicht begonnen."))
    return round_


def split_lines(text: str, max_length: int) -> list[str]:
    """The ideas in a typed text: one per non-empty line, trimmed; refused if empty or a line is too long."""
    lines = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > max_length:
            raise DomainError(_l("Zeile %(line)d ist zu lang: höchstens %(max)d Zeichen pro Idee.",
                                 line=number, max=max_length))
        lines.append(line)
    if not lines:
        raise DomainError(_l("Bitte tragen Sie mindestens eine Idee ein."))
    if len(lines) > MAX_LINES:
        raise DomainError(_l("Bitte tragen Sie höchstens %(max)d Ideen auf einmal ein.", max=MAX_LINES))
    return lines


def capture_lines(table: CafeTable, round_: Round | None, text: str, *, key: str | None,
                  language: str | None = None, max_length: int = 500) -> tuple[list[Contribution], int]:
    """Store each non-empty line of `text` as its own idea of this table and round, marked as host-captured.

    Returns (ideas, how many were new); a resent form stores nothing again (`store_lines`).
    """
    refuse_if_closed(table.event)
    round_ = _check_round(table, round_)
    lines = split_lines(text, max_length)
    event = table.event
    base = scoped_key(f"t{table.id}", (key or "").strip()[:BASE_KEY_LENGTH - 12])  # room for "t<id>:"

    def host_idea(line: str, line_key: str | None) -> Contribution:
        idea = Contribution(event=event, round=round_, table=table, participant=None, text=line,
                            language=language or event.default_language, origin="host", idempotency_key=line_key)
        land_in_event_field(idea)  # a workshop's ideas land in its action field
        return idea

    ideas, created = store_lines(event, lines, base=base, make=host_idea, scope=Contribution.table_id == table.id)
    if created:
        live.bump_tables(event, [table.id])
    return ideas, created


def store_lines(event: Event, lines: list[str], *, base: str | None, make, scope) -> tuple[list[Contribution], int]:
    """What every typed-in list of ideas goes through (a tablecloth, an interview's statements): each
    line stored once as the idea `make(line, key)` builds, and sent for translation.

    Line i carries the key "<base>-<i>", so a resent form (a double tap, a retry after a lost
    connection) finds its ideas already stored among the event's ideas where `scope` holds, and
    stores nothing again. Returns (ideas, how many were new).
    """
    keys = [f"{base}-{index}" for index in range(len(lines))] if base else [None] * len(lines)
    stored = _by_keys(event, scope, [k for k in keys if k])
    ideas, created = [], []
    for line, line_key in zip(lines, keys):
        idea = stored.get(line_key) if line_key else None
        if idea is None:
            idea = make(line, line_key)
            created.append(idea)
        ideas.append(idea)
    if not created:
        return ideas, 0
    try:
        with db.session.begin_nested():
            db.session.add_all(created)
    except IntegrityError:
        # Two copies of one submit raced and the other stored these lines; or the key was used elsewhere.
        if not base:
            raise
        stored = _by_keys(event, scope, keys)
        if len(stored) != len(keys):
            raise Conflict(_l("Dieses Formular wurde schon verwendet. Bitte laden Sie die Seite neu und tragen Sie die Ideen noch einmal ein."))
        return [stored[k] for k in keys], 0
    for idea in created:
        machine_translation.request_translation(idea)
    return ideas, len(created)


def _by_keys(event: Event, scope, keys: list[str]) -> dict[str, Contribution]:
    """Ideas of this event, where `scope` holds, already stored under these keys."""
    if not keys:
        return {}
    found = db.session.scalars(
        db.select(Contribution).where(Contribution.event_id == event.id, scope,
                                      Contribution.idempotency_key.in_(keys))
    )
    return {idea.idempotency_key: idea for idea in found}


def table_idea(table: CafeTable, idea_uuid) -> Contribution:
    """A visible idea of this table (any round, any origin); ideas elsewhere are not found."""
    idea = db.session.scalar(
        db.select(Contribution).filter_by(event_id=table.event_id, table_id=table.id, uuid=idea_uuid,
                                          hidden_at=None, merged_into_id=None)
    )
    if idea is None:
        raise NotFound(_l("Diese Idee gibt es an Ihrem Tisch nicht (mehr)."))
    return idea


def edit_idea(table: CafeTable, idea: Contribution, text: str, *, max_length: int = 500) -> Contribution:
    """The host corrects the text of an idea of their table, e.g. a typo or a misread word.

    Also after its round: hosts type the tablecloth in afterwards. Not once the event is closed.
    """
    if idea.table_id != table.id or idea.event_id != table.event_id or not idea.visible:
        raise NotFound(_l("Diese Idee gibt es an Ihrem Tisch nicht (mehr)."))
    refuse_if_closed(table.event)
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Eine Idee darf nicht leer sein."))
    if len(text) > max_length:
        raise DomainError(_l("Ihre Idee ist zu lang: höchstens %(max)d Zeichen.", max=max_length))
    if text != idea.text:
        change_text(idea, text, table=table)
        live.bump_tables(table.event, [table.id])
    return idea


def change_text(idea: Contribution, text: str, *, table: CafeTable | None = None,
                user: User | None = None) -> IdeaRevision:
    """Set an idea's text, keeping the text before, who and when (an IdeaRevision) and an audit entry.

    Every change of an idea's text goes through here: by a table's host (`table`) or by staff
    (`user`, else the logged-in account).
    """
    actor = audit.host_actor(table.number) if table is not None else None
    revision = IdeaRevision(contribution_id=idea.id, text_before=idea.text, changed_at=utcnow(),
                            table_id=table.id if table is not None else None)
    entry = audit.record("idea.edit", text, process_id=idea.event.process_id, event_id=idea.event_id,
                         detail={"idea": str(idea.uuid), "before": idea.text[:300]}, actor=actor, user=user)
    revision.user_id, revision.actor = entry.user_id, entry.actor
    db.session.add(revision)
    idea.text = text
    machine_translation.original_changed(idea)
    db.session.flush()
    return revision


def revisions_of(idea: Contribution) -> list[IdeaRevision]:
    """An idea's earlier texts, newest first."""
    return list(db.session.scalars(
        db.select(IdeaRevision).filter_by(contribution_id=idea.id)
        .order_by(IdeaRevision.changed_at.desc(), IdeaRevision.id.desc())
    ))


def summary_of(table: CafeTable, round_: Round | None) -> RoundSummary | None:
    if round_ is None:
        return None
    return db.session.scalar(db.select(RoundSummary).filter_by(table_id=table.id, round_id=round_.id))


def save_summary(table: CafeTable, round_: Round | None, text: str, *,
                 max_length: int = SUMMARY_MAX_LENGTH) -> RoundSummary:
    """Write the table's summary of a round for the harvest; one per table and round, saved again on change."""
    round_ = _check_round(table, round_)
    text = (text or "").strip()
    if len(text) > max_length:
        raise DomainError(_l("Die Zusammenfassung ist zu lang: höchstens %(max)d Zeichen.", max=max_length))
    summary = summary_of(table, round_)
    if summary is None:
        summary = RoundSummary(table_id=table.id, round_id=round_.id, text=text)
        try:
            with db.session.begin_nested():
                db.session.add(summary)
        except IntegrityError:
            # Saved at the same moment from a second device: update that one instead.
            summary = summary_of(table, round_)
            if summary is None:
                raise
    summary.text = text
    db.session.flush()
    return summary


def photos_of(table: CafeTable) -> list[TablePhoto]:
    """The table's photos, newest first, without their image data."""
    return list(db.session.scalars(
        db.select(TablePhoto).filter_by(table_id=table.id).order_by(TablePhoto.id.desc())
    ))
