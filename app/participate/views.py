"""What a participant's table page shows, gathered once for the page, its fragment and live JSON."""
from dataclasses import dataclass, field


from app.i18n import current_language
from app.models import CafeTable, Contribution, Event, Participant, Round
from app.models.base import localized, utcnow
from app.services import ideas
from app.services.seating import latest_seat, previous_round, seat_of
from app.services.rounds import remaining_seconds, seating_round

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

    @property
    def accepting_ideas(self) -> bool:
        return self.round is not None and self.round.state == "running" and self.table is not None

    @property
    def time_up(self) -> bool:
        return self.round is not None and self.round.state == "running" and self.seconds_left == 0

    def as_live_json(self, event: Event) -> dict:
        return {
            "revision": event.revision,
            "server_time": utcnow().isoformat(),
            "vote_state": event.vote_state,
            "accepting_ideas": self.accepting_ideas,
            "round": None if self.round is None else {
                "id": self.round.id,
                "number": self.round.number,
                "state": self.round.state,
                "ends_at": self.round.ends_at.isoformat() if self.round.ends_at else None,
                "seconds_left": self.seconds_left,
                "time_up": self.time_up,
                "question": self.question,
                "question_language": self.question_language,
            },
            "table": None if self.table is None else {
                "number": self.table.number,
                "name": self.table.name,
                "idea_count": len(self.ideas),
            },
        }


def table_view(event: Event, participant: Participant) -> TableView:
    """The round now (or next), where the participant sits in it, the question and the table's ideas."""
    round_ = seating_round(event)
    view = TableView(round=round_, table=None, round_count=len(event.rounds))
    if round_ is None:
        return view
    locale = current_language()
    view.question, view.question_language = localized(round_.question, locale)
    view.question_is_fallback = view.question_language != locale
    view.seconds_left = remaining_seconds(round_)
    seat = seat_of(participant, round_)
    if seat is not None:
        before = seat_of(participant, previous_round(round_))
        if before is not None and before.table_id != seat.table_id:
            view.moved_from = before.table
    elif round_.state == "planned":
        seat = latest_seat(participant)  # until the round starts, they sit where they sat
    if seat is not None:
        view.table = seat.table
        if round_.state != "planned":
            view.ideas = ideas.at_table(seat.table, round_)
    return view
