"""The demo's monitoring: measured values of the demo goal tree's indicators, imported from a
spreadsheet as an organiser would (services.goals.indicator_import), so their charts show imported
values. The same file is docs/examples/indicator-values.csv, the example for users.

Demo content is data, not interface text, so nothing here is marked for translation.
"""
from app.models import Process
from app.services.goals import indicator_import

FILE_NAME = "indicator-values.csv"
# German names of the demo tree's indicators (demo_goaltree.TREE); both date forms and a decimal
# comma, as spreadsheets in German offices write them; the notes are not stored.
CSV = """Indikator;Datum;Wert;Notiz
Über das Mentoring vermittelte Ausbildungsplätze;30.11.2026;27;Jobcenter, Stand Monatsende
Mittlere Dauer bis zur Anerkennung eines Abschlusses;30.11.2026;9,5;
Ortsteile mit wöchentlichem Sprachcafé;2026-11-30;5;neu: Westende
Besuche in den Quartierstreffs je Monat;30.11.2026;335;Zählung der Treffs
Haushalte in Gemeinschaftsunterkünften;30.06.2026;71;Sozialamt
Haushalte in Gemeinschaftsunterkünften;30.11.2026;64;Sozialamt
Aktive Patenschaften;30.11.2026;34;
Sprachen der Bürgerinfo;30.11.2026;8;Ziel erreicht
"""


def seed(process: Process) -> int:
    """Import CSV into the process's indicators; the number of values stored (0 when run before).

    Idempotent: rows already stored with the same value are skipped by the import's own rules, so
    a second run stores nothing. Where the file does not fit (no demo goal tree, or a value changed
    by hand since), nothing is stored either. Flushes; the caller commits.
    """
    preview = indicator_import.preview_file(process, FILE_NAME, CSV.encode("utf-8"))
    if preview.bad or not preview.new:
        return 0
    return len(indicator_import.confirm(process, indicator_import.sign(process, preview)).new)
