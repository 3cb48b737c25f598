"""The steering group's decisions in DOCX: a table of them, the section "Beschlüsse der
Steuerungsgruppe" of the council's report (app/exports/docx_report.py), and the period's
decisions in the evaluation report (app/exports/evaluation_docx.py)."""
from __future__ import annotations

import uuid
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app.exports.evaluation import node_titles
from app.extensions import db
from app.models import Process
from app.services.goals import decisions as decision_log


def decisions_table(out, decisions: list, empty: str) -> None:
    """The decisions as a table (date, meeting, decision, nodes concerned), or `empty` for none;
    `out` is a `docx_report.Report`."""
    if not decisions:
        out.paragraph(empty, rtl=out.rtl)
        return
    out.table([_("Datum"), _("Sitzung"), _("Beschluss"), _("Betroffene Knoten")], [
        [format_date(decision.decided_on, "medium"), decision.meeting, decision.text,
         node_titles(decision, out.language)] for decision in decisions])


def council_section(out, document: dict) -> None:
    """The decisions of the document's process up to the document's day, oldest first; nothing for a
    document of a process this installation does not have (an imported file) or without decisions."""
    process = _process((document.get("process") or {}).get("uuid"))
    if process is None:
        return
    until = _day(document.get("as_of") or document.get("generated_at"))
    found = sorted(decision_log.decisions_of(process, until=until), key=lambda d: (d.decided_on, d.id))
    if not found:
        return
    out.page_break()
    out.heading(_("Beschlüsse der Steuerungsgruppe"), 1)
    out.paragraph(_("Was die Steuerungsgruppe zu den Zielen und Maßnahmen beschlossen hat, nach Datum."),
                  rtl=out.rtl)
    decisions_table(out, found, "")


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _process(value) -> Process | None:
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return db.session.scalar(db.select(Process).filter_by(uuid=key))
