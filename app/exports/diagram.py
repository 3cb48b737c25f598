"""The goal tree as an SVG diagram to print on A3 landscape: one drawing of pages stacked
downwards (each 420 × 297 mm, user units are millimetres). The first page shows the Leitziel, the
action fields and under each its subtree as an indented tree, when all of it fits; otherwise only
the goals, and each action field then gets pages of its own, in columns, continued on further
pages where they do not fit. No text is smaller than 9 pt, titles wrap, right-to-left titles run
right to left, and in a right-to-left language the whole drawing is mirrored. Built with
ElementTree, so every text is escaped."""
from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext

from app.labels import KIND_LABELS, STATUS_LABELS
from app.exports.common import (Entry, day, direction, labelled, percent_text,
                                pick, process_title, top_branches, walk)
from app.i18n import text_direction

PAGE_W, PAGE_H, MARGIN = 420.0, 297.0, 12.0
PT = 25.4 / 72  # one typographic point in millimetres
TITLE, META, HEADING, SMALL_HEADING = 10 * PT, 9 * PT, 18 * PT, 12 * PT
LINE = 1.3  # line height, in font sizes
PAD = 2.0
BAR = 1.2  # height of the progress bar
COLUMNS, GAP, INDENT = 3, 8.0, 7.0
TOP = MARGIN + 20.0  # below the page heading
BOTTOM = PAGE_H - MARGIN - 6.0  # above the footer
FONT = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
GREY, INK, FAINT = "#555555", "#1a1a1a", "#e6e6e6"


def text_width(text: str, size: float) -> float:
    """A generous estimate of the printed width, without font files: wide for CJK and emoji."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Cf"):
            continue
        width += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6
    return width * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` in lines no wider than `width`; a word longer than a line is cut."""
    lines, current = [], ""
    for word in text.split():
        while text_width(word, size) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


class Drawing:
    """Pages stacked downwards; x is mirrored for a right-to-left language."""

    def __init__(self, title: str, language: str):
        self.language = language
        self.rtl = text_direction(language) == "rtl"
        self.root = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "xml:lang": language,
                                       "font-family": FONT})
        ET.SubElement(self.root, "title").text = title
        # Printed from a browser: one A3 landscape sheet per page, without margins.
        ET.SubElement(self.root, "style").text = "@page { size: 420mm 297mm; margin: 0; }"
        self.pages: list[ET.Element] = []
        self.edges: dict[int, ET.Element] = {}  # page → the layer under its boxes

    def x(self, x: float, width: float = 0.0) -> float:
        return PAGE_W - x - width if self.rtl else x

    def page(self) -> ET.Element:
        group = ET.SubElement(self.root, "g", {"id": f"page-{len(self.pages) + 1}", "class": "page",
                                               "transform": f"translate(0 {len(self.pages) * PAGE_H:g})"})
        ET.SubElement(group, "rect", x="0", y="0", width=f"{PAGE_W:g}", height=f"{PAGE_H:g}", fill="white",
                      stroke=FAINT, **{"stroke-width": "0.3"})
        self.edges[id(group)] = ET.SubElement(group, "g", {"class": "edges"})
        self.pages.append(group)
        return group

    def text(self, parent, text: str, x: float, y: float, size: float, *, colour=INK, bold=False,
             anchor: str = "start", own_direction: str | None = None) -> None:
        """A line of text starting at `x` (in left-to-right page terms, mirrored as needed)."""
        rtl = (own_direction or direction(text)) == "rtl"
        flip = {"start": "end", "end": "start", "middle": "middle"}
        if anchor != "middle" and self.rtl:
            anchor = flip[anchor]
        attributes = {"x": f"{self.x(x):.2f}", "y": f"{y:.2f}", "font-size": f"{size:.3f}", "fill": colour}
        # text-anchor refers to where the text starts; right-to-left text starts at its right end.
        attributes["text-anchor"] = flip[anchor] if rtl else anchor
        if rtl:
            attributes["direction"] = "rtl"
            attributes["unicode-bidi"] = "embed"
        if bold:
            attributes["font-weight"] = "bold"
        ET.SubElement(parent, "text", attributes).text = text

    def box(self, parent, x: float, y: float, width: float, height: float, colour: str, progress: float):
        ET.SubElement(parent, "rect", x=f"{self.x(x, width):.2f}", y=f"{y:.2f}", width=f"{width:.2f}",
                      height=f"{height:.2f}", rx="1.5", fill="white", stroke=colour, **{"stroke-width": "0.4"})
        bar_y = y + height - PAD - BAR
        inner = width - 2 * PAD
        ET.SubElement(parent, "rect", x=f"{self.x(x + PAD, inner):.2f}", y=f"{bar_y:.2f}", width=f"{inner:.2f}",
                      height=f"{BAR:g}", fill=FAINT)
        done = inner * max(0.0, min(1.0, progress or 0.0))
        if done > 0:
            ET.SubElement(parent, "rect", x=f"{self.x(x + PAD, done):.2f}", y=f"{bar_y:.2f}",
                          width=f"{done:.2f}", height=f"{BAR:g}", fill=colour)

    def line(self, page, points: list[tuple[float, float]], colour: str = GREY) -> None:
        """A connector, drawn under every box of the page."""
        points = " ".join(f"{self.x(px):.2f},{py:.2f}" for px, py in points)
        ET.SubElement(self.edges[id(page)], "polyline", points=points, fill="none", stroke=colour,
                      **{"stroke-width": "0.3"})

    def bytes(self) -> bytes:
        height = PAGE_H * max(1, len(self.pages))
        self.root.set("width", f"{PAGE_W:g}mm")
        self.root.set("height", f"{height:g}mm")
        self.root.set("viewBox", f"0 0 {PAGE_W:g} {height:g}")
        return ET.tostring(self.root, encoding="utf-8", xml_declaration=True)


def _meta(entry: Entry) -> str:
    node = entry.node
    parts = [part for part in (entry.number, str(KIND_LABELS.get(node["kind"], node["kind"]))) if part]
    if node["kind"] not in ("leitziel", "handlungsfeld"):
        parts.append(str(STATUS_LABELS.get(node["status"], node["status"])))
    parts.append(percent_text(node.get("progress")))
    return " · ".join(parts)


def _node_box(drawing: Drawing, parent, entry: Entry, x: float, y: float, width: float, lines: list[str],
              colour: str) -> None:
    drawing.box(parent, x, y, width, _box_height(lines), colour, entry.node.get("progress"))
    rtl_title = direction(" ".join(lines)) == "rtl"
    cursor = y + PAD + META
    drawing.text(parent, _meta(entry), x + PAD, cursor, META, colour=GREY,
                 own_direction="rtl" if drawing.rtl else "ltr")
    own = "rtl" if rtl_title else "ltr"
    for line in lines:
        cursor += TITLE * LINE
        # A title runs from the box's side where its script starts.
        if rtl_title != drawing.rtl:
            drawing.text(parent, line, x + width - PAD, cursor, TITLE, anchor="end", own_direction=own)
        else:
            drawing.text(parent, line, x + PAD, cursor, TITLE, own_direction=own)


def _box_height(lines: list[str]) -> float:
    return PAD + META * LINE + len(lines) * TITLE * LINE + PAD + BAR + PAD


def _header(drawing: Drawing, page, heading: str, document: dict, colour: str = INK) -> None:
    """The page's heading; the process (from the start side) and the date and page number (from
    the end side) in the footer, apart, so that scripts of both directions stay readable."""
    drawing.text(page, heading, MARGIN, MARGIN + HEADING * 0.8, HEADING, colour=colour, bold=True)
    drawing.text(page, process_title(document), MARGIN, PAGE_H - MARGIN, META, colour=GREY)
    dated = day((document.get("as_of") or document.get("generated_at") or "")[:10])
    # Translators: "as of" a date (not a snapshot of the goal tree).
    stand = _("Stand: %(date)s", date=format_date(dated, "medium")) if dated else ""
    drawing.text(page, " · ".join(p for p in (stand, str(len(drawing.pages))) if p), PAGE_W - MARGIN,
                 PAGE_H - MARGIN, META, colour=GREY, anchor="end", own_direction="rtl" if drawing.rtl else "ltr")


def _column(drawing: Drawing, first: Entry, rest: list[Entry], x: float, top: float, width: float,
            max_depth: int) -> list[tuple[Entry, float, float, float, list[str]]]:
    """Where the descendants of an action field go in its column on the first page, as an
    indented tree: (entry, x, y, width, title lines) each."""
    placed, y = [], top
    for entry in rest:
        depth = entry.level - first.level
        if depth > max_depth:
            continue
        indent = min(depth, 6) * INDENT
        lines = wrap(pick(entry.node.get("title"), drawing.language), width - indent - 2 * PAD, TITLE)
        placed.append((entry, x + indent, y, width - indent, lines))
        y += _box_height(lines) + 3
    return placed


def _bottom(placed) -> float:
    return max((y + _box_height(lines) for _entry, _x, y, _width, lines in placed), default=0.0)


def _draw_column(drawing: Drawing, page, first: Entry, field_box: tuple[float, float], placed, colour: str,
                 hidden: int) -> None:
    """The boxes of `_column` with their connectors; "… and N more goals" where some did not fit."""
    stems = {id(first): field_box}  # entry → (x of its stem, bottom of its box)
    for entry, x, y, width, lines in placed:
        height = _box_height(lines)
        stem_x, stem_top = stems[id(entry.parent)]
        drawing.line(page, [(stem_x, stem_top), (stem_x, y + height / 2), (x, y + height / 2)])
        _node_box(drawing, page, entry, x, y, width, lines, colour)
        stems[id(entry)] = (x + INDENT / 2, y + height)
    if hidden:
        x, y = (placed[-1][1], _bottom(placed) + 3) if placed else (field_box[0], field_box[1] + 3)
        more = ngettext("… und %(num)d weiteres Ziel", "… und %(num)d weitere Ziele", hidden)
        drawing.text(page, more, x + PAD, y + META, META, colour=GREY, own_direction="rtl" if drawing.rtl else "ltr")


def _overview(drawing: Drawing, document: dict, entries: list[Entry], colours) -> bool:
    """The first page: the Leitziel, the action fields below it and under each its goals; the whole
    tree where it fits on the page. True where it did, so no further pages are needed."""
    page = drawing.page()
    _header(drawing, page, labelled(_("Zielbaum"), process_title(document)), document)
    if not entries:
        drawing.text(page, _("Der Zielbaum ist noch leer."), MARGIN, TOP + 10, TITLE,
                     own_direction="rtl" if drawing.rtl else "ltr")
        return True
    root, branches = entries[0], top_branches(entries)
    width = 160.0
    lines = wrap(pick(root.node.get("title"), drawing.language), width - 2 * PAD, TITLE)
    x, y = (PAGE_W - width) / 2, TOP + 4
    _node_box(drawing, page, root, x, y, width, lines, INK)
    bus = y + _box_height(lines) + 8
    drawing.line(page, [(PAGE_W / 2, y + _box_height(lines)), (PAGE_W / 2, bus)])
    per_row = max(1, min(len(branches), 6))
    usable = PAGE_W - 2 * MARGIN
    box_w = (usable - (per_row - 1) * GAP) / per_row
    row_y, complete = bus + 6, len(branches) <= per_row
    for row_start in range(0, len(branches), per_row):
        row = branches[row_start:row_start + per_row]
        wrapped = [wrap(pick(first.node.get("title"), drawing.language), box_w - 2 * PAD, TITLE)
                   for first, _rest in row]
        height = max(_box_height(lines) for lines in wrapped)
        if row_y + height > BOTTOM:
            return False  # more fields than the page holds; each has its own pages
        left = MARGIN + (usable - len(row) * box_w - (len(row) - 1) * GAP) / 2
        starts = [left + i * (box_w + GAP) for i in range(len(row))]
        centres = [start + box_w / 2 for start in starts]
        drawing.line(page, [(PAGE_W / 2, bus), (PAGE_W / 2, row_y - 6)])
        drawing.line(page, [(min(centres + [PAGE_W / 2]), row_y - 6), (max(centres + [PAGE_W / 2]), row_y - 6)])
        columns = []
        if len(branches) <= per_row:  # one row of fields: room below for their subtrees
            full = [_column(drawing, first, rest, start, row_y + height + 4, box_w, 99)
                    for (first, rest), start in zip(row, starts)]
            complete = all(_bottom(placed) <= BOTTOM for placed in full)
            columns = full if complete else [
                _column(drawing, first, rest, start, row_y + height + 4, box_w, 1)
                for (first, rest), start in zip(row, starts)]
        for index, ((first, rest), lines, start, centre) in enumerate(zip(row, wrapped, starts, centres)):
            drawing.line(page, [(centre, row_y - 6), (centre, row_y)])
            _node_box(drawing, page, first, start, row_y, box_w, lines, colours(first))
            if columns:
                placed = columns[index]
                while not complete and placed and _bottom(placed) > BOTTOM - META * LINE - 3:
                    placed = placed[:-1]  # room for the line saying how many more there are
                hidden = sum(1 for e in rest if e.level == first.level + 1) - sum(
                    1 for e, *_place in placed if e.level == first.level + 1)
                _draw_column(drawing, page, first, (start + INDENT / 2, row_y + _box_height(lines)), placed,
                             colours(first), 0 if complete else hidden)
        row_y += height + 12
    return complete


def _branch_pages(drawing: Drawing, document: dict, first: Entry, rest: list[Entry], colour: str) -> None:
    title = first.heading(drawing.language)
    column_w = (PAGE_W - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS
    placed: dict[int, tuple[int, int, float, float]] = {}  # entry → page, column, x of its stem, bottom
    page, column, y, pages = None, COLUMNS, TOP, 0
    for entry in rest:
        depth = min(entry.level - first.level - 1, 6)
        width = column_w - depth * INDENT
        lines = wrap(pick(entry.node.get("title"), drawing.language), width - 2 * PAD, TITLE)
        height = _box_height(lines)
        if page is None or y + height > BOTTOM:
            column += 1
            y = TOP
            if column >= COLUMNS:
                page, column, pages = drawing.page(), 0, pages + 1
                heading = title if pages == 1 else "{} ({})".format(title, _("Fortsetzung"))
                _header(drawing, page, heading, document, colour)
        x = MARGIN + column * (column_w + GAP) + depth * INDENT
        parent = placed.get(id(entry.parent))
        middle = y + height / 2
        if parent and parent[:2] == (len(drawing.pages), column):
            drawing.line(page, [(parent[2], parent[3]), (parent[2], middle), (x, middle)])
        elif depth > 0:  # its parent is in an earlier column: a stem from the top
            drawing.line(page, [(x - INDENT / 2, y - 3), (x - INDENT / 2, middle), (x, middle)])
        _node_box(drawing, page, entry, x, y, width, lines, colour)
        placed[id(entry)] = (len(drawing.pages), column, x + INDENT / 2, y + height)
        y += height + 3


def svg(document: dict, language: str) -> bytes:
    """The diagram as SVG bytes: the whole tree on one page where it fits; else an overview page,
    then the pages of each action field."""
    entries = walk(document)
    drawing = Drawing(labelled(_("Zielbaum"), process_title(document)), language)

    def colour_of(entry: Entry) -> str:
        return (entry.field or {}).get("colour") or INK

    if not _overview(drawing, document, entries, colour_of):
        for first, rest in top_branches(entries):
            if rest:
                _branch_pages(drawing, document, first, rest, colour_of(first))
    return drawing.bytes()
