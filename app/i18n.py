"""Which language a page speaks, and the names of languages in themselves."""
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale

from app.models.base import localized

LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600
RTL_LANGUAGES = {"ar", "fa", "ps", "ckb", "he", "ur"}

# Languages people write ideas in, each named in itself; the shipped interface languages are a subset.
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "de-simple": "Einfache Sprache",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
    "ro": "Română",
    "bg": "Български",
    "sq": "Shqip",
    "sr": "Srpski",
    "hr": "Hrvatski",
    "bs": "Bosanski",
    "el": "Ελληνικά",
    "it": "Italiano",
    "es": "Español",
    "pt": "Português",
    "fr": "Français",
    "nl": "Nederlands",
    "fa": "فارسی",
    "ps": "پښتو",
    "ckb": "کوردی (سۆرانی)",
    "ku": "Kurdî (Kurmancî)",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "am": "አማርኛ",
    "ur": "اردو",
    "hi": "हिन्दी",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "ta": "தமிழ்",
    "he": "עברית",
}


def shipped_languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The explicit choice, else the phone's Accept-Language, else the event's default, else German."""
    if not has_request_context():  # the CLI speaks the source language
        return "de"
    shipped = shipped_languages()
    choice = request.cookies.get(LANGUAGE_COOKIE)
    if choice in shipped:
        return choice
    best = request.accept_languages.best_match(shipped)
    if best:
        return best
    event = g.get("event")
    if event is not None and event.default_language in shipped:
        return event.default_language
    return "de"


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def init_i18n(app: Flask) -> None:
    @app.context_processor
    def language_context():
        locale = str(get_locale() or "de")
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "shipped_languages": [(code, LANGUAGE_NAMES[code]) for code in shipped_languages()],
            "language_name": lambda code: LANGUAGE_NAMES.get(code, code),
            "direction_of": text_direction,
            "localized": localized,
        }
