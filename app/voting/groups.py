"""The vote page's list of groups (one table of one round each), made in Python.

A hall of 125 tables in three rounds gives the list some 375 choices. Rendered by the template,
with a translation looked up per choice, they cost the page more than everything else on it;
here each sentence is translated once and filled in per choice.
"""
from flask_babel import get_translations
from markupsafe import Markup, escape


def group_options(groups, selected_key: str | None, no_round: str, no_table: str) -> Markup:
    """`<optgroup>`s by round with an `<option>` per group: its table, its ideas, the phone's dots."""
    translations = get_translations()
    round_label = translations.gettext("Runde %(number)d")
    table_label = translations.gettext("Tisch %(number)d")
    # Translators: vote page, how many of their dots the participant gave to ideas of this table and round.
    dots_label = translations.gettext("Ihre Punkte: %(n)d")
    ideas_labels: dict[int, str] = {}
    parts, current = [], object()
    for group in groups:
        if group.round != current:
            if parts:
                parts.append("</optgroup>")
            label = round_label % {"number": group.round.number} if group.round else no_round
            parts.append(f'<optgroup label="{escape(label)}">')
            current = group.round
        count = ideas_labels.get(group.ideas)
        if count is None:
            count = ideas_labels[group.ideas] = translations.ngettext(
                "%(num)d Idee", "%(num)d Ideen", group.ideas) % {"num": group.ideas}
        text = f"{table_label % {'number': group.table.number} if group.table else no_table} · {count}"
        if group.own_dots:
            text += " · " + dots_label % {"n": group.own_dots}
        selected = " selected" if group.key == selected_key else ""
        parts.append(f'<option value="{escape(group.key)}"{selected}>{escape(text)}</option>')
    if parts:
        parts.append("</optgroup>")
    return Markup("\n".join(parts))
