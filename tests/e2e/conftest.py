"""Browser tests: the app served on a free local port, Debian's Chromium driven by Playwright.

Skipped with a message where no Chromium is installed (`apt-get install chromium`).
"""
import logging
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            # This machine has no internet: keep Chromium from calling home at all.
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app, served from a thread on 127.0.0.1; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per poll in the test output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class Phone:
    """One phone: its own browser context (cookies, storage), a 360-px screen, and a request log."""

    def __init__(self, browser, base_url, language, *, viewport=None, axe=False):
        """`viewport` another screen (a laptop: no touch); `axe` lets tests/e2e/axe.py inject axe-core
        past the app's CSP."""
        self.base_url = base_url
        mobile = viewport is None or viewport["width"] < 600
        self.context = browser.new_context(viewport=viewport or PHONE, locale=language, is_mobile=mobile,
                                           has_touch=mobile, bypass_csp=axe, accept_downloads=True,
                                           extra_http_headers={"Accept-Language": language})
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()

    def open(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own]


@pytest.fixture
def phones(browser, live_server):
    made = []

    def make_phone(language="de", **options):
        phone = Phone(browser, live_server, language, **options)
        made.append(phone)
        return phone

    yield make_phone
    for phone in made:
        phone.context.close()
