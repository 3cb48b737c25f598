"""The vote page's list of groups (one table of one round each), made in Python.

A hall of 125 tables in three rounds gives the list some 375 choices. Rendered by the template,
with a translation looked up per choice, they cost the page more than everything else on it;
here each sentence is translated once and filled in per choice.
"""
from flask_babel import get_translations
from markupsafe import Markup


def group_options(groups, selected_key: str | None, no_round, no_table) -> Markup:
    """`<optgroup>`s by round with an `<option>` per group: its table, its ideas, the phone's dots.

    `no_round` and `no_table` may come from the template already escaped (Markup); Markup's
    formatting escapes plain text once and leaves those as they are.
    """
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
                parts.append(Markup("</optgroup>"))
            label = round_label % {"number": group.round.number} if group.round else no_round
            parts.append(Markup('<optgroup label="{}">').format(label))
            current = group.round
        count = ideas_labels.get(group.ideas)
        if count is None:
            count = ideas_labels[group.ideas] = translations.ngettext(
                "%(num)d Idee", "%(num)d Ideen", group.ideas) % {"num": group.ideas}
        table = table_label % {"number": group.table.number} if group.table else no_table
        text = Markup("{} · {}").format(table, count)
        if group.own_dots:
            text += Markup(" · {}").format(dots_label % {"n": group.own_dots})
        selected = Markup(" selected") if group.key == selected_key else ""
        parts.append(Markup('<option value="{}"{}>{}</option>').format(group.key, selected, text))
    if parts:
        parts.append(Markup("</optgroup>"))
    return Markup("\n").join(parts)
