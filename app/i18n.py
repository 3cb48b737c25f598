"""Which language a page speaks, and the names of languages in themselves.

The languages themselves are data in `app/languages.py`; this module picks one per request.
"""
from babel.lists import format_list
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from app.languages import BY_CODE, SERVED_BY, babel_name, from_babel, is_rtl, name_of
from app.models.base import localized

LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600

# Every language people may write in, each named in itself; the interface languages are a subset.
LANGUAGE_NAMES = {code: language.name for code, language in BY_CODE.items()}


def shipped_languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def match_language(tag: str, shipped: list[str]) -> str | None:
    """The shipped language that serves a phone's language tag: `uk-UA` → `uk`, Dari → Persian."""
    tag = tag.strip().replace("_", "-").lower()
    base = tag.split("-")[0]
    for candidate in (tag, SERVED_BY.get(tag), base, SERVED_BY.get(base)):
        if candidate is None:
            continue
        for code in shipped:
            if code.lower() == candidate:
                return code
    return None


def best_language(shipped: list[str], accepted, event_default: str | None) -> str:
    """The first of the phone's languages that is shipped (in its order of preference, so a phone
    listing Farsi and then English gets English), else the event's default, else German."""
    for tag, quality in accepted:
        if quality <= 0:  # "q=0": not acceptable
            continue
        found = match_language(tag, shipped)
        if found:
            return found
    if event_default in shipped:
        return event_default
    return "de"


def current_language() -> str:
    """The stored code of the page's language (`de-x-simple`, not Babel's `de@simple`)."""
    return from_babel(str(get_locale() or "de"))


def chosen_language(shipped: list[str], choice: str | None, accepted, event_default: str | None) -> str:
    """The stored code of the page's language: the explicit choice (the language cookie) if shipped,
    else the phone's Accept-Language, else the event's default, else German. Needs no request, so
    the live poll answered before Flask runs picks the same language as the page."""
    return choice if choice in shipped else best_language(shipped, accepted, event_default)


def select_locale() -> str:
    """The explicit choice, else the phone's Accept-Language, else the event's default, else German.

    Returns Babel's name of the language, which differs from the stored code for Einfache Sprache.
    """
    if not has_request_context():  # the CLI speaks the source language
        return "de"
    event = g.get("event")
    # Pages of no event may name a default of their own (an actor's link: its process's language).
    default = event.default_language if event is not None else g.get("default_language")
    return babel_name(chosen_language(shipped_languages(), request.cookies.get(LANGUAGE_COOKIE),
                                      request.accept_languages, default))


def text_direction(language: str) -> str:
    return "rtl" if is_rtl(language or "") else "ltr"


def language_choices(codes=None) -> list[tuple[str, str, dict]]:
    """Choices for a select of languages, each option named in itself and marked with its language."""
    codes = LANGUAGE_NAMES if codes is None else codes
    return [(code, name_of(code), {"lang": code, "dir": text_direction(code)}) for code in codes]


def list_of(items) -> Markup:
    """Items (text or markup) joined as the page's language lists things: "A, B und C", "A، B وC"."""
    items = [escape(item) for item in items]
    tokens = [f"\x00{n}\x00" for n in range(len(items))]
    text = str(escape(format_list(tokens, locale=get_locale() or "de")))
    for token, item in zip(tokens, items):
        text = text.replace(token, str(item))
    return Markup(text)


def languages_list(codes) -> Markup:
    """Language names, each named in itself and marked with its language, listed as the page lists."""
    return list_of(Markup('<bdi lang="{0}" dir="{1}">{2}</bdi>').format(code, text_direction(code), name_of(code))
                   for code in codes)


def init_i18n(app: Flask) -> None:
    from app.services.multilingual.translations import shown
    from app.table_options import table_options

    # Globals, so that imported macros (which see no request context) can use them too.
    app.jinja_env.globals.update(direction_of=text_direction, language_name=name_of, localized=localized,
                                 page_language=current_language, shown_idea=shown, table_options=table_options,
                                 languages_list=languages_list)

    @app.context_processor
    def language_context():
        locale = current_language()
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "shipped_languages": [(code, name_of(code)) for code in shipped_languages()],
            "language_name": name_of,
            "direction_of": text_direction,
            "localized": localized,
        }
