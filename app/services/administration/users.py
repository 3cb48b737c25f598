"""Staff accounts and roles."""
import uuid as uuid_mod

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.extensions import db
from app.models import Membership, Process, User
from app.models.user import ROLES
from app.safety import bounded_int
from app.services.errors import DomainError, NotFound

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    """A new staff account; refuses a taken address or a short password."""
    email = normalise_email(email)
    if "@" not in email:
        raise DomainError(_l("Bitte geben Sie eine gültige E-Mail-Adresse an."))
    if find_user(email) is not None:
        raise DomainError(_l("Es gibt bereits ein Konto mit dieser E-Mail-Adresse."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Das Passwort muss mindestens %(n)s Zeichen lang sein.", n=MIN_PASSWORD_LENGTH))
    user = User(email=email, name=name, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_process(reference: str) -> Process:
    """A process by its id or its UUID (as the CLI and templates refer to it)."""
    process = None
    if bounded_int(reference, 1) is not None:
        process = db.session.get(Process, bounded_int(reference, 1))
    else:
        try:
            process = db.session.scalar(db.select(Process).where(Process.uuid == uuid_mod.UUID(reference)))
        except ValueError:
            process = None
    if process is None:
        raise NotFound(_l("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def grant_role(user: User, process: Process, role: str) -> Membership:
    """Give `user` the `role` in `process`; granting a role held already changes nothing."""
    if role not in ROLES:
        raise DomainError(_l("Unbekannte Rolle."))
    membership = db.session.scalar(
        db.select(Membership).filter_by(user_id=user.id, process_id=process.id, role=role)
    )
    if membership is None:
        membership = Membership(user=user, process=process, role=role)
        db.session.add(membership)
        db.session.flush()
    return membership


def revoke_role(user: User, process: Process, role: str) -> None:
    """Take a role away; other roles in the process stay."""
    db.session.execute(
        db.delete(Membership).filter_by(user_id=user.id, process_id=process.id, role=role)
    )
