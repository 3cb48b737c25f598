"""The sorting board with hundreds of ideas: how long the server takes for the page, when Chromium's
load event comes, and how fast a move answers.

    .venv/bin/python bench/board.py                    # 1,000 ideas on SQLite
    .venv/bin/python bench/board.py --ideas 2000 --database postgresql+psycopg://postgres@127.0.0.1:5432/test

The demo (its fields, goal tree and 60 ideas) plus generated ideas from the demo's texts in their
languages, up to --ideas, two thirds unsorted with a stored suggestion each, the rest sorted;
gunicorn as `make serve` runs it (bench/load_setup.py), an organiser logged in. It prints the
median and slowest of --repeat board pages (server time, to the last byte), Chromium's load event
for the board (Debian's chromium), and --moves moves answered in JSON as the board's script sends
them. Targets (issue 18): page < 1 s, load event < 2 s, a move < 100 ms.
"""
import argparse
import json
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import http.cookiejar
import urllib.parse
import urllib.request

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_setup  # noqa: E402

TARGETS = {"page": 1.0, "load event": 2.0, "move": 0.1}


def seed(ideas: int) -> dict:
    """Run inside the app (child process): the demo, grown to `ideas` ideas, suggestions stored."""
    from app import create_app
    from app.extensions import db
    from app.models import Contribution, Event, Participant, Process
    from app.services.administration.demo import seed_demo
    from app.services.sorting import suggestions
    from app.tokens import new_token

    app = create_app()
    with app.app_context():
        result = seed_demo("")
        event = db.session.get(Event, result.event.id)
        process = db.session.get(Process, event.process_id)
        originals = db.session.scalars(db.select(Contribution).filter_by(event_id=event.id)).all()
        fields = process.action_fields
        round_ = event.rounds[0]
        made = len(originals)
        while made < ideas:
            source = originals[made % len(originals)]
            person = Participant(event=event, token=new_token(), writing_language=source.language)
            field = fields[made % len(fields)] if made % 3 == 0 else None  # a third sorted
            db.session.add(Contribution(event=event, round=round_, table=source.table, participant=person,
                                        text=f"{source.text} ({made})", language=source.language,
                                        origin="participant", action_field=field,
                                        status="clustered" if field else "new"))
            made += 1
        db.session.commit()
        suggestions.recompute(process)
        db.session.commit()
        return {"process_id": process.id, "email": result.email, "password": result.password,
                "ideas": made, "unsorted": db.session.scalar(db.select(db.func.count(Contribution.id)).where(
                    Contribution.event_id == event.id, Contribution.action_field_id.is_(None)))}


class Session:
    """Cookies kept between requests, as a browser would (the standard library is enough here)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=120) as answer:
                return answer.status, answer.geturl(), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode(errors="replace")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def log_in(base: str, seeded: dict) -> Session:
    session = Session()
    _, _, page = session.request(f"{base}/auth/login")
    _, where, _ = session.request(f"{base}/auth/login", {"csrf_token": csrf_of(page), "email": seeded["email"],
                                                         "password": seeded["password"]})
    if "/organise" not in where:
        sys.exit("login failed")
    return session


def page_seconds(session, url: str, repeat: int) -> tuple[list[float], str]:
    times, html = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        status, _, html = session.request(url)  # the whole body read
        times.append(time.perf_counter() - start)
        if status != 200:
            sys.exit(f"board answered {status}")
    return times, html


def load_event_seconds(base: str, seeded: dict, url: str, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("load event: Chromium is not installed (apt-get install chromium); not measured")
        return []
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/auth/login")
        page.fill("#email", seeded["email"])
        page.fill("#password", seeded["password"])
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url("**/organise/")
        for _ in range(repeat):
            page.goto(url, wait_until="load")
            times.append(page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd / 1000; })()"))
        browser.close()
    return times


def move_seconds(session, base: str, html: str, moves: int) -> list[float]:
    urls = re.findall(r'data-move-url="([^"]+)"', html)[:moves]
    targets = re.findall(r'data-target="(field-\d+)"', html)
    token = csrf_of(html)
    times = []
    for n, url in enumerate(urls):
        start = time.perf_counter()
        status, _, text = session.request(base + url.replace("&amp;", "&"), {"csrf_token": token, "to": targets[n % len(targets)]},
                                          {"Accept": "application/json", "X-CSRFToken": token})
        times.append(time.perf_counter() - start)
        if status != 200:
            sys.exit(f"move answered {status}: {text[:200]}")
    return times


def line(name: str, times: list[float]) -> str:
    if not times:
        return f"{name:<12} not measured"
    median, slowest = statistics.median(times), max(times)
    verdict = "met" if median < TARGETS[name] else "MISSED"
    return (f"{name:<12} median {median * 1000:7.0f} ms  slowest {slowest * 1000:7.0f} ms  n={len(times)}"
            f"  (target < {TARGETS[name] * 1000:.0f} ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--database", help="a PostgreSQL URL on this machine (default: a temporary SQLite file)")
    parser.add_argument("--repeat", type=int, default=5, help="board pages and load events measured")
    parser.add_argument("--moves", type=int, default=30)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="boardbench-"))
    server = None
    try:
        with load_setup.throwaway_database(args.database, workdir) as url:
            env = load_setup.app_env(url, secrets.token_hex(32))
            load_setup.migrate(env)
            done = subprocess.run([sys.executable, __file__, "--seed", str(args.ideas)], cwd=load_setup.ROOT, env=env,
                                  capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                sys.exit(f"seeding failed:\n{done.stderr[-3000:]}")
            seeded = json.loads(done.stdout.strip().splitlines()[-1])
            server = load_setup.Server(env, 4, workdir, [])
            server.wait_ready()
            base = server.base
            board = f"{base}/organise/processes/{seeded['process_id']}/board"
            session = log_in(base, seeded)
            session.request(board)  # the first one may compute what later ones read
            print(f"board of {seeded['ideas']} ideas ({seeded['unsorted']} unsorted, each with a suggestion) on "
                  f"{'PostgreSQL' if args.database else 'SQLite'}; gunicorn as `make serve` runs it, 4 workers")
            times, html = page_seconds(session, board, args.repeat)
            cards = html.count('class="idea board-card')
            print(f"page size {len(html.encode()) / 1024:.0f} KB, {cards} cards")
            print(line("page", times))
            print(line("load event", load_event_seconds(base, seeded, board, args.repeat)))
            print(line("move", move_seconds(session, base, html, args.moves)))
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seed":
        sys.path.insert(0, str(load_setup.ROOT))
        print(json.dumps(seed(int(sys.argv[2]))))
    else:
        main()
