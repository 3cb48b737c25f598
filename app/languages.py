"""The languages the app knows, as data: adding an interface language is a catalog plus one line here.

Each language has one stored code, used in the database, cookies, forms and as the HTML `lang`
value (a BCP 47 tag). Babel names its catalogs differently only where BCP 47 has no registered
tag: Einfache Sprache is stored and marked up as `de-x-simple` (a private-use tag whose base
language `de` makes screen readers use a German voice) and its catalog lives in
`translations/de@simple/`, which Babel reads as German with the modifier `simple`, so dates and
numbers are formatted as in German and a missing message falls back to German.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str            # stored code and BCP 47 tag
    name: str            # the language named in itself
    rtl: bool = False
    interface: bool = False  # a complete catalog ships under translations/<catalog>/
    catalog: str = ""    # Babel's name for the catalog where it differs from the code

    @property
    def babel_name(self) -> str:
        return self.catalog or self.code


# Order: German first, then the interface languages, then the others roughly by how many
# newcomers and residents in North Rhine-Westphalia write them.
LANGUAGES = (
    Language("de", "Deutsch", interface=True),
    Language("en", "English", interface=True),
    Language("ar", "العربية", rtl=True, interface=True),
    Language("uk", "Українська", interface=True),
    Language("tr", "Türkçe", interface=True),
    Language("de-x-simple", "Einfache Sprache", catalog="de@simple", interface=True),
    Language("ru", "Русский", interface=True),
    Language("pl", "Polski", interface=True),
    Language("ro", "Română", interface=True),
    Language("fa", "فارسی", rtl=True, interface=True),
    Language("prs", "دری", rtl=True),
    Language("ps", "پښتو", rtl=True, interface=True),
    Language("ku", "Kurdî (Kurmancî)", interface=True),
    Language("ckb", "کوردی (سۆرانی)", rtl=True),
    Language("ti", "ትግርኛ", interface=True),
    Language("so", "Soomaali"),
    Language("am", "አማርኛ"),
    Language("bg", "Български"),
    Language("sq", "Shqip"),
    Language("sr", "Srpski"),
    Language("hr", "Hrvatski"),
    Language("bs", "Bosanski"),
    Language("el", "Ελληνικά"),
    Language("it", "Italiano"),
    Language("es", "Español"),
    Language("pt", "Português"),
    Language("fr", "Français"),
    Language("nl", "Nederlands"),
    Language("ur", "اردو", rtl=True),
    Language("hi", "हिन्दी"),
    Language("vi", "Tiếng Việt"),
    Language("zh", "中文"),
    Language("ta", "தமிழ்"),
    Language("he", "עברית", rtl=True),
)

BY_CODE = {language.code: language for language in LANGUAGES}
BY_BABEL_NAME = {language.babel_name: language.code for language in LANGUAGES}
RTL_BASES = {language.code.split("-")[0] for language in LANGUAGES if language.rtl}

# A language a phone asks for that is served by another one's catalog (Dari by Persian).
SERVED_BY = {"prs": "fa", "fa-af": "fa"}


def interface_codes() -> list[str]:
    return [language.code for language in LANGUAGES if language.interface]


def name_of(code: str) -> str:
    language = BY_CODE.get(code)
    return language.name if language else code


def is_rtl(code: str) -> bool:
    language = BY_CODE.get(code)
    if language is not None:
        return language.rtl
    return code.split("-")[0].lower() in RTL_BASES


def babel_name(code: str) -> str:
    language = BY_CODE.get(code)
    return language.babel_name if language else code


def locale_for(code: str) -> str:
    """The Babel locale to translate and format in for a stored code (an export's language, a
    process's default): its catalog's name where the interface speaks it (Dari through Persian),
    else German, the source, so that `force_locale` never meets a code Babel cannot parse."""
    language = BY_CODE.get(SERVED_BY.get(code.lower(), code))
    return language.babel_name if language is not None and language.interface else "de"


def from_babel(name: str) -> str:
    """The stored code of a Babel locale name (`de@simple` → `de-x-simple`)."""
    return BY_BABEL_NAME.get(name, name)
