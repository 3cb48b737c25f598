"""Exports of the goal tree (one document, many formats) and of an event's results.

`goal_tree_file(document, fmt, language)` turns a tree document (today's from
`services.snapshots.tree_document`, or a snapshot's) into a download; the web route and the CLI
both call it. The writers live one family per module and are imported when first used.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import import_module

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.exports.common import process_title, slug
from app.languages import locale_for
from app.services.errors import DomainError

# What the tree page offers, in this order: (format key, label).
FORMATS = [
    ("xlsx", _l("Excel-Tabelle (XLSX)")),
    ("docx", _l("Bericht für den Rat (DOCX)")),
    ("svg", _l("Diagramm zum Drucken, A3 quer (SVG)")),
    ("csv", _l("Tabelle als CSV")),
    ("md", _l("Gegliederte Liste (Markdown)")),
    ("opml", _l("Gliederung (OPML)")),
    ("mm", _l("Mindmap (FreeMind, Freeplane)")),
    ("json", _l("Vollständige Daten zum Importieren (JSON)")),
]

# format → (module, function, mimetype, file extension)
WRITERS = {
    "json": (None, None, "application/json", "json"),
    "xlsx": ("tabular", "nodes_xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("tabular", "nodes_csv", "text/csv; charset=utf-8", "csv"),
    "docx": ("docx_report", "report",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "md": ("mindmap", "markdown", "text/markdown; charset=utf-8", "md"),
    "opml": ("mindmap", "opml", "text/x-opml; charset=utf-8", "opml"),
    "mm": ("mindmap", "freemind", "application/x-freemind", "mm"),
    "svg": ("diagram", "svg", "image/svg+xml", "svg"),
}
UNKNOWN_FORMAT = _l("Dieses Format gibt es nicht.")
UNKNOWN_LANGUAGE = _l("In dieser Sprache gibt es keine Ausgabe.")


@dataclass
class Download:
    content: bytes
    mimetype: str
    filename: str

    def response(self):
        """The file as a download that no shared cache keeps (staff data)."""
        from io import BytesIO

        from flask import send_file

        response = send_file(BytesIO(self.content), mimetype=self.mimetype, as_attachment=True,
                             download_name=self.filename, max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response


def check_format(fmt: str, allowed=WRITERS) -> str:
    if fmt not in allowed:
        raise DomainError(UNKNOWN_FORMAT)
    return fmt


def check_language(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(UNKNOWN_LANGUAGE)
    return language


def goal_tree_bytes(document: dict, fmt: str, language: str, *, participation: bool = False) -> bytes:
    """The document written in `fmt`, its labels in `language` (JSON: the document itself).

    `participation`: the DOCX report for the council ends with how many took part (for staff; the
    public page's copy leaves it out, since figures such as one person writing in a language at an
    event are fine for staff but not for everyone)."""
    check_format(fmt)
    check_language(language)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    module, function, _mimetype, _extension = WRITERS[fmt]
    writer = getattr(import_module(f"app.exports.{module}"), function)
    options = {"participation": True} if participation and fmt == "docx" else {}
    with force_locale(locale_for(language)):
        return writer(document, language, **options)


def goal_tree_file(document: dict, fmt: str, language: str, *, participation: bool = False) -> Download:
    """The document as a download: zielbaum-<process>-<date of the document>.<extension>."""
    content = goal_tree_bytes(document, fmt, language, participation=participation)
    _module, _function, mimetype, extension = WRITERS[fmt]
    dated = (document.get("as_of") or document.get("generated_at") or "")[:10]
    parts = ["zielbaum", slug(process_title(document)) or "prozess", dated]
    if fmt != "json":
        parts.append(language)
    return Download(content, mimetype, "-".join(p for p in parts if p) + f".{extension}")
