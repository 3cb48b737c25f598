"""The open-data package of a process (services.reports.open_data) as files: CSV and JSON for each
table, a README that describes them, the licence the town chose, and a Frictionless
`datapackage.json` that portals read. As a directory (`flask export open-data`) or a ZIP (the page).

CSV files are RFC 4180: UTF-8 without BOM, comma-separated, one header row, so that portals and
scripts read them as they are.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exports.sheets import spreadsheet_safe
from app.languages import locale_for
from app.models.base import localized
from app.services.reports.open_data import MIN_GROUP, OpenData

# The licences municipal portals use (GovData names the two German ones); the default is CC BY 4.0.
LICENCES = {
    "cc-by-4.0": ("Creative Commons Attribution 4.0 International (CC BY 4.0)",
                  "https://creativecommons.org/licenses/by/4.0/", True),
    "cc0-1.0": ("Creative Commons Zero 1.0 Universal (CC0 1.0)",
                "https://creativecommons.org/publicdomain/zero/1.0/", False),
    "dl-de-by-2.0": ("Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
                     "https://www.govdata.de/dl-de/by-2-0", True),
    "dl-de-zero-2.0": ("Datenlizenz Deutschland – Zero – Version 2.0 (dl-de/zero-2-0)",
                       "https://www.govdata.de/dl-de/zero-2-0", False),
}
DEFAULT_LICENCE = "cc-by-4.0"
UNKNOWN_LICENCE = _l("Diese Lizenz gibt es hier nicht.")

IDEA_COLUMNS = ("id", "text", "language", "text_de", "text_de_machine_translated", "event", "event_title",
                "event_format", "origin", "round", "table", "written_on", "action_field", "status", "merged_into",
                "dots", "goal_nodes")
FIELD_COLUMNS = ("id", "name_de", "description_de", "keywords", "colour", "ideas", "dots")
NODE_COLUMNS = ("id", "parent", "depth", "kind", "title_de", "description_de", "status", "starts_on", "ends_on",
                "weight", "progress", "action_field", "ideas")
INDICATOR_COLUMNS = ("id", "node", "name_de", "unit", "data_source", "baseline_value", "baseline_on",
                     "target_value", "target_on", "progress")
VALUE_COLUMNS = ("indicator", "date", "value")


def _cell(value, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # identifiers apart by spaces; keywords, which may hold spaces, by "|"
        return spreadsheet_safe((" | " if column == "keywords" else " ").join(str(v) for v in value))
    if isinstance(value, str):
        return spreadsheet_safe(value)  # a citizen's "=…" stays text when the file is opened in Excel
    return str(value)


def _german(texts: dict) -> str:
    return localized(texts, "de")[0]  # German, else whichever language there is


def _csv(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column), column) for column in columns])
    return out.getvalue().encode("utf-8")


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _tables(data: OpenData) -> dict[str, tuple[list[dict], list[dict], tuple[str, ...]]]:
    """name → (rows for JSON, rows for CSV, CSV columns)."""
    fields_csv = [{**f, "name_de": _german(f["name"]), "description_de": _german(f["description"])}
                  for f in data.action_fields]
    nodes_csv = [{**n, "title_de": _german(n["title"]), "description_de": _german(n["description"])}
                 for n in data.nodes]
    indicators_csv = [{**i, "name_de": _german(i["name"])} for i in data.indicators]
    return {
        "ideas": (data.ideas, data.ideas, IDEA_COLUMNS),
        "action_fields": (data.action_fields, fields_csv, FIELD_COLUMNS),
        "goal_tree": (data.nodes, nodes_csv, NODE_COLUMNS),
        "indicators": (data.indicators, indicators_csv, INDICATOR_COLUMNS),
        "indicator_values": (data.values, data.values, VALUE_COLUMNS),
    }


def _descriptions() -> dict[str, str]:
    return {
        "ideas": _("Die Ideen der Bürgerinnen und Bürger, ohne Namen: Originaltext, Sprache, deutsche "
                   "Übersetzung, Veranstaltung, Runde, Tisch, Tag, Handlungsfeld, Stand der Bearbeitung, "
                   "Klebepunkte und die Knoten des Zielbaums, in die sie eingegangen sind."),
        "action_fields": _("Die Handlungsfelder mit Schlagwörtern, Farbe, Zahl der Ideen und Klebepunkte."),
        "goal_tree": _("Der Zielbaum: Leitziel, Handlungsfelder, Ziele, Teilziele und Maßnahmen mit Status, "
                       "Zeitraum und Fortschritt; „parent“ verweist auf den übergeordneten Knoten."),
        "indicators": _("Die Indikatoren der Knoten mit Ausgangs- und Zielwert."),
        "indicator_values": _("Die gemessenen Werte der Indikatoren nach Datum."),
    }


def _readme(data: OpenData, licence: str, attribution: str, names: list[str]) -> str:
    title, url, needs_attribution = LICENCES[licence]
    descriptions = _descriptions()
    # Headings joined outside the calls: pybabel does not look inside f-strings.
    heading = _("Offene Daten: %(title)s", title=data.process.title)
    lines = ["# " + heading, "", _("Exportiert am %(date)s.", date=date.today().isoformat()), ""]
    if data.process.description:
        lines += [data.process.description, ""]
    lines += ["## " + _("Dateien"), ""]
    for name in names:
        lines.append(f"- `{name}.csv`, `{name}.json`: {descriptions[name]}")
    lines += ["- `datapackage.json`: " + _("Beschreibung des Pakets für Datenportale (Frictionless Data Package)."),
              "", "## " + _("Format"), "",
              _("CSV nach RFC 4180: UTF-8, Komma als Trennzeichen, eine Kopfzeile. Listen stehen in einer Zelle: "
                "Kennungen (etwa die Knoten einer Idee) durch Leerzeichen getrennt, Schlagwörter durch „|“. Ein "
                "Text, der mit =, +, - oder @ beginnt, steht mit einem Apostroph davor, damit Tabellenprogramme "
                "ihn nicht als Formel ausführen. Die JSON-Dateien enthalten dieselben Zeilen unverändert, Texte in "
                "allen vorhandenen Sprachen. Kennungen sind UUIDs und verweisen zwischen den Dateien aufeinander."),
              "",
              "## " + _("Datenschutz"), "",
              _("Das Paket enthält keine personenbezogenen Daten: keine Namen, Spitznamen, E-Mail-Adressen, "
                "Links oder Zugangsschlüssel, keine Verantwortlichen und keine ausgeblendeten Ideen."),
              _("Sprache, Tisch, Runde und Tag einer Idee stehen nur dort, wo mindestens %(num)d Ideen derselben "
                "Veranstaltung sie teilen, allein und zusammen; sonst ist die Zelle leer.", num=MIN_GROUP), "",
              "## " + _("Lizenz"), "", f"{title}: {url}"]
    if needs_attribution and attribution:
        lines += ["", _("Namensnennung: %(source)s", source=attribution)]
    return "\n".join(lines) + "\n"


def _licence_text(licence: str, attribution: str) -> str:
    title, url, needs_attribution = LICENCES[licence]
    text = f"{title}\n{url}\n"
    if needs_attribution and attribution:
        text += "\n" + _("Namensnennung: %(source)s", source=attribution) + "\n"
    return text


def _datapackage(data: OpenData, licence: str, attribution: str, names: list[str]) -> dict:
    title, url, _attribution = LICENCES[licence]
    return {
        "profile": "data-package", "name": f"process-{data.process.uuid}", "title": data.process.title,
        "created": date.today().isoformat(),
        "licenses": [{"name": licence, "path": url, "title": title}],
        **({"sources": [{"title": attribution}]} if attribution else {}),
        "resources": [resource for name in names for resource in (
            {"name": f"{name}-csv", "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8"},
            {"name": f"{name}-json", "path": f"{name}.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8"})],
    }


def package_files(data: OpenData, *, licence: str = DEFAULT_LICENCE, attribution: str = "",
                  language: str = "de") -> dict[str, bytes]:
    """File name → content, the README in `language`."""
    if licence not in LICENCES:
        from app.services.errors import DomainError
        raise DomainError(UNKNOWN_LICENCE)
    attribution = " ".join(attribution.split())[:300]
    tables = _tables(data)
    files = {}
    for name, (json_rows, csv_rows, columns) in tables.items():
        files[f"{name}.csv"] = _csv(csv_rows, columns)
        files[f"{name}.json"] = _json(json_rows)
    with force_locale(locale_for(language)):
        files["README.md"] = _readme(data, licence, attribution, list(tables)).encode("utf-8")
        files["LICENSE.txt"] = _licence_text(licence, attribution).encode("utf-8")
    files["datapackage.json"] = _json(_datapackage(data, licence, attribution, list(tables)))
    return files


def package_zip(files: dict[str, bytes], folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return buffer.getvalue()
