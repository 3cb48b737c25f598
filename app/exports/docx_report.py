"""The goal tree as a report for the council (DOCX): a title page with an overview, the tree as
numbered headings with descriptions and progress, measures as tables, and an annex of the
citizens' ideas per action field with their counts; for staff, the steering group's decisions
before the annex (app/exports/decisions_docx.py) and, last, how many took part
(app/exports/participation_docx.py)."""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext

from app.labels import KIND_LABELS, STATUS_LABELS, source_mark
from app.exports.common import (Entry, day, direction, idea_text, language_name, latest, original_language,
                                labelled, number_text, percent, percent_text, pick, process_title, timeframe,
                                top_branches, walk, xml_text)
from app.exports.indicator_docx import add_indicator_pictures
from app.exports import decisions_docx
from app.exports.participation_docx import council_section
from app.i18n import text_direction

# What may follow <w:bidi/> in a paragraph's properties: Word insists on the schema's order.
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")


def _run(text: str, *, bold=False, rtl=False):
    """<w:r> with the text (line breaks kept), bold and right to left as asked."""
    run = OxmlElement("w:r")
    if bold or rtl:
        properties = OxmlElement("w:rPr")
        for tag, wanted in (("w:b", bold), ("w:bCs", bold), ("w:rtl", rtl)):
            if wanted:
                properties.append(OxmlElement(tag))
        run.append(properties)
    for number, line in enumerate(text.split("\n")):
        if number:
            run.append(OxmlElement("w:br"))
        piece = OxmlElement("w:t")
        piece.set(qn("xml:space"), "preserve")
        piece.text = line
        run.append(piece)
    return run


def _cell(text: str | list[str], *, bold=False):
    """<w:tc> holding one paragraph (or one per text of a list), each right to left where its text is."""
    cell = OxmlElement("w:tc")
    for line in (text if isinstance(text, list) else [text]) or [""]:  # a cell needs a paragraph
        rtl = direction(line) == "rtl"
        paragraph = OxmlElement("w:p")
        if rtl:
            properties = OxmlElement("w:pPr")
            properties.append(OxmlElement("w:bidi"))
            paragraph.append(properties)
        if line:
            paragraph.append(_run(line, bold=bold, rtl=rtl))
        cell.append(paragraph)
    return cell


class Report:
    """A python-docx document with the few kinds of blocks the report needs, each set right to
    left where its text is."""

    def __init__(self, language: str):
        self.language = language
        self.rtl = text_direction(language) == "rtl"
        self.doc = Document()
        # A4 with margins as German offices set letters (DIN 5008): python-docx's template is US Letter.
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        self.styles = {name: self.doc.styles[name] for name in (
            "Title", "Subtitle", "Normal", "List Bullet", "Table Grid",
            *(f"Heading {level}" for level in range(1, 10)))}
        # Style ids set directly: python-docx looks a style up by name anew for every paragraph,
        # which costs more than all the rest of a large report.
        self.style_ids = {name: style.style_id for name, style in self.styles.items()}

    def paragraph(self, text: str = "", style: str = "Normal", *, italic=False, bold=False, rtl=None):
        text = xml_text(text)
        paragraph = self.doc.add_paragraph()
        if style != "Normal":
            paragraph._p.style = self.style_ids[style]
        if text:
            run = paragraph.add_run(text)
            if italic:
                run.italic = run.font.cs_italic = True  # cs_: Arabic and other complex scripts
            if bold:
                run.bold = run.font.cs_bold = True
        self._direction(paragraph, text, rtl)
        return paragraph

    def _direction(self, paragraph, text: str, rtl=None) -> None:
        if rtl is None:
            rtl = direction(text) == "rtl" if text else self.rtl
        if rtl:
            paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
            for run in paragraph.runs:
                run.font.rtl = True

    def heading(self, text: str, level: int):
        return self.paragraph(text, f"Heading {min(max(level, 1), 9)}")

    def table(self, header: list[str] | None, rows: list[list]):
        """A grid table; its rows are built as plain XML, many times faster than cell by cell. A cell
        given as a list of texts holds one paragraph per text (an idea, and below it its language)."""
        columns = len(header or rows[0])
        table = self.doc.add_table(rows=0, cols=columns)
        table._tbl.tblPr.style = self.style_ids["Table Grid"]
        if self.rtl:
            table._tbl.tblPr.get_or_add_bidiVisual()  # columns run right to left
        for index, values in enumerate(([header] if header else []) + rows):
            row = OxmlElement("w:tr")
            for value in values:
                texts = [xml_text(v) for v in value] if isinstance(value, list) else xml_text(value)
                row.append(_cell(texts, bold=index == 0 and header is not None))
            table._tbl.append(row)
        self.paragraph()  # air after the table
        return table

    def page_break(self) -> None:
        self.doc.add_page_break()

    def footer(self, text: str) -> None:
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.add_run(f"{text} · ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        field.append(_run("1"))  # shown until the word processor counts the pages
        paragraph._p.append(field)
        self._direction(paragraph, text)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _ideas_count(count: int) -> str:
    return ngettext("%(num)d Idee", "%(num)d Ideen", count)


def _meta(entry: Entry) -> str:
    node = entry.node
    parts = [str(KIND_LABELS.get(node["kind"], node["kind"]))]
    if node["kind"] not in ("leitziel", "handlungsfeld"):
        parts.append(str(STATUS_LABELS.get(node["status"], node["status"])))
    parts.append(labelled(_("Fortschritt"), percent_text(node.get("progress"))))
    if entry.ideas:
        parts.append(_ideas_count(len(entry.ideas)))
    return " · ".join(parts)


def _indicator_line(indicator: dict, language: str) -> str:
    value, _measured = latest(indicator)
    baseline, target = (indicator.get("baseline") or {}).get("value"), (indicator.get("target") or {}).get("value")
    unit = f" {indicator['unit']}" if indicator.get("unit") else ""
    return (f"{pick(indicator.get('name'), language)}: {number_text(baseline) or '–'} → "
            f"{number_text(value) or '–'} / {number_text(target) or '–'}{unit} "
            f"({percent_text(indicator.get('progress'))})")


def _node(report: Report, entry: Entry) -> None:
    language, node = report.language, entry.node
    report.heading(entry.heading(language), entry.level)
    report.paragraph(_meta(entry), italic=True, rtl=report.rtl)
    for line in pick(node.get("description"), language).splitlines():
        if line.strip():
            report.paragraph(line)
    indicators = node.get("indicators") or []
    responsible, dates = ", ".join(node.get("responsible") or []), timeframe(node)
    if node["kind"] == "massnahme":
        report.table(None, [
            [_("Verantwortlich"), responsible or "–"],
            [_("Zeitraum"), dates or "–"],
            [_("Status"), str(STATUS_LABELS.get(node["status"], node["status"]))],
            [_("Fortschritt"), percent_text(node.get("progress"))],
            [_("Indikatoren"), "\n".join(_indicator_line(i, language) for i in indicators) or "–"],
        ])
        add_indicator_pictures(report, indicators)
        return
    if responsible:
        report.paragraph(labelled(_("Verantwortlich"), responsible))
    if dates:
        report.paragraph(labelled(_("Zeitraum"), dates), rtl=report.rtl)
    if indicators:
        report.table([_("Indikator"), _("Ausgangswert"), _("Letzter Wert"), _("Zielwert"), _("Fortschritt (%)")], [
            [pick(i.get("name"), language) + (f" ({i['unit']})" if i.get("unit") else ""),
             number_text((i.get("baseline") or {}).get("value")), number_text(latest(i)[0]),
             number_text((i.get("target") or {}).get("value")), number_text(percent(i.get('progress')))]
            for i in indicators])
        add_indicator_pictures(report, indicators)


def _unique_ideas(entries: list[Entry]) -> list[dict]:
    seen, ideas = set(), []
    for entry in entries:
        for idea in entry.ideas:
            key = idea.get("uuid") or idea["text"]
            if key not in seen:
                seen.add(key)
                ideas.append(idea)
    return ideas


def _annex(report: Report, entries: list[Entry]) -> None:
    language = report.language
    groups = [(pick(first.node.get("title"), language), _unique_ideas([first, *rest]))
              for first, rest in top_branches(entries)]
    if entries and entries[0].node.get("ideas") or entries and entries[0].node.get("quotes"):
        groups.insert(0, (pick(entries[0].node.get("title"), language), _unique_ideas(entries[:1])))
    report.page_break()
    report.heading(_("Anhang: Ideen der Bürgerinnen und Bürger"), 1)
    report.paragraph(_("Die Ideen aus der Beteiligung, aus denen die Ziele und Maßnahmen entstanden sind, "
                       "nach Handlungsfeldern."), rtl=report.rtl)
    if not any(ideas for _title, ideas in groups):
        report.paragraph(_("Noch keine Ideen im Zielbaum."), rtl=report.rtl)
        return
    report.table([_("Handlungsfeld"), _("Ideen")], [[title, str(len(ideas))] for title, ideas in groups])
    for title, ideas in groups:
        if not ideas:
            continue
        report.heading(f"{title} ({_ideas_count(len(ideas))})", 2)
        for idea in ideas:
            text, original, machine = idea_text(idea, language)
            paragraph = report.paragraph(text, "List Bullet")
            if original:  # the translation first, the words as written beside it
                paragraph.add_run(f" ({original_language(idea, machine)}: {original})").italic = True
            elif idea.get("language") and idea["language"] != language:
                paragraph.add_run(f" ({language_name(idea['language'])})").italic = True
            if idea.get("source"):  # from a workshop or an interview, by an invited expert (issue 21)
                paragraph.add_run(f" – {source_mark(idea['source'])}").italic = True


def report(document: dict, language: str, *, participation: bool = False) -> bytes:
    """The report as DOCX bytes, in `language`; with `participation`, the process's figures last."""
    entries = walk(document)
    out = Report(language)
    title = process_title(document)
    out.doc.core_properties.title = title
    out.doc.core_properties.language = language
    out.footer(title)

    out.paragraph(title, "Title")
    out.paragraph(_("Zielbaum"), "Subtitle", rtl=out.rtl)
    dated = day((document.get("as_of") or document.get("generated_at") or "")[:10]) or date.today()
    # Translators: "as of" a date (not a snapshot of the goal tree).
    out.paragraph(_("Stand: %(date)s", date=format_date(dated, "long")), rtl=out.rtl)
    if entries:
        root = entries[0]
        out.paragraph(f"{KIND_LABELS['leitziel']}: {pick(root.node.get('title'), language)}", bold=True)
        out.paragraph(labelled(_("Fortschritt"), percent_text(root.node.get("progress"))),
                         rtl=out.rtl)
        out.table([_("Handlungsfeld"), _("Fortschritt (%)"), _("Ziele und Maßnahmen"), _("Ideen")], [
            [first.heading(language),
             number_text(percent(first.node.get('progress'))), str(len(rest)),
             str(len(_unique_ideas([first, *rest])))]
            for first, rest in top_branches(entries)])
    else:
        out.paragraph(_("Der Zielbaum ist noch leer."), rtl=out.rtl)
    out.page_break()

    for entry in entries:
        _node(out, entry)
    if participation:  # the staff's copy (not the public page's): the steering group's decisions
        decisions_docx.council_section(out, document)
    _annex(out, entries)
    if participation:
        council_section(out, document)
    for style in ("Normal", "List Bullet"):
        out.styles[style].font.size = Pt(11)
    return out.bytes()
