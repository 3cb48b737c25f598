"""The `<option>`s of a select of an event's tables, made in Python.

A hall has up to a few hundred tables; the template made each option through a macro with a
translation, which cost a phone's table page more than the rest of it.
"""
from flask_babel import get_translations
from markupsafe import Markup, escape

from app.i18n import text_direction


def table_options(tables, language: str, selected_id: int | None = None, by_id: bool = False) -> Markup:
    """One option per table, valued by its number (or id, `by_id`). An option cannot hold a <bdi>,
    so a named table is offered as "3 · Name" in the name's language (the event's); an unnamed
    one as "Tisch 3" in the page's."""
    label = get_translations().gettext("Tisch %(number)d")
    direction = text_direction(language)
    parts = []
    for table in tables:
        value = table.id if by_id else table.number
        selected = " selected" if table.id == selected_id else ""
        if table.name:
            parts.append(f'<option value="{value}"{selected} lang="{escape(language)}" dir="{direction}">'
                         f'{table.number} · {escape(table.name)}</option>')
        else:
            parts.append(f'<option value="{value}"{selected}>{escape(label % {"number": table.number})}</option>')
    return Markup("".join(parts))
