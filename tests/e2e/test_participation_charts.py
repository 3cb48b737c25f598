"""In a real browser on a 360-px phone, in German and in Arabic: the participation report's charts load
as images under the pages' policy, from this server only, and the page never scrolls sideways."""
import os

import pytest

from tests.e2e.test_csp_and_limits import csp_violations
from tests.test_participation_report import build_cafe

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder to keep the pages in, to look at them


def test_charts_load_and_fit_a_phone_in_german_and_arabic(app, make, phones):
    event, _online, organiser = build_cafe(app, make)
    for language in ("de", "ar"):
        staff = phones(language)
        violations = csp_violations(staff)
        login = staff.open(f"/lang/{language}?next=/auth/login")
        login.fill("#email", organiser.email)
        login.fill("#password", organiser.password)
        login.locator("form button[type=submit]").click()
        login.wait_for_url("**/organise/**")
        page = staff.open(f"/organise/events/{event.id}/participation")
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        for image in page.locator("img.chart").all():  # lazy: each loads when it comes near
            image.scroll_into_view_if_needed()
        sizes = []
        for _attempt in range(50):
            sizes = page.eval_on_selector_all("img.chart", "images => images.map(i => [i.naturalWidth, i.clientWidth])")
            if sizes and all(natural for natural, _shown in sizes):
                break
            page.wait_for_timeout(100)
        assert len(sizes) == 5 and all(natural > 0 and 0 < shown <= 360 for natural, shown in sizes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, f"participation-{language}.png"), full_page=True)
        assert violations == [] and staff.foreign_requests() == []
