"""The forum's record as DOCX for the council (A4): the programme, each table's rounds with ideas,
summaries and tablecloth photos, the vote, the ideas per action field and the figures.

Written from `services.reports.record.event_record`, which the printable page shows as well; the
labels speak the export language, the ideas stay as written with their German translation beside.
"""
from __future__ import annotations

import io
from datetime import date

from docx.shared import Mm
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports import Download, check_language
from app.exports.common import labelled, language_name, pick, slug
from app.languages import locale_for
from app.exports.docx_report import Report
from app.services.reports.record import Record, RecordIdea, Sitting, TableRecord

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PHOTO_MAX_HEIGHT = Mm(190)  # a portrait photo keeps room for its heading and caption on the page


def record_file(record: Record, language: str) -> Download:
    """The record as a DOCX download, its labels in `language`:
    dokumentation-<event>-<code>-<today>-<language>.docx."""
    check_language(language)
    with force_locale(locale_for(language)):
        content = record_bytes(record, language)
    event = record.event
    parts = ("dokumentation", slug(event.title), event.code.lower(), date.today().isoformat(), language)
    return Download(content, MIMETYPE, "-".join(part for part in parts if part) + ".docx")


def table_title(table) -> str:
    """"Tisch 3 · Arbeit und Ausbildung", or the ideas that came from no table."""
    if table is None:
        return _("Ohne Tisch (z. B. online)")
    title = _("Tisch %(number)d", number=table.number)
    return f"{title} · {table.name}" if table.name else title


def round_title(round_) -> str:
    return _("Runde %(number)d", number=round_.number) if round_ is not None else _("Ohne Runde")


def translation_label(idea: RecordIdea) -> str:
    """"Deutsch · maschinell übersetzt" or "Deutsch · übersetzt", as the results export marks it."""
    german = idea.german
    if german is None:
        return ""
    return f"{language_name('de')} · {_('maschinell übersetzt') if german.machine else _('übersetzt')}"


def _original(idea: RecordIdea) -> list[str]:
    written = language_name(idea.idea.language)
    return [idea.idea.text, f"{written} · {idea.mark}" if idea.mark else written]


def _german(idea: RecordIdea) -> list[str]:
    if idea.idea.language == "de":
        return [""]
    if idea.german is None:
        return [_("Noch keine deutsche Übersetzung.")]
    return [idea.german.text, translation_label(idea)]


def _ideas_table(out: Report, ideas: list[RecordIdea], *, dots=False) -> None:
    header = [_("Idee, wie geschrieben"), _("Deutsche Übersetzung")] + ([_("Punkte")] if dots else [])
    out.table(header, [[_original(i), _german(i)] + ([str(i.dots)] if dots else []) for i in ideas])


def _programme(out: Report, record: Record) -> None:
    out.heading(_("Programm"), 1)
    if not record.rounds:
        out.paragraph(_("Noch keine Runden."), rtl=out.rtl)
    for round_ in record.rounds:
        facts = [round_title(round_), ngettext("%(num)d Minute", "%(num)d Minuten", round_.duration_minutes)]
        if round_.started_at is not None:
            facts.append(labelled(_("Beginn"), format_time(round_.started_at, "short")))
        out.heading(" · ".join(facts), 2)
        questions = record.questions(round_)
        if not questions:
            out.paragraph(_("Noch keine Frage."), rtl=out.rtl)
        for code, text in questions:
            if code == "de":
                out.paragraph(text, bold=True)
            else:
                out.paragraph(labelled(language_name(code), text))


def _photo(out: Report, photo) -> None:
    width = out.doc.sections[0].page_width - out.doc.sections[0].left_margin - out.doc.sections[0].right_margin
    height = int(width * photo.height / photo.width)
    if height > PHOTO_MAX_HEIGHT:
        width, height = int(PHOTO_MAX_HEIGHT * photo.width / photo.height), PHOTO_MAX_HEIGHT
    out.doc.add_picture(io.BytesIO(photo.data), width=width, height=height)
    out.paragraph(_("Foto vom Tischtuch, %(time)s", time=format_time(photo.created_at, "short")),
                  italic=True, rtl=out.rtl)


def _sitting(out: Report, record: Record, sitting: Sitting) -> None:
    out.heading(round_title(sitting.round), 3)
    for _code, text in record.questions(sitting.round)[:1]:  # the German question, else the first given
        out.paragraph(text, italic=True)
    if sitting.ideas:
        _ideas_table(out, sitting.ideas)
    else:
        out.paragraph(_("Keine Ideen in dieser Runde."), rtl=out.rtl)
    if sitting.summary:
        out.paragraph(_("Zusammenfassung"), bold=True, rtl=out.rtl)
        for line in sitting.summary.splitlines():
            if line.strip():
                out.paragraph(line)
    for photo in sitting.photos:
        _photo(out, photo)


def _table(out: Report, record: Record, table: TableRecord) -> None:
    out.page_break()
    out.heading(table_title(table.table), 2)
    if table.table is not None:
        topic = pick(table.table.topic, "de")
        if topic:
            out.paragraph(labelled(_("Thema"), topic))
        if table.table.host_name:
            out.paragraph(labelled(_("Gastgeber·in"), table.table.host_name))
    if not table.sittings:
        out.paragraph(_("An diesem Tisch wurde nichts festgehalten."), rtl=out.rtl)
    for sitting in table.sittings:
        _sitting(out, record, sitting)


def _results(out: Report, record: Record) -> None:
    out.page_break()
    out.heading(_("Ergebnis der Abstimmung"), 1)
    if not record.results:
        out.paragraph(_("Keine Idee hat Punkte bekommen."), rtl=out.rtl)
    else:
        out.table([_("Platz"), _("Idee, wie geschrieben"), _("Deutsche Übersetzung"), _("Tisch"), _("Punkte")],
                  [[str(place), _original(idea), _german(idea),
                    str(idea.idea.table.number) if idea.idea.table else "–", str(idea.dots)]
                   for place, idea in record.ranked()])
    if record.undotted:
        out.paragraph(ngettext("%(num)d weitere Idee ohne Punkte.", "%(num)d weitere Ideen ohne Punkte.",
                               record.undotted), rtl=out.rtl)


def _fields(out: Report, record: Record) -> None:
    out.page_break()
    out.heading(_("Ideen nach Handlungsfeldern"), 1)
    for group in record.fields:
        name = pick(group.field.name, "de") if group.field is not None else _("Noch keinem Handlungsfeld zugeordnet")
        out.heading(f"{name} ({ngettext('%(num)d Idee', '%(num)d Ideen', len(group.ideas))})", 2)
        if group.ideas:
            _ideas_table(out, group.ideas, dots=True)


def _figures(out: Report, record: Record) -> None:
    figures = record.figures
    out.page_break()
    out.heading(_("Zahlen zur Beteiligung"), 1)
    out.table(None, [[_("Teilnehmende"), str(figures.participants)], [_("Ideen"), str(figures.ideas)],
                     [_("Vergebene Punkte"), str(figures.dots)]])
    if figures.languages:
        out.table([_("Sprache der Ideen"), _("Ideen")],
                  [[language_name(code), str(count)] for code, count in figures.languages])


def record_bytes(record: Record, language: str) -> bytes:
    """The record as DOCX bytes, its labels in `language` (inside `force_locale(language)`)."""
    event = record.event
    out = Report(language)
    out.doc.core_properties.title = f"{_('Dokumentation des Forums')}: {event.title}"
    out.doc.core_properties.language = language
    out.footer(event.title)
    out.paragraph(event.title, "Title")
    out.paragraph(_("Dokumentation des Forums"), "Subtitle", rtl=out.rtl)
    out.paragraph(labelled(_("Beteiligungsprozess"), event.process.title))
    if event.starts_on:
        out.paragraph(labelled(_("Datum"), format_date(event.starts_on, "full")), rtl=out.rtl)
    if event.venue:
        out.paragraph(labelled(_("Ort"), event.venue))
    _programme(out, record)
    out.page_break()
    out.heading(_("Die Tische"), 1)
    out.paragraph(_("Je Tisch und Runde: die Ideen, wie sie geschrieben wurden, mit deutscher Übersetzung, "
                    "die Zusammenfassung der Gastgeber·innen und die Fotos vom Tischtuch."), rtl=out.rtl)
    for table in record.tables:
        _table(out, record, table)
    _results(out, record)
    _fields(out, record)
    _figures(out, record)
    return out.bytes()
