"""axe-core in the browser tests: every page a journey reaches is checked against WCAG 2.1 A and AA.

axe-core comes from npm (package.json, pinned in package-lock.json; `make test` runs `npm ci`). The
app's CSP allows no injected script, so the pages checked are opened in a context that bypasses
it (`Phone(..., axe=True)`); what the app serves stays as it is.
"""
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_axe() -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci, run by make test; npm missing?): accessibility checks skipped")


def violations(page) -> list[str]:
    """What axe-core finds on the page as it is now, one line per rule with a few of its elements."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
        .then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))""",
                          TAGS)
    return found


def assert_accessible(page, where: str) -> None:
    found = violations(page)
    assert not found, f"{where} ({page.url}): " + "; ".join(found)


def assert_fits_width(page, where: str, width: int = 320) -> None:
    """No horizontal scrolling on a phone `width` CSS pixels wide."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{where} ({page.url}) is {scroll} px wide at {width} px"
