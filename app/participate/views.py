"""What a participant's table page shows, gathered once for the page, its fragment and live JSON.

What a phone shows splits in two: the view every phone at one table shares (the round, the
question in one language, the table's ideas), and a small personal part (which of those ideas are
its own, whether it was just moved here). The shared part is made once per change of its
revisions and kept per worker (app/livepoll.py); the personal part is a few ids.
"""
from dataclasses import dataclass, field
from datetime import datetime

from app.extensions import db
from app.i18n import current_language
from app.models import CafeTable, Contribution, Event, Participant, Round
from app.models.base import localized
from app.services.cafe import ideas, live
from app.services.cafe.events import is_closed
from app.services.cafe.rounds import remaining_seconds


@dataclass
class TableView:
    round: Round | None
    table: CafeTable | None
    question: str = ""
    question_language: str = "de"
    question_is_fallback: bool = False
    seconds_left: int | None = None
    ideas: list[Contribution] = field(default_factory=list)
    round_count: int = 0
    # The table of the previous round when this round seats them elsewhere: "please go to table N".
    moved_from: CafeTable | None = None
    closed: bool = False  # the event is closed: phones only read

    @property
    def accepting_ideas(self) -> bool:
        return (not self.closed and self.round is not None and self.round.state == "running"
                and self.table is not None)

    @property
    def time_up(self) -> bool:
        return self.round is not None and self.round.state == "running" and self.seconds_left == 0


@dataclass(frozen=True)
class Timer:
    """A round's clock as plain values, so a kept state can count down without the row."""

    state: str
    ends_at: datetime | None
    remaining_seconds: int | None


@dataclass(frozen=True)
class RoundState:
    """The part of the live JSON every phone of the event shares in one language, and the clock."""

    vote_state: str
    round: dict | None
    timer: Timer | None
    closed: bool = False

    def as_json(self, table: dict | None) -> dict:
        """The live JSON at `table` (a `table_state`, None: not seated), with the seconds left now."""
        round_ = self.round
        if round_ is not None and self.timer is not None:
            seconds_left = remaining_seconds(self.timer)  # the only part that moves without a revision
            round_ = {**round_, "seconds_left": seconds_left,
                      "time_up": self.timer.state == "running" and seconds_left == 0}
        return {"vote_state": self.vote_state, "round": round_, "table": table,
                "accepting_ideas": (not self.closed and round_ is not None and round_["state"] == "running"
                                    and table is not None)}


def place_of(event: Event, participant: Participant) -> tuple[Round | None, CafeTable | None, CafeTable | None]:
    """The round now (or next), the participant's table in it, and the table they left for it.

    Read as the live poll reads it (app/services/cafe/live.py), so page and poll never disagree.
    """
    read = live.session_reader()
    place = live.place_now(read, live.rounds_now(read, event.id), participant.id)
    return tuple(db.session.get(model, row_id) if row_id is not None else None
                 for model, row_id in ((Round, place.round_id), (CafeTable, place.table_id),
                                       (CafeTable, place.moved_from_id)))


def shared_view(event: Event, round_: Round | None, table: CafeTable | None, with_ideas: bool = True) -> TableView:
    """What every phone at `table` (None: not seated yet) sees in `round_`, in the page's language.

    Without `with_ideas` the ideas are left out (for the live JSON, which counts them).
    """
    view = TableView(round=round_, table=None, round_count=len(event.rounds), closed=is_closed(event))
    if round_ is None:
        return view
    locale = current_language()
    view.question, view.question_language = localized(round_.question, locale)
    view.question_is_fallback = view.question_language != locale
    view.seconds_left = remaining_seconds(round_)
    view.table = table
    if table is not None and round_.state != "planned" and with_ideas:
        view.ideas = ideas.at_table(table, round_)
    return view


def table_view(event: Event, participant: Participant) -> TableView:
    """The round now (or next), where the participant sits in it, the question and the table's ideas."""
    round_, table, moved_from = place_of(event, participant)
    view = shared_view(event, round_, table)
    view.moved_from = moved_from if view.table is not None else None
    return view


def round_state_now(event_id: int, round_id: int | None, language: str) -> RoundState:
    """What every phone of the event shares in `language`: the vote, the round, its question."""
    event = db.session.get(Event, event_id)
    round_ = db.session.get(Round, round_id) if round_id else None
    if round_ is None:
        return RoundState(event.vote_state, None, None, is_closed(event))
    question, question_language = localized(round_.question, language)
    return RoundState(event.vote_state, {
        "id": round_.id,
        "number": round_.number,
        "state": round_.state,
        "ends_at": round_.ends_at.isoformat() if round_.ends_at else None,
        "question": question,
        "question_language": question_language,
    }, Timer(round_.state, round_.ends_at, round_.remaining_seconds), is_closed(event))
