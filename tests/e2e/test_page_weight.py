"""The participant's pages stay light on venue Wi-Fi (issue 14): on the demo, read from Chromium's
network log up to the load event, live polls left out.

First visit, empty cache: at most 20 KB transferred with CSS, JS and favicon (the HTML alone at
most 14 KB, one round trip of a fresh connection), at most 4 requests, none to another host.
Repeat visit: at most 10 KB, since static files carry hashed names and are kept for a year.
"""
from urllib.parse import urlsplit

import pytest

from app.delivery import DIGESTED
from app.extensions import db
from app.models import Contribution, Event, Participant
from app.services.cafe import voting
from app.services.administration.demo import seed_demo
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

FIRST_VISIT_BYTES = 20 * 1024
HTML_BYTES = 14 * 1024
REPEAT_VISIT_BYTES = 10 * 1024
MAX_REQUESTS = 4
LIVE_PATHS = ("/live", "/fragment", "/csrf")  # what the page's script asks for once it runs


class NetworkLog:
    """Chromium's own account of one page's requests: URL, status, bytes on the wire."""

    def __init__(self, context, page):
        self.page = page
        self.requests = {}
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.responseReceived", self._received)
        self.session.on("Network.loadingFinished", self._finished)
        self.session.on("Network.requestServedFromCache", self._from_cache)

    def _sent(self, event):
        self.requests[event["requestId"]] = {"url": event["request"]["url"], "bytes": 0, "type": event.get("type"),
                                             "encoding": None, "status": None, "cached": False}

    def _received(self, event):
        request = self.requests.get(event["requestId"])
        if request is not None:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            request.update(status=event["response"]["status"], encoding=headers.get("content-encoding"),
                           cached=request["cached"] or event["response"].get("fromDiskCache", False))

    def _finished(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def _from_cache(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["cached"] = True

    def visit(self, url):
        """Open `url`, wait for the load event and the favicon; the page's requests but live polls."""
        self.requests.clear()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(500)  # the favicon is asked for after the load event
        return [r for r in self.requests.values() if not urlsplit(r["url"]).path.endswith(LIVE_PATHS)]


@pytest.fixture
def demo(app):
    """The demo with its vote open, as a participant sees it after the rounds."""
    with app.app_context():
        result = seed_demo("")
        event = result.event
        voting.open_vote(event, 5, 3)
        # The richest "my ideas" page: a participant whose idea went into the goal tree.
        author = db.session.scalar(
            db.select(Participant).join(Contribution, Contribution.participant_id == Participant.id)
            .where(Contribution.event_id == event.id, Contribution.status == "in_goal_tree").limit(1))
        db.session.commit()
        return {"code": event.code, "return_token": author.token}


def report(name, requests):
    lines = [f"  {r['bytes']:>6} {r['status']} {r['encoding'] or '-':>4} {'cache' if r['cached'] else '':5} {r['url']}"
             for r in requests]
    return f"{name}: {sum(r['bytes'] for r in requests)} bytes in {len(requests)} requests\n" + "\n".join(lines)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_participant_pages_stay_light(browser, live_server, demo, language):
    host = urlsplit(live_server).netloc
    code = demo["code"]
    joined = browser.new_context(viewport=PHONE, locale=language, is_mobile=True,
                                 extra_http_headers={"Accept-Language": language})
    page = joined.new_page()
    page.goto(f"{live_server}/j/{code}/1")
    page.locator("form.join button[type=submit], main form button[type=submit]").first.click()
    page.wait_for_url(f"**/e/{code}")
    cookies = joined.cookies()
    joined.close()

    pages = {
        "join": (f"/j/{code}/1", False),
        "table": (f"/e/{code}", True),
        "vote": (f"/e/{code}/vote", True),
        "my ideas": (f"/r/{demo['return_token']}", False),
    }
    reports = []
    failures = []
    for name, (path, needs_cookie) in pages.items():
        context = browser.new_context(viewport=PHONE, locale=language, is_mobile=True,
                                      extra_http_headers={"Accept-Language": language})
        if needs_cookie:
            context.add_cookies(cookies)
        log = NetworkLog(context, context.new_page())
        first = log.visit(live_server + path)
        repeat = log.visit(live_server + path)
        context.close()

        reports += [report(f"{name} first visit", first), report(f"{name} repeat visit", repeat)]
        html = [r for r in first if r["type"] == "Document"]
        total, again = sum(r["bytes"] for r in first), sum(r["bytes"] for r in repeat)
        if len(html) != 1 or html[0]["status"] != 200 or html[0]["bytes"] > HTML_BYTES:
            failures.append(f"{name}: HTML {html}")
        if total > FIRST_VISIT_BYTES or len(first) > MAX_REQUESTS:
            failures.append(f"{name}: first visit {total} bytes in {len(first)} requests")
        if again > REPEAT_VISIT_BYTES:
            failures.append(f"{name}: repeat visit {again} bytes")
        if any(urlsplit(r["url"]).netloc != host for r in first + repeat if r["url"].startswith("http")):
            failures.append(f"{name}: a request to another host")
        static = [r for r in first if "/static/" in r["url"]]
        if sorted(urlsplit(r["url"]).path.rsplit(".", 1)[1] for r in static) != ["css", "js", "svg"]:
            failures.append(f"{name}: not one stylesheet, one script and the favicon")
        if not all(DIGESTED.search(r["url"]) for r in static):
            failures.append(f"{name}: static files not under hashed names: run `make static`")
        if any(r["encoding"] not in ("br", "gzip", "zstd") for r in first if not r["url"].endswith(".svg")):
            failures.append(f"{name}: a text answer went out uncompressed")
    print("\n".join(reports))
    assert not failures, "\n".join(failures + reports)
