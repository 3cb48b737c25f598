"""What users typed, inside the app's own sentences (the notices after a change): isolated and
marked with its language, so „Gesundheit“ keeps its place in an Arabic sentence and is read with a
German voice. Templates do the same with the macros of templates/macros/text.html.

A notice is built as `Markup(_("… „%(name)s“ …", name=isolated(name, language)))`: every text
value goes through `isolated` (which escapes it), numbers as they are.
"""
from markupsafe import Markup

from app.i18n import text_direction
from app.models.base import localized


def isolated(text: str, language: str) -> Markup:
    """`text`, escaped, in a <bdi> that names its language and direction."""
    return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(language, text_direction(language), text)


def isolated_in(texts: dict | None, locale: str, fallback: str = "de") -> Markup:
    """A translatable text in `locale` where it exists, else in `fallback`, isolated."""
    return isolated(*localized(texts, locale, fallback))
