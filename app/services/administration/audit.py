"""The audit log: what staff did in a process, who and when, kept AUDIT_RETENTION_DAYS.

An idea's revisions (its earlier texts) stay as its history; past AUDIT_RETENTION_DAYS they lose
who made the change (`forget_revision_actors`).

Call `record` from a route (or a CLI command) right after the service call it describes and
before the commit: the entry joins the current transaction, so a change that is rolled back
leaves no entry, and an entry never commits on its own.

    record(action, subject="", *, process_id, event_id=None, detail=None, actor=None, user=None)

- `action`: one of ACTIONS below (a short code such as "round.start"; up to 40 characters).
- `subject`: the object as it was named then (an event's title, an idea's text, a node's
  title, an e-mail), so the entry still reads right after the object is gone.
- `process_id` (required) scopes the entry to the organisers of that process; `event_id` where
  the action belongs to one event.
- `detail`: a small JSON-able dict (round number, export format, how many rows a purge removed).
- Who: the logged-in staff user by default (flask_login's `current_user`); `actor` names
  someone without an account instead, e.g. `host_actor(table.number)` for a table's host link,
  or "cli" for a command. `user` passes an account explicitly (the CLI has no current user).

This signature is stable: other parts (the privacy purge) call it.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db
from app.models import AuditEntry, IdeaRevision, User
from app.models.base import utcnow
# A table's host (no account) is named as for the translations it makes: "host:<table number>".
from app.services.multilingual.translations import host_of as host_actor, host_table  # noqa: F401

CLI_ACTOR = "cli"
PAGE_SIZE = 50
SUBJECT_MAX = 300

ACTIONS = {
    "event.close": _l("Veranstaltung abgeschlossen"),
    "event.reopen": _l("Veranstaltung wieder geöffnet"),
    "link.host_replaced": _l("Gastgeber-Link ersetzt"),
    "link.projector_replaced": _l("Beamer-Link ersetzt"),
    "round.start": _l("Runde gestartet"),
    "round.pause": _l("Runde pausiert"),
    "round.resume": _l("Runde fortgesetzt"),
    "round.extend": _l("Runde verlängert"),
    "round.close": _l("Runde beendet"),
    "round.delete": _l("Runde entfernt"),
    "table.delete": _l("Tisch entfernt"),
    "vote.open": _l("Abstimmung geöffnet"),
    "vote.close": _l("Abstimmung beendet"),
    "idea.hide": _l("Idee ausgeblendet"),
    "idea.unhide": _l("Idee wieder sichtbar"),
    "idea.merge": _l("Ideen zusammengeführt"),
    "idea.unmerge": _l("Zusammenführung rückgängig"),
    "idea.edit": _l("Idee geändert"),
    "idea.delete": _l("Idee gelöscht"),
    "goaltree.start": _l("Zielbaum angelegt"),
    "goaltree.add": _l("Zielbaum: Knoten angelegt"),
    "goaltree.edit": _l("Zielbaum: Knoten geändert"),
    "goaltree.move": _l("Zielbaum: Knoten verschoben"),
    "goaltree.delete": _l("Zielbaum: Knoten gelöscht"),
    "goaltree.unlink": _l("Zielbaum: Idee gelöst"),
    "goaltree.from_board": _l("Zielbaum: Knoten aus Ideen"),
    "goaltree.snapshot": _l("Zielbaum: Stand festgehalten"),
    "indicator.delete": _l("Indikator gelöscht"),
    "indicator.value_delete": _l("Messwert gelöscht"),
    "indicator.import": _l("Messwerte importiert"),
    "action_field.delete": _l("Handlungsfeld gelöscht"),
    "cluster.delete": _l("Ideengruppe gelöscht"),
    "export.download": _l("Export heruntergeladen"),
    "export.open_data": _l("Offene Daten heruntergeladen"),
    "process.export_template": _l("Prozess als Vorlage exportiert"),
    "process.import_template": _l("Prozess aus einer Vorlage angelegt"),
    "role.grant": _l("Rolle zugewiesen"),
    "role.revoke": _l("Rolle entzogen"),
    "privacy.purge": _l("Personenbezogene Daten gelöscht"),
    "registration.settings": _l("Anmeldung eingestellt"),
    "registration.add": _l("Person angemeldet"),
    "registration.check_in": _l("Person eingecheckt"),
    "registration.cancel": _l("Anmeldung abgesagt"),
    "registration.export": _l("Liste für das Veranstaltungsteam heruntergeladen"),
    "actor.add": _l("Akteur ins Register aufgenommen"),
    "actor.edit": _l("Akteur im Register geändert"),
    "actor.delete": _l("Akteur aus dem Register gelöscht"),
    "link.actor_created": _l("Persönlicher Link eines Akteurs erstellt"),
    "link.actor_replaced": _l("Persönlicher Link eines Akteurs ersetzt"),
    "link.actor_revoked": _l("Persönlicher Link eines Akteurs gesperrt"),
    "comment.add": _l("Rückmeldung geschrieben"),
    "comment.answer": _l("Rückmeldung beantwortet"),
    "comment.resolve": _l("Rückmeldung erledigt"),
    "comment.reopen": _l("Rückmeldung wieder geöffnet"),
    "decision.add": _l("Beschluss eingetragen"),
    "decision.delete": _l("Beschluss gelöscht"),
}


# The parts of the log a filter can narrow to: an action's code up to its dot.
KINDS = {
    "event": _l("Veranstaltung"),
    "link": _l("Links"),
    "round": _l("Runden"),
    "table": _l("Tische"),
    "vote": _l("Abstimmung"),
    "idea": _l("Ideen"),
    "goaltree": _l("Zielbaum"),
    "indicator": _l("Indikatoren"),
    "action_field": _l("Handlungsfelder"),
    "cluster": _l("Ideengruppen"),
    "export": _l("Exporte"),
    "role": _l("Rollen"),
    "privacy": _l("Datenschutz"),
    "registration": _l("Anmeldung"),
    "actor": _l("Akteursregister"),
    "comment": _l("Rückmeldungen"),
    "decision": _l("Beschlüsse"),
}


# What an entry's detail names, for the page; other keys are shown as they are.
DETAIL_LABELS = {
    "round": _l("Runde"),
    "table": _l("Tisch"),
    "minutes": _l("Minuten"),
    "format": _l("Format"),
    "language": _l("Sprache"),
    "role": _l("Rolle"),
    "count": _l("Anzahl"),
    "reason": _l("Grund"),
    "dots": _l("Punkte"),
    "snapshot": _l("Stand"),
    "date": _l("Datum"),
}


def detail_label(key: str):
    return DETAIL_LABELS.get(key, key)


def actor_label(actor: str):
    """Who, for a page: a host's table in the page's language, the command line, else the e-mail."""
    table = host_table(actor)
    if table is not None:
        return _l("Gastgeber·in von Tisch %(number)d", number=table)
    if actor == CLI_ACTOR:
        return _l("Kommandozeile")
    return actor or "—"  # blanked after the retention (an idea's old revision)


def text_of(value) -> str:
    """A subject from a text or a text per language ({"de": ..., "en": ...}): the first one given."""
    if isinstance(value, dict):
        return next((str(text) for text in value.values() if text), "")
    return str(value or "")


def action_label(action: str):
    return ACTIONS.get(action, action)


def _who(actor: str | None, user: User | None) -> tuple[int | None, str]:
    if user is None and actor is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    if user is not None:
        return user.id, actor or user.email
    return None, actor or CLI_ACTOR


def record(action: str, subject: str = "", *, process_id: int, event_id: int | None = None,
           detail: dict | None = None, actor: str | None = None, user: User | None = None) -> AuditEntry:
    """Add one entry to the current transaction (see the module's docstring); no commit here."""
    user_id, name = _who(actor, user)
    entry = AuditEntry(process_id=process_id, event_id=event_id, user_id=user_id, actor=name[:254],
                       action=action[:40], subject=" ".join(text_of(subject).split())[:SUBJECT_MAX],
                       detail=dict(detail or {}))
    db.session.add(entry)
    return entry


@dataclass
class Filters:
    """What the log page narrows to; every part optional."""

    action: str = ""
    event_id: int | None = None
    actor: str = ""
    since: date | None = None
    until: date | None = None


@dataclass
class Page:
    entries: list[AuditEntry]
    number: int
    has_next: bool


def _filtered(process_id: int, filters: Filters):
    query = db.select(AuditEntry).where(AuditEntry.process_id == process_id)
    if filters.action:
        # A kind ("round") or one action ("round.start").
        query = query.where((AuditEntry.action == filters.action)
                            | AuditEntry.action.startswith(filters.action + ".", autoescape=True))
    if filters.event_id is not None:
        query = query.where(AuditEntry.event_id == filters.event_id)
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.since is not None:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, datetime.min.time()))
    if filters.until is not None:
        query = query.where(AuditEntry.created_at < datetime.combine(filters.until + timedelta(days=1),
                                                                     datetime.min.time()))
    return query


def entries(process_id: int, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of the process's entries, newest first, narrowed by `filters`."""
    page = max(1, page)
    rows = list(db.session.scalars(
        _filtered(process_id, filters).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)
    ))
    return Page(rows[:per_page], page, len(rows) > per_page)


def actors(process_id: int) -> list[str]:
    """Everyone who appears in the process's log, for the filter's choices."""
    return list(db.session.scalars(
        db.select(AuditEntry.actor).where(AuditEntry.process_id == process_id).distinct().order_by(AuditEntry.actor)
    ))


# Keys of an entry's detail that hold an idea's text (an edit's text before).
TEXT_DETAIL_KEYS = ("before",)


def forget_ideas(event_id: int, ideas: list[tuple[str, list[str]]]) -> int:
    """Blank the text of deleted ideas in the event's entries; returns how many entries changed.

    `ideas` are (uuid, every text the idea had). An entry names its idea by `detail["idea"]`; one
    without it (goaltree.unlink) is known by its subject. The entries stay: who did what, when.
    Filtered here rather than by a JSON query, which SQLite and PostgreSQL spell differently.
    """
    uuids = {uuid for uuid, _ in ideas}
    subjects = {" ".join(text.split())[:SUBJECT_MAX] for _, texts in ideas for text in texts} - {""}
    changed = 0
    about_ideas = (AuditEntry.action.startswith("idea.")) | (AuditEntry.action == "goaltree.unlink")
    for entry in db.session.scalars(db.select(AuditEntry).where(AuditEntry.event_id == event_id, about_ideas)):
        detail = entry.detail or {}
        named = detail.get("idea")
        if named in uuids or (named is None and entry.subject in subjects):
            entry.subject = ""
            entry.detail = {key: value for key, value in detail.items() if key not in TEXT_DETAIL_KEYS}
            changed += 1
    return changed


def prune(retention_days: int, now: datetime | None = None) -> int:
    """Delete entries older than `retention_days`; returns how many went. The caller commits."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    return db.session.execute(db.delete(AuditEntry).where(AuditEntry.created_at < cutoff)).rowcount or 0


def forget_revision_actors(retention_days: int, now: datetime | None = None) -> int:
    """Blank who changed an idea (an e-mail, a host) in revisions older than `retention_days`.

    The revisions stay: they are the idea's history for the council; the account (`user_id`) and
    the table stay linked while they exist. Returns how many changed. The caller commits."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    return db.session.execute(db.update(IdeaRevision).where(IdeaRevision.changed_at < cutoff, IdeaRevision.actor != "")
                              .values(actor="")).rowcount or 0
