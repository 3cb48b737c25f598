"""Nothing lost under faults: phones write ideas while gunicorn workers are killed or PostgreSQL
restarts, and every idea the server acknowledged is in the database once, every other one still on
its phone until it is sent again (issue 15, item 6).

Run from the project root, after `.venv/bin/pip install -r bench/requirements.txt`:

    .venv/bin/python bench/faults.py                          # all three scenarios, about 4 minutes
    .venv/bin/python bench/faults.py --only restart-postgres --outage 10
    .venv/bin/python bench/faults.py --only kill-sqlite --phones 150 --kills 6

Scenarios (each on a fresh database, gunicorn with the `make serve` settings of bench/load_setup.py):

- kill-sqlite, kill-postgres: while phones post ideas, a worker is killed with SIGKILL --kills
  times (gunicorn's master starts a new one): the worker caught in the middle of writing an idea
  (holding SQLite's WAL write lock, in /proc/locks; or with a PostgreSQL transaction that has
  written, by its socket), else any. The requests it held are cut; the phone sends them again at
  once on a new connection (as browsers do) or later from its outbox, with the same key.
- restart-postgres: PostgreSQL is stopped (`pg_ctl stop -m fast`, as a restart does) for --outage
  seconds and started again. Requests meanwhile must fail fast with a 503 (the phone keeps its idea),
  never a 500 or a hang; the app must reconnect by itself.

Phones are bench/load_actors.py's: they join at their table's QR code, poll every 3 s with their
ETag and write an idea about every --idea-every seconds into an outbox that works as
app/static/app.js's: sent at once, kept on a failure (5xx, 429, no answer) and sent again every 10 s
with the same key. At the end every outbox is drained and the ideas acknowledged are compared with
those stored: `acknowledged N stored N lost N doubled N`.

PostgreSQL scenarios run on a cluster of their own: initdb in a temporary directory (as the
`postgres` user when run as root, since initdb refuses root), trust authentication, a free port on
127.0.0.1, removed afterwards; the machine's own PostgreSQL is never touched. Traffic goes to
127.0.0.1 only; every phase has a time limit. Exit status 1 when an idea was lost or doubled, a
request answered 500 or one failing during the outage took longer than --fail-within seconds.
"""
import argparse
import asyncio
import contextvars
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import aiohttp  # noqa: F401  (load_actors needs it; say so plainly)
except ImportError:
    sys.exit("bench/faults.py needs the bench requirements: .venv/bin/pip install -r bench/requirements.txt")

import load_setup  # noqa: E402
from load import Run  # noqa: E402
from load_actors import Phone, Staff, Stats  # noqa: E402

PER_TABLE = 8
FLUSH_EVERY = 10.0  # app.js: setInterval(flush, 10000)
SCENARIOS = ("kill-sqlite", "kill-postgres", "restart-postgres")
DATABASE_KINDS = ("phone poll 200", "phone poll 304", "idea post", "probe page")  # answers that need the database
SENDING = contextvars.ContextVar("sending", default=None)


# --- bookkeeping -------------------------------------------------------------------------------------

class Timeline(Stats):
    """load_actors.Stats that also keeps every request: (end, kind, status, ok, seconds)."""

    def __init__(self):
        super().__init__()
        self.events = []

    def record(self, kind, start, end, status, ok):
        super().record(kind, start, end, status, ok)
        self.events.append((end, kind, status, ok, end - start))


class Resent:
    """Stands in for `run.reconnects`, which load_actors.Client increments when the server closed a
    connection as a request went out and the request is sent again at once on a new one (as a
    browser does): also notes the idea being sent then (FaultPhone.send sets SENDING)."""

    def __init__(self):
        self.count, self.ideas = 0, set()

    def __iadd__(self, number):
        self.count += number
        if SENDING.get():
            self.ideas.add(SENDING.get())
        return self


class FaultPhone(Phone):
    """A phone of bench/load_actors.py whose outbox follows app/static/app.js exactly."""

    async def write_ideas(self):
        """An idea now and then goes into the outbox and is sent at once; what is left there is sent
        again every 10 s, with its key."""
        run, loop = self.run, asyncio.get_running_loop()
        next_idea = loop.time() + random.expovariate(1 / run.idea_every)
        next_flush = loop.time() + FLUSH_EVERY
        while not run.stopping:
            await asyncio.sleep(max(0.05, min(next_idea, next_flush) - loop.time()))
            now = loop.time()
            if now >= next_idea:
                next_idea = now + random.expovariate(1 / run.idea_every)
                state = self.live.state
                if (not run.ideas_stopped and self.page == "table" and self.has_form and state
                        and state.get("accepting_ideas")):
                    self.ideas_made += 1
                    run.made += 1
                    text = f"[{run.tag} p{self.number}.{self.ideas_made}] Mehr Bänke und Schatten am Fluss"
                    self.outbox.append({"key": os.urandom(16).hex(), "text": text,
                                        "round_id": state["round"]["id"], "sent": 0})
                    run.spawn(self.flush())
            if now >= next_flush:
                next_flush = now + FLUSH_EVERY
                run.spawn(self.flush())

    async def send(self, item, retried):
        if not retried:
            item["sent"] += 1
            if item["sent"] == 2:
                self.run.outbox_resent += 1
        token = SENDING.set(item["key"])
        try:
            return await super().send(item, retried)
        finally:
            SENDING.reset(token)


def make_run(args, bases, seeded) -> Run:
    settings = SimpleNamespace(workers=args.workers, idea_every=args.idea_every, host_every=1e9,
                               max_requests=10_000_000)
    run = Run(settings, bases, seeded)
    run.stats, run.reconnects = Timeline(), Resent()
    run.made = run.outbox_resent = 0
    return run


def ideas_count(run: Run, stored_rows) -> dict:
    """Ideas acknowledged against ideas stored: lost (acknowledged, not stored), doubled (one text
    stored twice)."""
    tag = f"[{run.tag} "
    stored = [(key, text) for key, text in stored_rows if text.startswith(tag)]
    keys, texts = {key for key, _ in stored}, Counter(text for _, text in stored)
    return {"made": run.made, "acknowledged": len(run.acked), "stored": len(stored),
            "lost": sum(1 for key, text in run.acked.items() if key not in keys or text not in texts),
            "doubled": sum(n - 1 for n in texts.values() if n > 1),
            "unanswered": sum(1 for key, _ in stored if key not in run.acked),
            "pending": sum(len(phone.outbox) for phone in run.phones)}


def status_counts(events) -> str:
    counts = Counter((kind, status) for _end, kind, status, ok, _s in events if not ok)
    return ", ".join(f"{kind} {status} {n}" for (kind, status), n in counts.most_common()) or "none"


def percentile(values, share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


# --- a PostgreSQL of our own ---------------------------------------------------------------------------

class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on a free loopback port."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "postgresql.log"
        self.port = load_setup.free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale", "C", "--no-sync")

    def command(self, tool: str, *args: str) -> list[str]:
        argv = [str(self.bin / tool), *args]
        return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(self.command(tool, *args), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")

    def pg_ctl(self, action: str, mode: str = "fast") -> list[str]:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=200"
        extra = ["-o", options, "-l", str(self.log)] if action == "start" else ["-m", mode]
        return self.command("pg_ctl", action, "-D", str(self.data), "-w", "-t", "60", *extra)

    def start(self) -> None:
        subprocess.run(self.pg_ctl("start"), check=True, capture_output=True, timeout=90)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self.pg_ctl("stop", "immediate"), capture_output=True, timeout=90)
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_bin(given: str | None) -> Path:
    if given:
        return Path(given)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (give --pg-bin)")
    return found[-1].parent


@contextmanager
def own_cluster(args):
    cluster = Cluster(postgres_bin(args.pg_bin))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


# --- a café with a fault -------------------------------------------------------------------------------

async def open_cafe(run: Run, args, seeded) -> None:
    """Round 1 running, then the phones arrive at their tables; returns once all have their form."""
    loop = asyncio.get_running_loop()
    moderator = Staff(run, 0, "console")
    await moderator.login(seeded["email"], seeded["password"])
    await moderator.open(f"/moderate/events/{seeded['event_id']}")
    if not await moderator.act(f"/moderate/events/{seeded['event_id']}/rounds/{seeded['rounds'][0]}/start"):
        raise SystemExit("the moderator could not start round 1")
    run.round_running = True
    start = loop.time() + 0.5
    run.phones = [FaultPhone(run, n, n // PER_TABLE + 1) for n in range(args.phones)]
    for n, phone in enumerate(run.phones):
        run.spawn(phone.main(start + n / args.arrivals))
    deadline = start + args.phones / args.arrivals + 30
    while loop.time() < deadline and sum(p.has_form for p in run.phones) < args.phones:
        await asyncio.sleep(0.25)
    joined = sum(p.has_form for p in run.phones)
    if joined < args.phones:
        print(f"  only {joined} of {args.phones} phones reached their table's form")
    await asyncio.sleep(run.interval + 0.5)  # every phone has polled once: it knows the round runs


async def drain(run: Run, args) -> float:
    """Ideas stop; the outboxes empty themselves (at most every 10 s). Seconds it took."""
    loop = asyncio.get_running_loop()
    run.ideas_stopped = True
    began = loop.time()
    while loop.time() - began < args.drain:
        if not any(p.outbox or p.flushing for p in run.phones):
            break
        await asyncio.sleep(0.2)
    return loop.time() - began


async def close_run(run: Run) -> None:
    run.stopping = True
    if run.tasks:
        await asyncio.wait(list(run.tasks), timeout=10)
    for task in list(run.tasks):
        task.cancel()
    await asyncio.gather(*run.tasks, return_exceptions=True)
    await asyncio.gather(*(client.close() for client in run.clients), return_exceptions=True)


class Writers:
    """Which worker is in the middle of writing an idea, seen from outside: on SQLite the process
    holding the WAL write lock (byte 120 of the -shm file, in /proc/locks); on PostgreSQL the one
    whose connection's transaction has written (pg_stat_activity.backend_xid), found by its socket."""

    def __init__(self, database_url: str, server, cluster: "Cluster | None"):
        self.server, self.cluster = server, cluster
        self.sqlite = database_url.split("///", 1)[1] if database_url.startswith("sqlite") else None
        self.dsn = None if self.sqlite else database_url.replace("+psycopg", "").split("?")[0]

    def kill(self, seconds: float) -> tuple[int | None, bool]:
        """SIGKILL the worker caught writing (watching for up to `seconds`), else any worker; its pid
        and whether it was caught writing. Runs in a thread, so that the kill follows the sighting
        within a millisecond rather than after the event loop's next turn."""
        victim = self.find(seconds)
        caught = victim is not None
        if victim is None:
            workers = load_setup.children(self.server.proc.pid)
            victim = random.choice(workers) if workers else None
        if victim is not None:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                victim = None
        return victim, caught

    def find(self, seconds: float) -> int | None:
        """Watch for up to `seconds`; the worker's pid, or None."""
        workers = set(load_setup.children(self.server.proc.pid))
        deadline = time.monotonic() + seconds
        if self.sqlite:
            shm = os.stat(self.sqlite + "-shm").st_ino
            while time.monotonic() < deadline:
                for line in Path("/proc/locks").read_text().splitlines():
                    parts = line.split()  # 1: POSIX ADVISORY WRITE <pid> <dev>:<inode> 120 120
                    if (parts[1] == "POSIX" and parts[3] == "WRITE" and parts[5].endswith(f":{shm}")
                            and parts[6] == parts[7] == "120" and int(parts[4]) in workers):
                        return int(parts[4])
                time.sleep(0.0005)
            return None
        import psycopg

        owners = worker_ports(workers, self.cluster.port)  # looked up before, so the kill follows at once
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while time.monotonic() < deadline:
                for (port,) in conn.execute(
                        "SELECT client_port FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND client_port IS NOT NULL"):
                    if port not in owners:  # a connection opened since
                        owners = worker_ports(workers, self.cluster.port)
                    if port in owners:
                        return owners[port]
                time.sleep(0.0005)
        return None


def worker_ports(pids, remote_port: int) -> dict[int, int]:
    """Local port -> pid, for the TCP sockets of `pids` connected to `remote_port`."""
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == remote_port:
                inodes[f"socket:[{fields[9]}]"] = int(fields[1].rsplit(":", 1)[1], 16)
    ports = {}
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                port = inodes.get(os.readlink(fd))
                if port:
                    ports[port] = pid
        except OSError:
            continue
    return ports


async def kill_workers(run: Run, writers: Writers, args, began: float) -> list[tuple[float, int, bool]]:
    """SIGKILL a worker --kills times, spread over the writing: the one caught writing an idea, else
    (none seen within 3 s) any."""
    loop = asyncio.get_running_loop()
    killed = []
    for n in range(args.kills):
        await run.sleep_until(began + args.seconds * (n + 1) / (args.kills + 1))
        victim, caught = await loop.run_in_executor(None, writers.kill, 3.0)
        if victim is None:
            continue
        killed.append((loop.time(), victim, caught))
    return killed


async def shell(argv: list[str]) -> None:
    proc = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=90)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {err.decode(errors='replace')}")


async def restart_database(run: Run, cluster: Cluster, args, began: float) -> dict:
    """Stop PostgreSQL at 30 % of the writing, start it again --outage seconds later."""
    loop = asyncio.get_running_loop()
    await run.sleep_until(began + 0.3 * args.seconds)
    times = {"stop": loop.time()}
    await shell(cluster.pg_ctl("stop", args.stop_mode))
    times["down"] = loop.time()
    await asyncio.sleep(args.outage)
    times["start"] = loop.time()
    await shell(cluster.pg_ctl("start"))
    times["up"] = loop.time()
    return times


async def probe(run: Run, phone: Phone, until) -> None:
    """The table page every half second, as a person reloading it would: status and duration, and
    whether a failure is the translated 503 page (not a 500 or a traceback)."""
    while not run.stopping and not until():
        reply = await phone.client.request("probe page", "GET", f"/e/{run.code}", headers={"Accept": "text/html"})
        if reply is not None and reply.status != 200:
            page = reply.text
            calm = reply.status == 503 and "Traceback" not in page and "<h1>" in page
            run.probe_pages[(reply.status, calm, reply.headers.get("Retry-After"))] += 1
        await asyncio.sleep(0.5)


async def scenario(name: str, args, database: str | None, cluster: Cluster | None) -> dict:
    loop = asyncio.get_running_loop()
    load_before = os.getloadavg()[0]
    with load_setup.stage(database, 1, args.workers, args.phones, []) as (servers, seeded, env):
        server = servers[0]
        run = make_run(args, [server.base], seeded)
        run.probe_pages = Counter()
        try:
            await open_cafe(run, args, seeded)
            workers_before = set(load_setup.children(server.proc.pid))
            began = loop.time()
            result = {"name": name, "began": began, "load": load_before}
            if name.startswith("kill"):
                writers = Writers(env["DATABASE_URL"], server, cluster)
                result["killed"] = await kill_workers(run, writers, args, began)
            else:
                fault = asyncio.ensure_future(restart_database(run, cluster, args, began))
                run.spawn(probe(run, run.phones[0], fault.done))
                result["times"] = await fault
            await run.sleep_until(began + args.seconds)
            result["drain"] = await drain(run, args)
            result["workers_replaced"] = len(workers_before - set(load_setup.children(server.proc.pid)))
        finally:
            await close_run(run)
        stored = load_setup.in_app("check", env, str(seeded["event_id"]))["ideas"]
        result.update(ideas_count(run, stored), run=run, log=server.log.read_text(errors="replace"))
        report(result, args)
        return result


# --- what it prints ------------------------------------------------------------------------------------

def report(result: dict, args) -> None:
    run, began = result["run"], result["began"]
    events = run.stats.events
    failed = [e for e in events if not e[3]]
    posts = run.stats.statuses["idea post"]
    print(f"{result['name']}: {args.phones} phones, {args.workers} workers, {args.seconds:g} s of ideas "
          f"(one every {args.idea_every:g} s a phone), {len(events)} requests; machine load before "
          f"{result['load']:.1f}, during {os.getloadavg()[0]:.1f}")
    if "killed" in result:
        at = ", ".join(f"{moment - began:.1f}" for moment, _pid, _caught in result["killed"])
        caught = sum(1 for *_rest, was in result["killed"] if was)
        print(f"  {len(result['killed'])} workers killed (SIGKILL) at {at} s, {caught} of them caught with an idea's "
              f"write open ({'the WAL write lock' if result['name'].endswith('sqlite') else 'a transaction that had written'}); "
              f"replaced by gunicorn {result['workers_replaced']}")
        print(f"  requests failed during the kills {run.reconnects.count + len(failed)}: sent again at once "
              f"on a new connection {run.reconnects.count} (of them idea posts {len(run.reconnects.ideas)}); "
              f"without an answer {len(failed)} ({status_counts(events)})")
    else:
        times = result["times"]
        outage = times["up"] - times["stop"]
        during = [e for e in events if times["stop"] <= e[0] <= times["up"]]
        failures = [e for e in during if not e[3]]
        result["slowest_failure"] = max((e[4] for e in failures), default=0.0)
        before = [e[4] for e in events if e[3] and times["stop"] - 10 <= e[0] < times["stop"]]
        first_ok = min((e[0] - times["up"] for e in events if e[3] and e[1] in DATABASE_KINDS
                        and e[0] > times["up"]), default=None)
        last_fail = max((e[0] - times["up"] for e in events if not e[3] and e[0] > times["stop"]), default=None)
        print(f"  PostgreSQL stopped (-m {args.stop_mode}) at {times['stop'] - began:.1f} s (down after "
              f"{times['down'] - times['stop']:.1f} s), started after {args.outage:g} s down, accepting at "
              f"{times['up'] - began:.1f} s: outage {outage:.1f} s; workers replaced {result['workers_replaced']}")
        print(f"  requests during the outage {len(during)}, failed {len(failures)} ({status_counts(during)})")
        phases = (("while stopping", times["stop"], times["down"]), ("while down", times["down"], times["start"]),
                  ("while starting", times["start"], times["up"]))
        print("  failures took (p50 / p95 / max, s): " + "; ".join(
            f"{label} {len(part)}: {percentile(part, 0.5):.3f} / {percentile(part, 0.95):.3f} / {max(part, default=0):.3f}"
            for label, low, high in phases for part in [[e[4] for e in failures if low <= e[0] < high]])
            + f"; answers in the 10 s before: p50 {percentile(before, 0.5):.3f} p95 {percentile(before, 0.95):.3f}")
        pages = ", ".join(f"{status} {'translated page' if calm else 'NOT the 503 page'} Retry-After {retry} × {n}"
                          for (status, calm, retry), n in run.probe_pages.items()) or "none failed"
        print(f"  table page reloaded every 0.5 s during the outage: {pages}")
        if first_ok is None:
            print("  no request succeeded after the restart")
        else:
            print(f"  requests succeeded again {first_ok:.2f} s after PostgreSQL accepted connections; the last "
                  f"failure ended {last_fail:+.2f} s from then")
    print(f"  idea posts: stored 201 × {posts.get(201, 0)}, already stored 200 × {posts.get(200, 0)} (a resend "
          f"whose first copy had reached the database), 503 × {posts.get(503, 0)}, 500 × {posts.get(500, 0)}; "
          f"ideas sent again from the outbox {run.outbox_resent} (same key); outboxes drained in "
          f"{result['drain']:.1f} s, still waiting {result['pending']}")
    print(f"  acknowledged {result['acknowledged']} stored {result['stored']} lost {result['lost']} "
          f"doubled {result['doubled']} (written {result['made']}, stored without an answer {result['unanswered']})")
    result["fives"] = sum(c.get(500, 0) for c in run.stats.statuses.values())
    if result["fives"]:
        print(f"  500 answers {result['fives']}; gunicorn's log says:")
        print("\n".join(line for line in result["log"].splitlines() if "Error" in line)[-2000:])


def main(args) -> int:
    random.seed(args.seed)
    results = []
    started = time.monotonic()
    for name in args.only:
        if name.endswith("postgres"):
            with own_cluster(args) as cluster:
                results.append(asyncio.run(scenario(name, args, cluster.url, cluster)))
        else:
            results.append(asyncio.run(scenario(name, args, None, None)))
    missed = [f"{r['name']}: lost {r['lost']} doubled {r['doubled']}" for r in results if r["lost"] or r["doubled"]]
    missed += [f"{r['name']}: {r['fives']} answers 500" for r in results if r["fives"]]
    missed += [f"{r['name']}: {r['pending']} ideas still on phones" for r in results if r["pending"]]
    missed += [f"{r['name']}: a failure during the outage took {r['slowest_failure']:.1f} s" for r in results
               if r.get("slowest_failure", 0) > args.fail_within]
    print(f"faults: {len(results)} scenarios in {time.monotonic() - started:.0f} s; "
          + ("; ".join(missed) if missed else "0 ideas lost or doubled, no 500, every failure fast"))
    return 1 if missed else 0


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        type=lambda text: [name for name in text.split(",") if name],
                        help=f"scenarios, comma-separated: {', '.join(SCENARIOS)}")
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--arrivals", type=float, default=25, help="phones joining per second")
    parser.add_argument("--seconds", type=float, default=30, help="how long phones write ideas")
    parser.add_argument("--idea-every", type=float, default=4, help="mean seconds between a phone's ideas")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4 threads each)")
    parser.add_argument("--kills", type=int, default=3, help="workers killed in a kill scenario")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--stop-mode", default="fast", choices=("fast", "immediate"),
                        help="pg_ctl's shutdown mode (fast: what a restart does; immediate: a crash)")
    parser.add_argument("--drain", type=float, default=30, help="at most this long for the outboxes to empty")
    parser.add_argument("--fail-within", type=float, default=3.0,
                        help="a request failing during the outage must not take longer")
    parser.add_argument("--pg-bin", help="PostgreSQL's server binaries (default: newest /usr/lib/postgresql/*/bin)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    unknown = [name for name in args.only if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {unknown}; choose from {', '.join(SCENARIOS)}")
    return args


if __name__ == "__main__":
    sys.exit(main(arguments()))
