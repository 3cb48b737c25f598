"""What the projector shows, one scene at a time, as the moderator chooses on the console.

Each scene fits a 1280×720 or 1920×1080 screen without scrolling: the wall shows the newest
ideas only, the vote its top ten, the rotation plan a few tables at a time (the projector's
script turns the pages). Choosing a scene moves only the staff revision, so phones fetch nothing.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import CafeTable, Event, Participant, Round, Seat
from app.services.cafe import rounds

SCENE_LABELS = {
    "question": _l("Frage und Zeit"),
    "wall": _l("Ideen-Wand"),
    "vote": _l("Abstimmung"),
    "rotation": _l("Wer sitzt wo"),
    "pause": _l("Pause"),
}
WALL_IDEAS = 8
TABLES_PER_PAGE = 6


@dataclass
class TableGuests:
    table: CafeTable
    guests: list[Participant]


def seating_plan(event: Event) -> tuple[Round | None, list[list[TableGuests]]]:
    """The round whose seats the hall should see, and its tables in pages of TABLES_PER_PAGE.

    The next planned round once the moderator has applied its rotation (seats exist), else the
    round that is open now (its seats were made when it started).
    """
    round_ = rounds.next_planned_round(event)
    if round_ is None or not db.session.scalar(db.select(Seat.id).where(Seat.round_id == round_.id).limit(1)):
        round_ = rounds.current_round(event)
    if round_ is None:
        return None, []
    guests: dict[int, list[Participant]] = {table.id: [] for table in event.tables}
    for participant, table_id in db.session.execute(
            db.select(Participant, Seat.table_id).join(Seat, Seat.participant_id == Participant.id)
            .where(Seat.round_id == round_.id).order_by(Participant.number, Participant.id)):
        guests.setdefault(table_id, []).append(participant)
    tables = [TableGuests(table, guests.get(table.id, [])) for table in event.tables]
    return round_, [tables[i:i + TABLES_PER_PAGE] for i in range(0, len(tables), TABLES_PER_PAGE)]


def participant_count(event: Event) -> int:
    return db.session.scalar(db.select(db.func.count(Participant.id)).where(Participant.event_id == event.id))
