"""The goal tree as an outline: Markdown (a nested list), OPML 2.0 (outliners) and FreeMind
`.mm` (FreeMind, Freeplane). XML is built with ElementTree, so every text is escaped."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from email.utils import format_datetime

from flask_babel import gettext as _

from app.labels import KIND_LABELS, STATUS_LABELS
from app.exports.common import (Entry, labelled, latest, number_text, percent_text, pick,
                                process_title, timeframe, walk, xml_text)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    """One line of user text, safe inside a Markdown list item."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _facts(entry: Entry, language: str) -> list[tuple[str, str]]:
    """(label, value) pairs worth showing beside a node's title, in the export language."""
    node = entry.node
    facts = [(_("Nr."), entry.number), (_("Art"), str(KIND_LABELS.get(node["kind"], node["kind"]))),
             (_("Status"), str(STATUS_LABELS.get(node["status"], node["status"]))),
             (_("Fortschritt"), percent_text(node.get("progress")))]
    if node.get("responsible"):
        facts.append((_("Verantwortlich"), ", ".join(node["responsible"])))
    if timeframe(node):
        facts.append((_("Zeitraum"), timeframe(node)))
    for indicator in node.get("indicators") or []:
        value, _measured = latest(indicator)
        target = (indicator.get("target") or {}).get("value")
        unit = f" {indicator['unit']}" if indicator.get("unit") else ""
        facts.append((_("Indikator"), f"{pick(indicator.get('name'), language)}: {number_text(value) or '–'} / "
                                      f"{number_text(target) or '–'}{unit} "
                                      f"({percent_text(indicator.get('progress'))})"))
    if entry.ideas:
        facts.append((_("Ideen"), str(len(entry.ideas))))
    return [(label, xml_text(value)) for label, value in facts]


def markdown(document: dict, language: str) -> bytes:
    """A heading and one nested list item per node: number, title, kind, status and progress."""
    lines = ["# " + labelled(_("Zielbaum"), _md(process_title(document))), ""]
    entries = walk(document)
    if not entries:
        lines.append(_("Der Zielbaum ist noch leer."))
    for entry in entries:
        node, indent = entry.node, "  " * (entry.level - 1)
        facts = _facts(entry, language)
        kind, status, progress = (value for _label, value in facts[1:4])
        if node["kind"] in ("leitziel", "handlungsfeld"):  # their state is their children's
            status = ""
        summary = " · ".join(part for part in (kind, status, progress) if part)
        number = f"**{entry.number}** " if entry.number else ""
        lines.append(f"{indent}- {number}{_md(pick(node.get('title'), language))} — *{summary}*")
        for line in pick(node.get("description"), language).splitlines():
            if line.strip():
                lines.append(f"{indent}  {_md(line)}")
        for label, value in facts[4:]:
            lines.append(f"{indent}  - {label}: {_md(value)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tostring(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def opml(document: dict, language: str) -> bytes:
    """OPML 2.0: an outline per node, its text the title; the rest as attributes and a note."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = labelled(_("Zielbaum"), process_title(document))
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(timezone.utc))
    body = ET.SubElement(root, "body")
    parents: dict[int, ET.Element] = {}
    for entry in walk(document):
        node = entry.node
        outline = ET.SubElement(parents[id(entry.parent)] if entry.parent else body, "outline",
                                text=pick(node.get("title"), language))
        outline.set("number", entry.number)
        outline.set("kind", node["kind"])
        outline.set("status", node["status"])
        outline.set("progress", f"{node.get('progress') or 0:g}")
        note = [pick(node.get("description"), language)]
        note += [f"{label}: {value}" for label, value in _facts(entry, language)[1:]]
        outline.set("_note", "\n".join(line for line in note if line))
        parents[id(entry)] = outline
    return _tostring(root)


def _note(parent: ET.Element, lines: list[str]) -> None:
    content = ET.SubElement(parent, "richcontent", TYPE="NOTE")
    html = ET.SubElement(content, "html")
    ET.SubElement(html, "head")
    body = ET.SubElement(html, "body")
    for line in lines:
        ET.SubElement(body, "p").text = line


def freemind(document: dict, language: str) -> bytes:
    """A FreeMind 1.0.1 map: the Leitziel in the middle, the action fields around it; facts as
    node attributes, the description as a note."""
    colours = {f["uuid"]: f.get("colour") for f in document.get("action_fields") or []}
    root = ET.Element("map", version="1.0.1")
    # FreeMind writes this; Freeplane reads it to know which program made the map.
    root.append(ET.Comment(" To view this file, download free mind mapping software FreeMind from "
                           "http://freemind.sourceforge.net "))
    parents: dict[int, ET.Element] = {}
    entries = walk(document)
    if not entries:
        ET.SubElement(root, "node", ID="ID_root", TEXT=process_title(document))
    top = [e for e in entries if e.level == 2]
    for entry in entries:
        node = entry.node
        parent = parents[id(entry.parent)] if entry.parent else root
        element = ET.SubElement(parent, "node", ID=f"ID_{node['uuid'].replace('-', '')}",
                                TEXT=pick(node.get("title"), language))
        if entry.level == 2:  # half the action fields to the right, half to the left
            element.set("POSITION", "right" if top.index(entry) < (len(top) + 1) // 2 else "left")
        colour = colours.get(node.get("action_field_uuid"))
        if colour and node["kind"] == "handlungsfeld":
            element.set("COLOR", colour)
        if node["status"] == "done":
            ET.SubElement(element, "icon", BUILTIN="button_ok")
        description = pick(node.get("description"), language)
        if description:
            _note(element, description.splitlines())
        for label, value in _facts(entry, language):
            ET.SubElement(element, "attribute", NAME=label, VALUE=value)
        parents[id(entry)] = element
    # As FreeMind writes it: no XML declaration (Freeplane recognises a map by how the file begins)
    # and every character beyond ASCII as a character reference.
    ET.indent(root)
    return ET.tostring(root, encoding="unicode").encode("ascii", "xmlcharrefreplace")
