"""Every shipped language is complete: each message of the code has a non-fuzzy translation."""
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
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=language)
    done = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            done.add(message.id if isinstance(message.id, str) else message.id[0])
    assert extracted, "no messages extracted: check babel.cfg"
    assert sorted(extracted - done) == []
