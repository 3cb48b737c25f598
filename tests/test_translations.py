"""Every shipped language is complete: each message of the code has a non-fuzzy translation."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with open(pot, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", [lang for lang in Config.LANGUAGES if lang != "de"])
def test_shipped_language_is_complete(extracted, language):
    from app.languages import babel_name

    with open(ROOT / "translations" / babel_name(language) / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=babel_name(language))
    done = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            done.add(message.id if isinstance(message.id, str) else message.id[0])
    assert extracted, "no messages extracted: check babel.cfg"
    assert sorted(extracted - done) == []


CATALOGS = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.parts[-3])
def test_gnu_msgfmt_accepts_every_catalog(catalog):
    """GNU msgfmt --check: syntax, headers, plural forms and the same placeholders as the source."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed: apt-get install gettext")
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, str(catalog)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert "#~" not in catalog.read_text(encoding="utf-8"), "obsolete entries: run `flask translate update`"


def test_every_interface_language_has_a_catalog():
    """German is the source language: its pages show the messages as written, no catalog needed."""
    from app.languages import babel_name

    assert not (ROOT / "translations" / "de").exists()
    for code in set(Config.LANGUAGES) - {"de"}:
        assert (ROOT / "translations" / babel_name(code) / "LC_MESSAGES" / "messages.po").exists(), code


@pytest.mark.parametrize("count, expected", [(0, "لا أحد"), (1, "شخص واحد"), (2, "شخصان"), (3, "3 أشخاص"),
                                             (11, "11 شخصًا"), (99, "99 شخصًا"), (100, "100 شخص"),
                                             (102, "102 شخص"), (111, "111 شخصًا")])
def test_arabic_plurals_follow_the_usual_gettext_order(app, count, expected):
    """Form 4 is 11-99 ("many"), form 5 everything else from 100: the order every Arabic entry is written in."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("ar"):
        assert ngettext("%(num)d Person", "%(num)d Personen", count) == expected


PLACEHOLDER = __import__("re").compile(r"%\([a-z_]+\)[sd]|%%")


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.parts[-3])
def test_every_translation_keeps_the_placeholders_of_the_german(catalog):
    """A missing %(name)s drops a value from the sentence; an extra one breaks it. A plural form may
    leave out only the number (Arabic says "two people", not "2 people")."""
    with open(catalog, "rb") as handle:
        messages = read_po(handle)
    wrong = []
    for message in messages:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            allowed = set(PLACEHOLDER.findall(message.id[0])) | set(PLACEHOLDER.findall(message.id[1]))
            needed = set(PLACEHOLDER.findall(message.id[1])) - {"%(num)d"}
            forms = message.string
        else:
            allowed = needed = set(PLACEHOLDER.findall(message.id))
            forms = (message.string,)
        for form in forms:
            found = set(PLACEHOLDER.findall(form))
            if found - allowed or needed - found:
                wrong.append((message.id, form))
    assert wrong == []
