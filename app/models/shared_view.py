"""Answers every phone with the same view shares, made once per change for every worker and machine."""
from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class SharedView(db.Model):
    """A rendered answer under the URL that names its revisions (app/livepoll.py), e.g. a table's
    live fragment in one language. Such a URL never changes its answer, so the row is never
    updated; rows older than a few minutes are pruned (app/services/cafe/shared_views.py)."""

    __tablename__ = "shared_views"
    __table_args__ = (Index("ix_shared_views_made_at", "made_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    made_at: Mapped[int] = mapped_column()  # seconds since the epoch: read and written by raw statements
