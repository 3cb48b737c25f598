"""Which language a text is written in, by py3langid (its model ships inside the package).

Only a hint for interpreters: the writer's choice stays the idea's language. The detector speaks
only where it is sure, since short texts are often ambiguous ("Kita", "Internet").
"""
from functools import lru_cache

from app.languages import BY_CODE, SERVED_BY

MIN_LETTERS = 15
MIN_PROBABILITY = 0.95


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = {code.split("-")[0] for code in BY_CODE}
    identifier.set_languages(sorted(known & set(identifier.nb_classes)))
    return identifier


def detect(text: str) -> tuple[str, float] | None:
    """The language of `text` and the detector's probability, or None where the text is too short."""
    if sum(ch.isalpha() for ch in text or "") < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(text)
    return language, float(probability)


def disagrees(text: str, language: str) -> str | None:
    """The language the detector is sure of when it is not the one the writer chose, else None."""
    found = detect(text)
    if found is None or found[1] < MIN_PROBABILITY:
        return None
    # Einfache Sprache is German to the detector, Dari is Persian.
    chosen = SERVED_BY.get(language, language).split("-")[0]
    return found[0] if found[0] != chosen else None
