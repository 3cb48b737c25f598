"""What the console can still take back: the rounds and seats before the last control that ended
or skipped a round (app/services/cafe/undo.py)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime


class RoundUndo(db.Model):
    """One per event at most: a newer control replaces it, and it is worth nothing after
    undo.WINDOW_SECONDS. `state` names the round that was ended (with the time it had left) and
    the round that was started (with the seats it had before)."""

    __tablename__ = "round_undos"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # "close" or "next"
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[dict] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<RoundUndo {self.action} event={self.event_id}>"
