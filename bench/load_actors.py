"""The people of bench/load.py: phones, table hosts, the moderator with the console, a projector.

Each does what its browser does with the app's pages and app/static/app.js: forms with their CSRF
token and cookies of its own, live polls every 3 s with the ETag, the HTML fragment when the
revision moves (a new table's too), a reload when the phone sits down or leaves, an outbox that
resends an idea with its key.
"""
import asyncio
import html
import json
import random
import re
import uuid
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

import aiohttp

INPUT = re.compile(r"<input\b[^>]*>")
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
GIVE = re.compile(r'action="([^"]*/vote/[0-9a-f-]{36}/give)"')


def inputs(page: str) -> dict:
    """name -> value of the page's inputs (the first of each name)."""
    found = {}
    for tag in INPUT.findall(page):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs:
            found.setdefault(attrs["name"], html.unescape(attrs.get("value", "")))
    return found


def data_attr(page: str, name: str) -> str | None:
    match = re.search(rf'data-{name}="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def form_block(page: str, form_id: str) -> str:
    match = re.search(rf'<form\b[^>]*id="{form_id}"[^>]*>.*?</form>', page, re.S)
    return match.group(0) if match else ""


class Stats:
    """Latencies per kind of request (end time and duration, for windows), statuses and errors."""

    def __init__(self):
        self.ends = defaultdict(lambda: array("d"))
        self.times = defaultdict(lambda: array("d"))
        self.statuses = defaultdict(Counter)
        self.errors = Counter()
        self.requests = 0

    def record(self, kind: str, start: float, end: float, status, ok: bool) -> None:
        self.requests += 1
        self.ends[kind].append(end)
        self.times[kind].append(end - start)
        self.statuses[kind][status] += 1
        if not ok:
            self.errors[(kind, status)] += 1


@dataclass
class Reply:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One browser: its own connections and cookies; requests alternate over the app instances."""

    def __init__(self, run, turn: int):
        self.run = run
        self.turn = turn
        self.cookies = {}
        self.recording = True  # off for the warm-up
        run.clients.append(self)
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=4), cookie_jar=aiohttp.DummyCookieJar(), timeout=run.timeout)

    async def request(self, kind, method, path, *, expect=(200,), data=None, headers=None, split=False,
                      record=True) -> Reply | None:
        run = self.run
        record = record and self.recording
        if record and run.stats.requests >= run.max_requests:
            run.stop_all()
            return None
        base = run.bases[self.turn % len(run.bases)]
        self.turn += 1
        sent = dict(headers or ())
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        loop = asyncio.get_running_loop()
        start = loop.time()
        for attempt in (1, 2):
            try:
                async with self.session.request(method, base + path, data=data, headers=sent,
                                                allow_redirects=False) as response:
                    body = await response.read()
                break
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as error:
                # A kept-alive connection the server closed as this request went out: browsers send
                # the request again on a new connection, once.
                if attempt == 1 and not isinstance(error, aiohttp.ClientConnectorError):
                    run.reconnects += 1
                    continue
                failed = error
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                failed = error
            if record:
                run.stats.record(kind, start, loop.time(), type(failed).__name__, False)
            return None
        self.take_cookies(response.headers)
        if record:
            name = f"{kind} {response.status}" if split and response.status in expect else kind
            run.stats.record(name, start, loop.time(), response.status, response.status in expect)
        return Reply(response.status, response.headers, body)

    def take_cookies(self, headers) -> None:
        for line in headers.getall("Set-Cookie", ()):
            pair, _, attrs = line.partition(";")
            name, _, value = pair.strip().partition("=")
            attrs = attrs.lower()
            if "max-age=0" in attrs or "01 jan 1970" in attrs or "01-jan-1970" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def close(self) -> None:
        await self.session.close()


class Live:
    """The live loop of app.js: poll with the ETag, fetch the fragment when the revision moves."""

    def __init__(self, client: Client, kind: str):
        self.client, self.kind = client, kind
        self.live_url = self.fragment_url = None
        self.etag = self.revision = None
        self.state = None

    def loaded(self, page: str) -> None:
        """A page was (re)loaded: the script starts afresh, without an ETag."""
        self.live_url = data_attr(page, "live-url")
        self.fragment_url = data_attr(page, "fragment-url")
        info = re.search(r'<[^>]*id="round-info"[^>]*>', page)
        info = dict(ATTR.findall(info.group(0))) if info else {}
        # What app.js compares: the view the page shows (a shared fragment's URL), else the revision.
        if info.get("data-view"):
            self.revision = html.unescape(info["data-view"])
        else:
            self.revision = int(info["data-revision"]) if info.get("data-revision", "").isdigit() else None
        self.etag = None

    async def poll(self, record=True) -> dict | None:
        """The new state, or None on a 304 or a failure."""
        headers = {"Accept": "application/json"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        reply = await self.client.request(f"{self.kind} poll", "GET", self.live_url, headers=headers,
                                          expect=(200, 304), split=True, record=record)
        if reply is None or reply.status != 200:
            return None
        self.etag = reply.headers.get("ETag")
        self.state = json.loads(reply.body)
        return self.state

    def follow(self, state: dict) -> None:
        seen = state.get("fragment_url") or state.get("revision")
        url = state.get("fragment_url") or self.fragment_url
        if url and seen != self.revision:
            self.client.run.spawn(self.client.request(f"{self.kind} fragment", "GET", url))
        self.revision = seen


class Phone:
    def __init__(self, run, number: int, table_number: int):
        self.run, self.number, self.table_number_joined = run, number, table_number
        self.client = Client(run, number)
        self.live = Live(self.client, "phone")
        self.page = None  # "table" or "vote"
        self.table_number = None
        self.has_form = False
        self.csrf = ""
        self.outbox, self.flushing, self.ideas_made = [], False, 0
        self.seen = {}
        self.joined_at = None
        self.going_to_vote = False
        self.vote_state_on_page = None
        self.give_urls = []

    async def main(self, join_at: float) -> None:
        run = self.run
        await run.sleep_until(join_at)
        if run.stopping or run.arrivals_closed or not await self.join():
            return
        run.spawn(self.write_ideas())
        while not run.stopping:
            reload = await self.poll()
            if reload:
                await reload()
                continue
            await asyncio.sleep(run.interval)

    async def join(self) -> bool:
        code, client = self.run.code, self.client
        path = f"/j/{code}/{self.table_number_joined}"
        page = await client.request("join page", "GET", path)
        if page is None or page.status != 200:
            return False
        form = inputs(page.text)
        data = {"csrf_token": form.get("csrf_token", ""), "interface_language": "de",
                "writing_language": "de", "nickname": ""}
        reply = await client.request("join post", "POST", path, data=data, expect=(303,))
        if reply is None or reply.status != 303:
            return False
        if not await self.load_table_page():
            return False
        self.joined_at = asyncio.get_running_loop().time()
        return True

    async def load_table_page(self) -> bool:
        page = await self.client.request("table page", "GET", f"/e/{self.run.code}", headers={"Accept": "text/html"})
        if page is None or page.status != 200:
            return False
        text = page.text
        self.page = "table"
        self.live.loaded(text)
        self.table_number = None
        self.has_form = 'id="idea-form"' in text
        self.csrf = inputs(text).get("csrf_token", self.csrf)
        return True

    async def load_vote_page(self) -> None:
        page = await self.client.request("vote page", "GET", f"/e/{self.run.code}/vote", headers={"Accept": "text/html"})
        if page is None or page.status != 200:
            return
        self.page = "vote"
        self.live.loaded(page.text)
        self.vote_state_on_page = data_attr(page.text, "vote-state")
        self.csrf = inputs(page.text).get("csrf_token", self.csrf)
        self.give_urls = [html.unescape(url) for url in GIVE.findall(page.text)]
        if self.vote_state_on_page == "open" and not self.run.voted(self):
            self.run.spawn(self.give_dots())

    async def poll(self):
        """One poll; a coroutine to await first when the page must reload (as app.js does)."""
        state = await self.live.poll()
        if state is None:
            return None
        self.run.saw(self, state)
        if self.page == "vote":
            if state.get("vote_state") != self.vote_state_on_page:
                return self.load_vote_page
            return None
        table = state.get("table")
        new_table = table["number"] if table else None
        # A new table comes with the live fragment; sitting down or leaving reloads the page.
        if (self.table_number is not None and new_table is None) or (
                state.get("accepting_ideas") and not self.has_form):
            return self.load_table_page
        self.table_number = new_table
        self.live.follow(state)
        if state.get("vote_state") == "open" and not self.going_to_vote:
            self.going_to_vote = True  # a person taps "Jetzt abstimmen" a few seconds later
            self.run.spawn(self.run.later(random.uniform(2, 20), self.load_vote_page))
        return None

    async def write_ideas(self) -> None:
        """An idea about every `idea_every` seconds while the round runs; the outbox resends."""
        run, loop = self.run, asyncio.get_running_loop()
        next_idea = loop.time() + random.expovariate(1 / run.idea_every)
        while not run.stopping:
            await asyncio.sleep(max(0.05, min(next_idea - loop.time(), 10)))
            if loop.time() >= next_idea and not run.ideas_stopped:
                next_idea = loop.time() + random.expovariate(1 / run.idea_every)
                state = self.live.state
                if self.page == "table" and self.has_form and state and state.get("accepting_ideas"):
                    self.ideas_made += 1
                    text = f"[{run.tag} p{self.number}.{self.ideas_made}] Mehr Bänke und Schatten am Fluss"
                    self.outbox.append({"key": uuid.uuid4().hex, "text": text, "round_id": state["round"]["id"]})
            await self.flush()

    async def flush(self) -> None:
        if self.flushing or not self.outbox:
            return
        self.flushing = True
        try:
            while self.outbox:
                item = self.outbox[0]
                result = await self.send(item, retried=False)
                if result == "offline":
                    return  # the next wake-up (at most 10 s) tries again, with the same key
                self.outbox.pop(0)
                if result == "stored":
                    self.run.acknowledged(item["key"], item["text"])
                    if self.live.fragment_url:
                        self.run.spawn(self.client.request("phone fragment", "GET", self.live.fragment_url))
        finally:
            self.flushing = False

    async def send(self, item, retried: bool) -> str:
        data = {"csrf_token": self.csrf, "text": item["text"], "key": item["key"], "round_id": str(item["round_id"])}
        headers = {"Accept": "application/json", "X-CSRFToken": self.csrf}
        reply = await self.client.request("idea post", "POST", f"/e/{self.run.code}/ideas", data=data,
                                          headers=headers, expect=(200, 201))
        if reply is None or reply.status >= 500 or reply.status == 429:
            return "offline"
        if reply.status in (200, 201):
            return "stored"
        if reply.status == 400 and not retried:
            fresh = await self.client.request("csrf", "GET", f"/e/{self.run.code}/csrf")
            if fresh is None or fresh.status != 200:
                return "offline"
            self.csrf = json.loads(fresh.body)["csrf_token"]
            return await self.send(item, retried=True)
        return "refused"

    async def give_dots(self) -> None:
        run = self.run
        urls = random.sample(self.give_urls, min(run.dots, len(self.give_urls)))
        for url in urls:
            await asyncio.sleep(random.uniform(5, 30))  # reading the ideas between two taps
            if run.stopping or run.ideas_stopped or self.page != "vote":
                return
            await self.client.request("dot post", "POST", url, data={"csrf_token": self.csrf},
                                      headers={"Accept": "application/json", "X-CSRFToken": self.csrf})


class Host:
    """A table host: opens the host link and types lines from the tablecloth while a round runs."""

    def __init__(self, run, number: int, token: str):
        self.run, self.number, self.token = run, number, token
        self.client = Client(run, number)
        self.captures = 0

    async def main(self, start_at: float) -> None:
        run = self.run
        await run.sleep_until(start_at)
        while not run.stopping and not run.ideas_stopped:
            await asyncio.sleep(random.expovariate(1 / run.host_every))
            if run.round_running and not run.ideas_stopped and not run.stopping:
                await self.capture()

    async def capture(self) -> None:
        path = f"/h/{self.token}"
        page = await self.client.request("host page", "GET", path)
        if page is None or page.status != 200:
            return
        form = inputs(form_block(page.text, "capture"))
        self.captures += 1
        lines = [f"[{self.run.tag} h{self.number}.{self.captures}.{i}] Ein Treffpunkt im Viertel"
                 for i in range(random.randint(1, 3))]
        key = form.get("key") or uuid.uuid4().hex
        data = {"csrf_token": form.get("csrf_token", ""), "text": "\n".join(lines), "key": key,
                "language": "de", "round_id": form.get("round_id", "")}
        reply = await self.client.request("host capture", "POST", f"{path}/ideas", data=data, expect=(303,))
        if reply is not None and reply.status == 303:
            for index, line in enumerate(lines):
                self.run.acknowledged(f"{key}-{index}", line)
            location = reply.headers.get("Location", path).split("#")[0]
            await self.client.request("host page", "GET", location[location.find("/h/"):])


class Staff:
    """The moderator's console (or the projector): a page with the live loop of app.js."""

    def __init__(self, run, turn: int, kind: str):
        self.run = run
        self.client = Client(run, turn)
        self.live = Live(self.client, kind)
        self.kind = kind
        self.csrf = ""
        self.page_path = None

    async def login(self, email: str, password: str) -> None:
        page = await self.client.request("login page", "GET", "/auth/login")
        data = {"csrf_token": inputs(page.text).get("csrf_token", ""), "email": email, "password": password,
                "next": ""}
        reply = await self.client.request("login post", "POST", "/auth/login", data=data, expect=(302, 303))
        if reply is None or reply.status not in (302, 303):
            raise SystemExit("the moderator could not log in")

    async def open(self, path: str) -> str:
        self.page_path = path
        page = await self.client.request(f"{self.kind} page", "GET", path)
        if page is None or page.status != 200:
            raise SystemExit(f"{path} answered {page and page.status}")
        self.live.loaded(page.text)
        self.csrf = inputs(page.text).get("csrf_token", self.csrf)
        return page.text

    async def watch(self) -> None:
        while not self.run.stopping:
            state = await self.live.poll()
            if state is not None:
                self.live.follow(state)
            await asyncio.sleep(self.run.interval)

    async def act(self, path: str, **fields) -> bool:
        """Send one of the console's forms as the browser does, then show the console again."""
        data = {"csrf_token": self.csrf, **{k: str(v) for k, v in fields.items()}}
        loop = asyncio.get_running_loop()
        start = loop.time()
        reply = await self.client.request("moderator post", "POST", path, data=data, expect=(303,))
        self.post_seconds = loop.time() - start
        if reply is None or reply.status != 303:
            return False
        # A refused control also redirects, with its reason flashed on the console.
        if "notice-error" in await self.open(self.page_path):
            self.run.stats.errors[("moderator post", "refused")] += 1
            return False
        return True
