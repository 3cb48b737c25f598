"""The live path against bare Flask, under gunicorn as `make serve` runs it, in one run.

Run from the project root: `.venv/bin/python bench/live.py [--seconds 10] [--rounds 3]`
(needs Debian's `wrk`: `apt-get install wrk`). Everything happens on free loopback ports and in a
temporary folder, removed afterwards:

- a tiny Flask app with one JSON endpoint (bare Flask), and the app on a temporary SQLite
  database seeded with the demo (6 tables, round 1 running, ideas at every table), each served
  by gunicorn as `make serve` starts it, with 4 workers (--workers 4 --threads 4, access log on);
- `--phones` phones (default 10) join through the join form at `--tables` tables (default 1: the
  phone's table), in the demo's five languages in turn;
- wrk (2 threads, 50 connections) then takes turns, `--rounds` times, for `--seconds` each:
    bare    GET /ping of the tiny app
    304     each phone's live poll with its current ETag (nothing changes meanwhile)
    200     each phone's live poll with the ETag it had before the last change, answered in full,
            then the fragment its JSON names; meanwhile the phones' tables get a new revision
            every 2 s (as when an idea arrives), so every worker renders each table's fragment
            again, once per language, after every bump.
  Polls ask for identity encoding so wrk can read the fragment URL in the JSON; fragments go out
  compressed as to a phone.

It prints one line per kind (the median round): requests per second, p50 and p95 latency, and the
ratio to bare Flask; for 200 the rate counts a poll and its fragment as one pair (and as two
requests on the line below). `--profile N` instead profiles N calls of each live endpoint in this
process (cProfile, no network) and prints what costs most.
"""
import argparse
import cProfile
import html
import http.client
import json
import os
import pstats
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from load_setup import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS, THREADS, CONNECTIONS, WRK_THREADS = 4, 4, 50, 2
BUMP_SECONDS = 2.0
PHONE_ENCODING = "gzip, deflate, br"
LANGUAGES = ["de", "en", "ar", "uk", "tr"]

BARE_APP = '''
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/ping")
def ping():
    return jsonify(ok=True)
'''

# wrk's script: phones from a file (cookie, ETag, live path per line); per thread, the fragment
# URLs named by 200 answers wait in a queue and go out before the next poll.
WRK_SCRIPT = r'''
local kind, phones_file, encoding = "%(kind)s", "%(phones)s", "%(encoding)s"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  phones, pending, index = {}, {}, 0
  polls, fragments, fresh, kept, other = 0, 0, 0, 0, 0
  for line in io.lines(phones_file) do
    local cookie, etag, path = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
    table.insert(phones, {cookie = cookie, etag = etag, path = path})
  end
end

function request()
  if kind == "bare" then
    return wrk.format("GET", "/ping", {["Accept-Encoding"] = encoding})
  end
  index = index %% #phones + 1
  local phone = phones[index]
  if #pending > 0 then
    return wrk.format("GET", table.remove(pending), {Cookie = phone.cookie, ["Accept-Encoding"] = encoding})
  end
  return wrk.format("GET", phone.path, {Cookie = phone.cookie, ["If-None-Match"] = phone.etag,
                                        Accept = "application/json", ["Accept-Encoding"] = "identity"})
end

function response(status, headers, body)
  if status == 304 then
    kept = kept + 1
  elseif status == 200 and kind ~= "bare" and body:sub(1, 1) == "{" then
    polls = polls + 1
    local url = body:match('"fragment_url":%%s*"([^"]+)"')
    if url then table.insert(pending, url) end
  elseif status == 200 then
    fragments = fragments + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local sums = {polls = 0, fragments = 0, kept = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(sums) do sums[name] = sums[name] + thread:get(name) end
  end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), sums.polls, sums.fragments, sums.kept, sums.other,
    e.connect + e.read + e.write + e.status + e.timeout))
end
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answers on port {port}")


def gunicorn(module: str, port: int, cwd: Path, env: dict) -> subprocess.Popen:
    """gunicorn as `make serve` starts it, access log included (sent nowhere)."""
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(WORKERS),
               "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}", "--access-logfile", "-", module]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Client:
    """One phone: a keep-alive connection and its session cookie."""

    def __init__(self, port: int, language: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.language = language
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"Accept-Language": self.language, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):  # gunicorn closed the idle connection
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, data

    def join(self, code: str, table: int) -> None:
        path = f"/j/{code}/{table}"
        _, page = self.send("GET", path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode())
        fields = {"csrf_token": html.unescape(token.group(1)) if token else "",
                  "interface_language": self.language, "writing_language": self.language, "nickname": ""}
        response, _ = self.send("POST", path, urlencode(fields))
        if response.status != 303:
            sys.exit(f"joining {path} answered {response.status}")


def open_app(env: dict):
    """The app on the temporary database, migrated and seeded with the demo (no credentials file)."""
    os.environ.update(DATABASE_URL=env["DATABASE_URL"], SECRET_KEY=env["SECRET_KEY"], TRANSLATE_URL="")
    os.environ.pop("APP_ENV", None)  # `make serve` runs the default Config
    sys.path.insert(0, str(ROOT))
    import flask_migrate

    from app import create_app
    from app.extensions import db
    from app.services.administration.demo import seed_demo

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        code = seed_demo("").event.code
        db.session.commit()
    return app, code


class Bumper(threading.Thread):
    """Every 2 s while running, a new revision for each table with phones, as an idea would make."""

    def __init__(self, app, code: str, tables: list[int]):
        super().__init__(daemon=True)
        self.app, self.code, self.tables = app, code, tables
        self.running = threading.Event()
        self.bumps = 0

    def bump(self) -> None:
        """One new revision for the tables, as `ideas.submit` makes it."""
        from app.extensions import db
        from app.models import CafeTable, Event
        from app.services.cafe import live

        with self.app.app_context():
            event = db.session.scalar(db.select(Event).filter_by(code=self.code))
            ids = db.session.scalars(db.select(CafeTable.id).where(CafeTable.event_id == event.id,
                                                                     CafeTable.number.in_(self.tables)))
            live.bump_tables(event, list(ids))
            db.session.commit()
        self.bumps += 1

    def run(self) -> None:
        while True:
            time.sleep(BUMP_SECONDS)
            self.running.wait()
            self.bump()


def run_wrk(kind: str, port: int, phones_file: Path, seconds: int, workdir: Path) -> dict:
    script = workdir / f"{kind}.lua"
    script.write_text(WRK_SCRIPT % {"kind": kind, "phones": phones_file, "encoding": PHONE_ENCODING})
    done = subprocess.run(["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s",
                           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
                          capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    requests, duration, p50, p95, polls, fragments, kept, other, errors = map(int, line.split()[1:])
    seconds_run = duration / 1e6
    return {"rate": requests / seconds_run, "pairs": fragments / seconds_run, "p50": p50 / 1000, "p95": p95 / 1000,
            "polls": polls, "fragments": fragments, "kept": kept, "other": other, "errors": errors,
            "requests": requests}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(args) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-live-"))
    with throwaway_database(args.database, workdir) as url:
        _measure(args, workdir, url)


def _measure(args, workdir: Path, database_url: str) -> None:
    servers = []
    try:
        (workdir / "bare.py").write_text(BARE_APP)
        env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=secrets.token_hex(32), TRANSLATE_URL="")
        env.pop("APP_ENV", None)  # `make serve` runs the default Config
        app, code = open_app(env)
        bare_port, app_port = free_port(), free_port()
        servers.append(gunicorn("bare:app", bare_port, workdir, env))
        servers.append(gunicorn("wsgi:app", app_port, ROOT, env))
        wait_for(bare_port, "/ping")
        wait_for(app_port, f"/j/{code}")

        tables = list(range(1, 7))[:args.tables]
        phones = []
        for n in range(args.phones):
            phone = Client(app_port, LANGUAGES[n % len(LANGUAGES)] if args.languages else "de")
            phone.join(code, tables[n % len(tables)])
            phones.append(phone)
        live_path = f"/e/{code}/live"

        def phone_lines() -> str:
            """Each phone's cookie and current ETag, as a phone has them after its last poll."""
            lines = []
            for phone in phones:
                response, _ = phone.send("GET", live_path, headers={"Accept": "application/json"})
                etag = response.getheader("ETag")
                cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
                lines.append(f"{cookie}\t{etag}\t{live_path}")
            return "\n".join(lines) + "\n"

        bumper = Bumper(app, code, tables)
        bumper.start()
        results: dict[str, list] = {"bare": [], "304": [], "200": []}
        print(f"bench/live.py on {database_url.partition(':')[0]}: {args.phones} phones at {len(tables)} tables, "
              f"{WORKERS} workers x {THREADS} threads, "
              f"wrk {WRK_THREADS} threads {CONNECTIONS} connections, {args.rounds} rounds of {args.seconds} s per kind; "
              f"load average before: {load_average()}")
        from app.limits import describe
        print(describe(app))  # the live polls are exempt; the line says what the rest ran with
        for round_number in range(args.rounds):
            for kind in ("bare", "304", "200"):
                phones_file = workdir / f"phones-{kind}.txt"
                phones_file.write_text(phone_lines() if kind != "bare" else "\n")
                if kind == "200":
                    bumper.bump()  # every phone's ETag is old from now on: each poll is answered in full
                    bumper.running.set()
                result = run_wrk(kind, bare_port if kind == "bare" else app_port, phones_file, args.seconds, workdir)
                bumper.running.clear()
                results[kind].append(result)
                detail = "" if kind == "bare" else (f" (polls answered 304: {result['kept']}, 200: {result['polls']}; "
                                                    f"fragments {result['fragments']}; other {result['other']})")
                print(f"  round {round_number + 1} {kind:4}: {result['rate']:7.0f} req/s p50 {result['p50']:6.1f} ms "
                      f"p95 {result['p95']:6.1f} ms errors {result['errors']}{detail}")
        print(f"load average after: {load_average()}; table bumps during the 200 runs: {bumper.bumps}")
        report(results)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(results: dict) -> None:
    bare = median_of(results["bare"], "rate")
    lines = [
        ("bare Flask JSON", bare, "req/s", results["bare"], None),
        ("live poll 304", median_of(results["304"], "rate"), "req/s", results["304"], 0.70),
        ("live poll 200 + fragment", median_of(results["200"], "pairs"), "pairs/s", results["200"], 0.40),
    ]
    for name, rate, unit, runs, target in lines:
        ratio = rate / bare
        verdict = "" if target is None else f" (target >= {target:.0%}: {'met' if ratio >= target else 'NOT met'})"
        print(f"{name:25} {rate:7.0f} {unit:7} p50 {median_of(runs, 'p50'):5.1f} ms p95 {median_of(runs, 'p95'):5.1f} ms"
              f"  {ratio:6.1%} of bare Flask{verdict}")
    requests_200 = median_of(results["200"], "rate")
    print(f"(200 + fragment as single requests: {requests_200:.0f} req/s, {requests_200 / bare:.1%} of bare Flask; "
          f"latencies of the 200 kind are per request)")


def profile(args) -> None:
    """Each kind called in this process as WSGI, without network: microseconds per call, then
    cProfile's view of a changed poll, of a poll after a bump and of a fragment rendered."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-live-profile-"))
    try:
        app, code = open_app({"DATABASE_URL": f"sqlite:///{workdir / 'live.db'}", "SECRET_KEY": secrets.token_hex(32)})
        from flask import Flask, jsonify
        from werkzeug.test import EnvironBuilder

        app.config["WTF_CSRF_ENABLED"] = False
        phone = app.test_client()
        phone.post(f"/j/{code}/1", data={"interface_language": "de", "writing_language": "de"})
        first = phone.get(f"/e/{code}/live", headers={"Accept": "application/json"})
        cookie = f"session={phone.get_cookie('session').value}"
        bare = Flask("bare")
        bare.get("/ping")(lambda: jsonify(ok=True))
        bumper = Bumper(app, code, [1])

        def environ(path, **headers):
            return EnvironBuilder(path=path, headers={"Cookie": cookie, "Accept-Encoding": PHONE_ENCODING,
                                                      **headers}).get_environ()

        def call(wsgi, env):
            result = wsgi(dict(env), lambda *_: None)
            body = b"".join(result)
            getattr(result, "close", lambda: None)()
            return body

        def poll():  # identity, as in the runs, so the JSON can be read here
            return call(app, environ(f"/e/{code}/live", Accept="application/json", **{"Accept-Encoding": "identity"}))

        def fragment():
            return call(app, environ(json.loads(poll())["fragment_url"]))

        kinds = {
            "bare Flask": lambda: call(bare, EnvironBuilder(path="/ping").get_environ()),
            "poll 304": lambda: call(app, environ(f"/e/{code}/live", **{"If-None-Match": first.headers["ETag"]})),
            "poll 200": poll,
            "fragment, kept": lambda: call(app, environ(json.loads(poll())["fragment_url"])),
        }
        for name, run in kinds.items():
            for _ in range(50):
                run()
            started = time.perf_counter()
            for _ in range(args.profile):
                run()
            per_call = (time.perf_counter() - started) / args.profile * 1e6
            print(f"{name:16} {per_call:7.0f} us per call" + (" (the poll before it included)"
                                                               if name == "fragment, kept" else ""))
        for name, before, run in (("poll 200", None, poll), ("poll 200 after a bump", bumper.bump, poll),
                                  ("fragment rendered after a bump", bumper.bump, fragment)):
            profiler = cProfile.Profile()
            for _ in range(args.profile if before is None else 20):
                if before:
                    before()
                profiler.enable()
                run()
                profiler.disable()
            print(f"\n=== {name}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"/app/|sqlalchemy/orm/session|jinja2/environment", 14)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds per kind and round (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all kinds (default 3; the median counts)")
    parser.add_argument("--phones", type=int, default=10, help="phones that join (default 10)")
    parser.add_argument("--tables", type=int, default=1,
                        help="tables the phones sit at, 1 to 6, each bumped every 2 s in the 200 runs (default 1)")
    parser.add_argument("--one-language", dest="languages", action="store_false",
                        help="every phone in German (default: de, en, ar, uk, tr in turn)")
    parser.add_argument("--database", help="a PostgreSQL URL on this machine (default: a temporary SQLite file); "
                                           "a database is made on it for the run and dropped afterwards")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead: profile N calls of each live endpoint in this process")
    args = parser.parse_args()
    if not 1 <= args.tables <= 6 or args.seconds < 1 or args.rounds < 1 or args.phones < 1:
        parser.error("--tables 1 to 6, --seconds, --rounds and --phones at least 1")
    if args.profile:
        profile(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
