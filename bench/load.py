"""Load benchmark of a real café: phones join, poll, write ideas and vote; hosts capture; a moderator
runs the rounds; on SQLite or PostgreSQL, against gunicorn with the `make serve` settings.

Run from the project root, after `.venv/bin/pip install -r bench/requirements.txt`:

    .venv/bin/python bench/load.py --phones 1000 --seconds 180
    .venv/bin/python bench/load.py --phones 1000 --seconds 180 --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/load.py --phones 3000 --ramp 500 --seconds 30     # where p95 passes 500 ms
    .venv/bin/python bench/load.py --phones 1000 --seconds 180 --instances 2 --database postgresql+psycopg://...

The database is a fresh temporary SQLite file, or a database `loadbench_<pid>` created on the given
PostgreSQL server and dropped afterwards. Traffic goes to 127.0.0.1 only; the run stops by itself
after --seconds (plus a short drain) or --max-requests. The generator is lean (asyncio, aiohttp,
uvloop) rather than Locust, since it shares the two cores with the app; its own CPU time is printed.

The café: phones arrive at --arrivals a second (a queue at the door) and join at their table's QR
code (8 per table, a host per table); then, over --seconds S, round 1 starts, is extended at 0.2 S,
round 2 follows at 0.4 S (rotation seats everyone anew), at 0.6 S the round is closed and the dot
vote opened. Each phone polls every 3 s
with its ETag, fetches the fragment when the revision moves, writes an idea about every
--idea-every seconds while a round runs (with an idempotency key; the outbox resends), and gives
its dots. Then the run drains, every phone's last state is compared with the database and with a
fresh poll, and the ideas acknowledged are compared with the ideas stored.
"""
import argparse
import asyncio
import json
import os
import random
import shlex
import subprocess
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import aiohttp
except ImportError:
    sys.exit("bench/load.py needs the bench requirements: .venv/bin/pip install -r bench/requirements.txt")

import load_setup  # noqa: E402
from load_actors import Host, Phone, Staff, Stats  # noqa: E402
from load_profile import Profiler  # noqa: E402
from load_report import Report, steady  # noqa: E402

PER_TABLE = 8


@dataclass
class Watch:
    """A change the moderator made, and when each phone first showed it."""
    predicate: object
    sent: float
    post_seconds: float = 0.0


class Run:
    """What every actor shares: where to send, the clock, the flags of the timeline, the bookkeeping."""

    def __init__(self, args, bases, seeded):
        self.bases, self.code, self.workers = bases, seeded["code"], args.workers
        self.interval = 3.0
        self.idea_every, self.host_every, self.dots = args.idea_every, args.host_every, 5
        self.max_requests = args.max_requests
        self.timeout = aiohttp.ClientTimeout(total=30)
        self.stats = Stats()
        self.tag = f"L{os.getpid()}"
        self.stopping = self.ideas_stopped = self.round_running = self.arrivals_closed = False
        self.watches: dict[str, Watch] = {}
        self.acked: dict[str, str] = {}
        self.voters = set()
        self.tasks = set()
        self.phones = []
        self.clients = []
        self.loop_lag = array("d")
        self.profiler = None
        self.samples = []
        self.cpu_probe = None  # () -> (generator, app, machine busy) CPU seconds, sampled each second
        self.cpu_samples = []
        self.reconnects = 0

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def later(self, delay: float, action) -> None:
        await asyncio.sleep(delay)
        if not self.stopping:
            await action()

    async def sleep_until(self, moment: float) -> None:
        await asyncio.sleep(max(0.0, moment - asyncio.get_running_loop().time()))

    def stop_all(self) -> None:
        self.stopping = True

    def saw(self, phone, state: dict) -> None:
        now = asyncio.get_running_loop().time()
        for name, watch in self.watches.items():
            if name not in phone.seen and watch.predicate(state):
                phone.seen[name] = now

    async def watch_loop(self) -> None:
        """How late the generator's own timers fire: if this grows, latencies measure the generator."""
        loop = asyncio.get_running_loop()
        ticks = 0
        while not self.stopping:
            due = loop.time() + 0.25
            await asyncio.sleep(0.25)
            self.loop_lag.append(loop.time() - due)
            ticks += 1
            if self.cpu_probe and ticks % 4 == 0:
                self.cpu_samples.append((loop.time(), *self.cpu_probe()))

    def acknowledged(self, key: str, text: str) -> None:
        self.acked[key] = text

    def voted(self, phone) -> bool:
        """True if this phone has begun voting already (a reloaded vote page gives no more dots)."""
        if phone in self.voters:
            return True
        self.voters.add(phone)
        return False


def in_round(round_id: int, state: str):
    return lambda s: bool(s.get("round")) and s["round"]["id"] == round_id and s["round"]["state"] == state


async def control(run: Run, moderator: Staff, name: str, path: str, predicate, **fields) -> None:
    watch = run.watches[name] = Watch(predicate, asyncio.get_running_loop().time())
    await moderator.act(path, **fields)
    watch.post_seconds = moderator.post_seconds


async def stage_people(run: Run, seeded: dict, phones: int, join_times: list[float]):
    """The moderator logged in at the console, the projector, the phones and hosts set to arrive."""
    moderator = Staff(run, 0, "console")
    await moderator.login(seeded["email"], seeded["password"])
    await moderator.open(f"/moderate/events/{seeded['event_id']}")
    projector = Staff(run, 1, "projector")
    await projector.open(f"/p/{seeded['projector']}")
    run.spawn(moderator.watch())
    run.spawn(projector.watch())
    run.spawn(run.watch_loop())
    # Warm-up, not counted: a few people join, so every worker has compiled the phones' templates.
    warm = [Phone(run, -1 - n, 1) for n in range(2 * len(run.bases) * run.workers)]
    for phone in warm:
        phone.client.recording = False
    await asyncio.gather(*(phone.join() for phone in warm))
    people = run.phones = [Phone(run, n, n // PER_TABLE + 1) for n in range(phones)]
    for phone, moment in zip(people, join_times):
        run.spawn(phone.main(moment))
    for number, token in enumerate(seeded["hosts"], start=1):
        first = (number - 1) * PER_TABLE
        if first < phones:
            run.spawn(Host(run, number, token).main(join_times[first]))
    return moderator, people


async def cafe(run: Run, args, seeded: dict, report: Report):
    """The scripted café of the module docstring; returns the phones."""
    loop = asyncio.get_running_loop()
    seconds, n = args.seconds, args.phones
    event = f"/moderate/events/{seeded['event_id']}"
    r1, r2, r3 = seeded["rounds"]
    start = loop.time() + 1
    joins = [start + i / args.arrivals for i in range(n)]
    moderator, phones = await stage_people(run, seeded, n, joins)
    report.begin(start)
    cafe_start = joins[-1] + 3  # the moderator starts once everyone is in
    if run.profiler:
        await run.sleep_until(start)
        run.profiler.start(cafe_start + seconds - start)
    await run.sleep_until(cafe_start)
    await control(run, moderator, "round 1 started", f"{event}/rounds/{r1}/start", in_round(r1, "running"))
    run.round_running = True
    await run.sleep_until(cafe_start + 0.2 * seconds)
    await moderator.act(f"{event}/rounds/{r1}/extend", minutes=5)
    await run.sleep_until(cafe_start + 0.4 * seconds)
    await control(run, moderator, "round 2 started", f"{event}/next", in_round(r2, "running"),
                  confirmed=1)  # round 1 has time left: the console asks first
    await run.sleep_until(cafe_start + 0.6 * seconds)
    run.round_running = False
    await control(run, moderator, "round 2 closed", f"{event}/rounds/{r2}/close", in_round(r3, "planned"),
                  confirmed=1)
    await control(run, moderator, "vote opened", f"/moderate/events/{seeded['event_id']}/vote/open",
                  lambda s: s.get("vote_state") == "open", dots=5, max_per_idea=3)
    await run.sleep_until(cafe_start + seconds)
    run.ideas_stopped = True
    report.end(loop.time())
    await asyncio.sleep(2 * run.interval + 2)  # no more writes: every phone polls at least once more
    return phones


async def ramp(run: Run, args, seeded: dict, report: Report):
    """Phones arrive in steps of --ramp with round 1 running; each step is measured for --seconds,
    from 5 s after its last arrival."""
    loop = asyncio.get_running_loop()
    event = f"/moderate/events/{seeded['event_id']}"
    step, n = args.ramp, args.phones
    targets = list(range(step, n, step)) + [n]
    joins, moment, before = [], loop.time() + 1, 0
    for target in targets:
        joins += [moment + (i - before) / args.arrivals for i in range(before, target)]
        moment = joins[-1] + 5 + args.seconds
        before = target
    moderator, phones = await stage_people(run, seeded, n, joins)
    await control(run, moderator, "round 1 started", f"{event}/rounds/{seeded['rounds'][0]}/start",
                  in_round(seeded["rounds"][0], "running"))
    run.round_running = True
    for target in targets:
        settled = joins[target - 1] + 5
        await run.sleep_until(settled)
        if report.start is None:
            report.begin(settled)
        await run.sleep_until(settled + args.seconds)
        if not report.ramp_step(target, settled, loop.time()) or run.stopping:
            break
    run.ideas_stopped = run.arrivals_closed = True
    await asyncio.sleep(2 * run.interval + 2)
    return [phone for phone in phones if phone.joined_at is not None]


async def final_check(run: Run, phones, env, seeded) -> dict:
    """Every phone's last state against a fresh poll of its own and against the database."""
    database = load_setup.in_app("check", env, str(seeded["event_id"]))
    limit = asyncio.Semaphore(50)

    async def fresh(phone):
        async with limit:
            reply = await phone.client.request("final", "GET", phone.live.live_url,
                                               headers={"Accept": "application/json"}, record=False)
            return None if reply is None or reply.status != 200 else reply.body

    joined = [p for p in phones if p.joined_at is not None and p.live.state is not None]
    bodies = await asyncio.gather(*(fresh(p) for p in joined))
    same, differences = 0, Counter()
    for phone, body in zip(joined, bodies):
        fresh = steady(json.loads(body)) if body else {}
        last = steady(phone.live.state)
        if fresh == last:
            same += 1
        else:
            differences.update(key for key in set(fresh) | set(last) if fresh.get(key) != last.get(key))
            if len(run.samples) < 2:
                run.samples.append((phone.page, last, fresh))
    shown = database["round"]
    on_db = sum(1 for p in joined if p.live.state.get("vote_state") == database["vote_state"] and (
        (p.live.state.get("round") or {}).get("id") == (shown or {}).get("id")) and (
        (p.live.state.get("round") or {}).get("state") == (shown or {}).get("state")))
    revision = sum(1 for p in joined if p.live.state.get("revision") == database["revision"])
    return {"database": database, "joined": len(joined), "same_as_fresh": same, "on_database": on_db,
            "differences": dict(differences), "samples": run.samples,
            "on_revision": revision, "pending": sum(len(p.outbox) for p in phones)}


def rate_limits(env: dict) -> str:
    """The line naming the rate limits' storage and values the servers run with (their environment)."""
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "limits"], cwd=load_setup.ROOT,
                          env=env, capture_output=True, text=True)
    return done.stdout.strip() or f"rate limits: unknown ({done.stderr.strip()[-200:]})"


async def main(args) -> None:
    load_before = os.getloadavg()
    extra = shlex.split(args.gunicorn)
    with load_setup.stage(args.database, args.instances, args.workers, args.phones, extra) as (servers, seeded, env):
        limits = rate_limits(env)
        run = Run(args, [server.base for server in servers], seeded)
        if args.profile:
            run.profiler = Profiler(args.profile, servers[0].proc.pid)
        report = Report(run, args, seeded, servers, load_before)
        run.cpu_probe = report.cpu if args.timeline else None
        try:
            phones = await (ramp(run, args, seeded, report) if args.ramp else cafe(run, args, seeded, report))
            run.stopping = True
            if run.tasks:  # requests in flight get their answers; then sleepers are woken for good
                await asyncio.wait(list(run.tasks), timeout=10)
            for task in list(run.tasks):
                task.cancel()
            await asyncio.gather(*run.tasks, return_exceptions=True)
            check = await final_check(run, phones, env, seeded)
        finally:
            await asyncio.gather(*(client.close() for client in run.clients), return_exceptions=True)
        report.print(check)
        if args.timeline:
            print(f"every {args.timeline:.0f} s of the run:")
            report.timeline(args.timeline)
        print(limits)
        if run.profiler:
            print(run.profiler.summary())


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=120,
                        help="the café's length once everyone is in (with --ramp: the measure of each step)")
    parser.add_argument("--arrivals", type=float, default=10, help="phones joining per second")
    parser.add_argument("--database", help="a PostgreSQL URL on this machine (default: a temporary SQLite file)")
    parser.add_argument("--instances", type=int, default=1, help="app instances sharing the database, round robin")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per instance (4 threads each)")
    parser.add_argument("--gunicorn", default="", help='more gunicorn options, e.g. "--threads 1"')
    parser.add_argument("--ramp", type=int, default=0, help="add phones in steps of this many; report where p95 passes 500 ms")
    parser.add_argument("--idea-every", type=float, default=300, help="mean seconds between a phone's ideas")
    parser.add_argument("--host-every", type=float, default=120, help="mean seconds between a host's captures")
    parser.add_argument("--max-requests", type=int, default=3_000_000)
    parser.add_argument("--profile", metavar="FILE", help="py-spy the workers over the café; stacks to FILE")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeline", type=float, metavar="SECONDS", help="also print the figures per window of SECONDS")
    args = parser.parse_args()
    if args.instances > 1 and not args.database:
        parser.error("--instances > 1 needs --database (PostgreSQL): SQLite is one file on one machine")
    return args


if __name__ == "__main__":
    options = arguments()
    random.seed(options.seed)
    try:
        import uvloop
    except ImportError:
        uvloop = None
    (uvloop.run if uvloop else asyncio.run)(main(options))
