"""The results of an event as a table: every idea (hidden and merged ones too) with its table,
round, language, translation, action field, dots, status and where it came from (a table host, a
workshop, an interview, an invited expert), most dots first. A few queries, however many ideas."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.exports import Download, check_format, check_language
from app.exports.common import language_name, pick, slug
from app.languages import locale_for
from app.exports.sheets import DATETIME, INT, LABEL, TEXT, Column, csv_bytes, naive, workbook_bytes
from app.extensions import db
from app.labels import IDEA_STATUS_LABELS, origin_text
from app.models import ActionField, CafeTable, Contribution, Event, Interview, Round, Vote

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
COLUMNS = [
    Column(_l("Nr."), INT), Column(_l("Idee"), TEXT, 60), Column(_l("Sprache"), LABEL),
    Column(_l("Übersetzung"), TEXT, 60), Column(_l("Sprache der Übersetzung"), LABEL), Column(_l("Tisch"), INT),
    Column(_l("Runde"), INT), Column(_l("Handlungsfeld"), TEXT), Column(_l("Stimmen"), INT),
    Column(_l("Status"), LABEL), Column(_l("Herkunft"), LABEL),
    Column(_l("Eingegangen am"), DATETIME), Column(_l("UUID"), LABEL, 36),
]


def _translation(idea: Contribution, language: str) -> tuple[str, str]:
    """The idea in the export language, else in German; nothing where it was written in it."""
    for target in (language, "de"):
        if idea.language == target:
            return "", ""
        row = idea.translation_row(target)
        if row is not None:
            label = language_name(target)
            return row.text, f"{label} · {_('maschinell übersetzt')}" if row.machine else label
    return "", ""


def rows(event: Event, language: str) -> list[list]:
    """One row per idea of `event`, most dots first."""
    dots = (db.select(Vote.contribution_id, func.count(Vote.id).label("dots"))
            .join(Contribution, Vote.contribution_id == Contribution.id)
            .where(Contribution.event_id == event.id).group_by(Vote.contribution_id).subquery())
    count = func.coalesce(dots.c.dots, 0)
    query = (db.select(Contribution, CafeTable.number, Round.number, ActionField.name, count)
             .outerjoin(CafeTable, Contribution.table_id == CafeTable.id)
             .outerjoin(Round, Contribution.round_id == Round.id)
             .outerjoin(ActionField, Contribution.action_field_id == ActionField.id)
             .outerjoin(dots, dots.c.contribution_id == Contribution.id)
             .where(Contribution.event_id == event.id)
             .options(selectinload(Contribution.translations), selectinload(Contribution.participant),
                      selectinload(Contribution.interview).selectinload(Interview.actor))
             .order_by(count.desc(), Contribution.id))
    hidden = _("ausgeblendet")
    result = []
    for number, (idea, table, round_number, field_name, votes) in enumerate(db.session.execute(query), 1):
        translation, translated_into = _translation(idea, language)
        status = hidden if idea.hidden_at else str(IDEA_STATUS_LABELS.get(idea.status, idea.status))
        result.append([
            number, idea.text, language_name(idea.language), translation, translated_into, table, round_number,
            pick(field_name, language) if field_name else "", votes, status,
            origin_text(idea), naive(idea.created_at), str(idea.uuid),
        ])
    return result


def event_results_file(event: Event, fmt: str, language: str) -> Download:
    """The event's results as an XLSX or CSV download, in `language`."""
    check_format(fmt, FORMATS)
    check_language(language)
    with force_locale(locale_for(language)):
        table = rows(event, language)
        if fmt == "xlsx":
            content = workbook_bytes([(_("Ergebnisse"), COLUMNS, table)], language)
        else:
            content = csv_bytes(COLUMNS, table, language)
    parts = ("ergebnisse", slug(event.title), event.code.lower(), date.today().isoformat(), language)
    name = "-".join(part for part in parts if part)
    return Download(content, FORMATS[fmt], f"{name}.{fmt}")
