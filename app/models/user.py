"""Staff accounts and their roles per process."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import IdentityMixin, TimestampMixin, UTCDateTime, check_in

ROLES = ("organiser", "moderator", "interpreter", "steering")
# A role also grants the roles listed here (an organiser may do all a moderator may).
IMPLIED_ROLES = {
    "organiser": {"organiser", "moderator", "interpreter", "steering"},
    "moderator": {"moderator"},
    "interpreter": {"interpreter"},
    "steering": {"steering"},
}


class User(UserMixin, IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every staff session cookie: logging out bumps it, so copies of the cookie stop.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Wrong passwords in a row and the last one: the next try waits longer each time.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def roles_in(self, process_id: int) -> set[str]:
        """Every role this user holds in a process, implied ones included."""
        granted: set[str] = set()
        for membership in self.memberships:
            if membership.process_id == process_id:
                granted |= IMPLIED_ROLES[membership.role]
        return granted

    def has_role(self, process_id: int, role: str) -> bool:
        return self.is_admin or role in self.roles_in(process_id)

    def __repr__(self) -> str:
        return f"<User {self.email}{' admin' if self.is_admin else ''}>"


class Membership(IdentityMixin, TimestampMixin, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "process_id", "role"),
        CheckConstraint(check_in("role", ROLES), name="role"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    # For interpreters: the languages they translate between and German (stored codes).
    languages: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    user: Mapped[User] = relationship(back_populates="memberships")
    process: Mapped["Process"] = relationship(back_populates="memberships")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} process={self.process_id} {self.role}>"
