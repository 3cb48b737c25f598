"""The last "accept all suggestions above X %" of a process, so that it can be undone as one step."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime


class AcceptedBatch(db.Model):
    """One per process at most (a newer batch replaces it): which ideas went to which field, and
    at what threshold (app/services/sorting/suggestions.py)."""

    __tablename__ = "accepted_batches"

    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"), primary_key=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    threshold: Mapped[int]  # percent
    ideas: Mapped[list] = mapped_column(JSON)  # [[idea id, field id], …]

    def __repr__(self) -> str:
        return f"<AcceptedBatch process={self.process_id} {len(self.ideas)} ideas>"
