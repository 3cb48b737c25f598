"""Languages at the tables: the host's, and those of the interpreters seated there for a round.

The organiser gives each table its host's name and languages, and puts the interpreters of the
process (memberships with the role "interpreter" and their languages) at a table per round. What
a table covers in a round is both together; the rotation keeps people who need interpretation at
such tables, and phones offering tables to choose from say what is spoken at each.
"""
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.languages import BY_CODE
from app.models import CafeTable, Event, InterpreterAssignment, Membership, Participant, Round
from app.services.errors import DomainError, NotFound

HOST_NAME_MAX = 120
GERMAN = "de"  # spoken at every table: never a need, never worth a mention


def set_host(table: CafeTable, name: str, languages) -> None:
    """The table's host (a name, possibly empty) and the languages they speak besides German."""
    unknown = [code for code in languages if code not in BY_CODE]
    if unknown:
        raise DomainError(_l("Diese Sprache kennt die App nicht: %(code)s", code=unknown[0]))
    table.host_name = " ".join((name or "").split())[:HOST_NAME_MAX]
    table.host_languages = [code for code in BY_CODE if code in set(languages) and code != GERMAN]
    db.session.flush()


def interpreters_of(event: Event) -> list[Membership]:
    """The interpreters of the event's process, in the order they got the role."""
    return list(db.session.scalars(
        db.select(Membership).filter_by(process_id=event.process_id, role="interpreter").order_by(Membership.id)))


def assignments_of(event: Event) -> dict[tuple[int, int], int]:
    """(membership id, round id) -> table id, for every interpreter at a table of the event."""
    rows = db.session.execute(
        db.select(InterpreterAssignment.membership_id, InterpreterAssignment.round_id, InterpreterAssignment.table_id)
        .join(Round, Round.id == InterpreterAssignment.round_id).where(Round.event_id == event.id))
    return {(membership, round_id): table for membership, round_id, table in rows}


def assign_interpreter(event: Event, membership_id: int | None, tables_by_round: dict[int, int | None]) -> Membership:
    """Put one interpreter of the event's process at a table (or none) in each round named.

    `tables_by_round` maps round ids to table ids, None for no table; rounds not named keep what
    they have. An interpreter of another process, or a round or table of another event, is refused
    before anything changes.
    """
    membership = db.session.scalar(db.select(Membership).filter_by(
        id=membership_id, process_id=event.process_id, role="interpreter")) if membership_id else None
    if membership is None:
        raise NotFound(_l("Diese Person ist in diesem Prozess nicht für die Sprachmittlung eingetragen."))
    if not {round_.id for round_ in event.rounds}.issuperset(tables_by_round):
        raise NotFound(_l("Diese Runde gibt es bei dieser Veranstaltung nicht."))
    tables = {table.id for table in event.tables}
    if any(table is not None and table not in tables for table in tables_by_round.values()):
        raise NotFound(_l("Diesen Tisch gibt es bei dieser Veranstaltung nicht."))
    existing = {row.round_id: row for row in db.session.scalars(db.select(InterpreterAssignment).where(
        InterpreterAssignment.membership_id == membership.id,
        InterpreterAssignment.round_id.in_(list(tables_by_round))))}
    for round_id, table_id in tables_by_round.items():
        row = existing.get(round_id)
        if table_id is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(InterpreterAssignment(membership_id=membership.id, round_id=round_id, table_id=table_id))
        else:
            row.table_id = table_id
    db.session.flush()
    return membership


def covered_languages(event: Event, round_: Round) -> dict[int, set[str]]:
    """Table id -> the languages spoken there in `round_`: its host's and its interpreters'."""
    if round_.event_id != event.id:
        raise NotFound(_l("Diese Runde gibt es bei dieser Veranstaltung nicht."))
    covered = {table.id: set(table.host_languages or ()) for table in event.tables}
    rows = db.session.execute(
        db.select(InterpreterAssignment.table_id, Membership.languages)
        .join(Membership, Membership.id == InterpreterAssignment.membership_id)
        .where(InterpreterAssignment.round_id == round_.id, Membership.process_id == event.process_id,
               Membership.role == "interpreter"))
    for table_id, languages in rows:
        if table_id in covered:
            covered[table_id].update(languages or ())
    return covered


def spoken_besides_german(event: Event, round_: Round | None) -> dict[int, list[str]]:
    """Table id -> the languages besides German spoken there in `round_` (the host's only without a
    round), in the app's order of languages; tables with none are left out."""
    if round_ is None:
        covered = {table.id: set(table.host_languages or ()) for table in event.tables}
    else:
        covered = covered_languages(event, round_)
    spoken = {table_id: besides_german(languages) for table_id, languages in covered.items()}
    return {table_id: languages for table_id, languages in spoken.items() if languages}


def besides_german(languages) -> list[str]:
    """`languages` without German, in the app's order of languages (unknown codes last)."""
    languages = set(languages)
    return [code for code in BY_CODE if code in languages and code != GERMAN] + sorted(languages - set(BY_CODE))


def interpretation_needs(event: Event, participant_ids) -> dict[int, str]:
    """Participant id -> the language they need interpreted, for those of `participant_ids` who gave
    one with consent and have not cancelled their registration."""
    ids = list(participant_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Participant.id, Participant.interpretation_language)
        .where(Participant.event_id == event.id, Participant.id.in_(ids),
               Participant.needs_consented_at.is_not(None), Participant.interpretation_language.is_not(None),
               db.or_(Participant.registration_state.is_(None), Participant.registration_state != "cancelled")))
    return {person: language for person, language in rows if language and language != GERMAN}
