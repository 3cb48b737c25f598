"""Issue 23 in a real browser on a 360-px phone: Persian and Pashto pages run right to left, and
Tigrinya's Ethiopic letters are drawn by an installed font (no web font, no empty boxes), through
join, the table page and the vote page."""
import os

import pytest

from app.extensions import db
from app.models import Event

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder to keep the pages in, to look at them


def fonts_drawing(page, selector: str) -> list[str]:
    """The installed fonts Chromium used for the text of the first element matching `selector`."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [font["familyName"] for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


def walk(phone, code: str, language: str):
    """Join at table 1, then the table and the vote page: (name, page) for each as it stands."""
    page = phone.open(f"/lang/{language}?next=/j/{code}/1")
    assert page.get_attribute("html", "lang") == language
    yield "join", page
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"**/e/{code}")
    yield "table", page
    page.goto(phone.base_url + f"/e/{code}/vote")
    yield "vote", page


@pytest.mark.parametrize("language", ["fa", "ps"])
def test_persian_and_pashto_pages_run_right_to_left(app, make, phones, language):
    event = make.event(tables=2, rounds=1, languages=("de", language))
    phone = phones(language)
    for name, page in walk(phone, event.code, language):
        assert page.get_attribute("html", "dir") == "rtl"
        heading = page.locator("h1").first.bounding_box()
        assert heading["x"] + heading["width"] > 300  # set from the right edge
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, f"scripts-{language}-{name}.png"), full_page=True)
    assert phone.foreign_requests() == []


def test_tigrinya_is_drawn_by_an_installed_ethiopic_font(app, make, phones):
    event = make.event(tables=2, rounds=1, languages=("de", "ti"))
    with app.app_context():
        round_ = db.session.get(Event, event.id).rounds[0]
        round_.question = {**round_.question, "ti": "ብኸመይ ብሓባር ክንነብር ንኽእል?"}
        db.session.commit()
    phone = phones("ti")
    for name, page in walk(phone, event.code, "ti"):
        assert page.get_attribute("html", "dir") == "ltr"
        fonts = fonts_drawing(page, "h1") + (fonts_drawing(page, ".question") if name == "table" else [])
        assert fonts and any("Ethiopic" in font or font in ("Abyssinica SIL", "Kefa", "Nyala") for font in fonts), fonts
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, f"scripts-ti-{name}.png"), full_page=True)
    assert not any("font" in url for url in phone.requests) and phone.foreign_requests() == []
