"""The stage of bench/load.py: a throwaway database, the seeded event, gunicorn, and the final count.

`seed` and `check` run in a child process with the app (`python bench/load_setup.py seed|check`), so
the load generator itself imports no app code and holds no database connection.
"""
import json
import math
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUESTIONS = [{"de": f"Frage {n}: Was soll sich ändern?", "en": f"Question {n}: what should change?"}
             for n in (1, 2, 3)]


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        sys.exit(f"refused: {host} is not a loopback address; this benchmark sends traffic to this machine only")


@contextmanager
def throwaway_database(url: str | None, workdir: Path):
    """A fresh SQLite file, or a new database `loadbench_<pid>` on the PostgreSQL server of `url`,
    dropped afterwards, so other people's test databases stay untouched."""
    if not url:
        yield f"sqlite:///{workdir / 'load.db'}"
        return
    require_loopback(url)
    import psycopg

    parts = urlsplit(url)
    name = f"loadbench_{os.getpid()}"
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def app_env(database_url: str, secret_key: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret_key, TRANSLATE_URL="", PYTHONUNBUFFERED="1")
    env.pop("APP_ENV", None)  # `make serve` runs the default Config (cookies over plain HTTP)
    return env


def in_app(command: str, env: dict, *args: str) -> dict:
    """Run `seed` or `check` of this file in a child process with the app; its JSON answer."""
    done = subprocess.run([sys.executable, __file__, command, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"{command} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def migrate(env: dict) -> None:
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"migration failed:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_arguments(workers: int, bind: str, access_log: Path) -> list[str]:
    """gunicorn's arguments as the Makefile's `serve` target gives them, with our workers, address
    and access log file, so the benchmark follows any change made there."""
    line = next((line for line in (ROOT / "Makefile").read_text().splitlines() if "/gunicorn " in line), None)
    if line is None:
        sys.exit("no gunicorn command in the Makefile's serve target")
    arguments = shlex.split(line.split("/gunicorn ", 1)[1].split(";")[0].split("&&")[0])
    # The Makefile hands address and workers to gunicorn.conf.py in the environment; options given
    # before the app win over the config file.
    arguments[-1:-1] = ["--workers", str(workers), "--bind", bind, "--access-logfile", str(access_log)]
    unknown = [argument for argument in arguments if "$(" in argument]
    if unknown:
        sys.exit(f"cannot read the Makefile's gunicorn line: {unknown}")
    return arguments


class Server:
    """One gunicorn with the `make serve` settings, started from the project root so that a
    gunicorn.conf.py there applies as it would in production."""

    def __init__(self, env: dict, workers: int, workdir: Path, extra: list[str]):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log = workdir / f"gunicorn-{self.port}.log"
        self.log = log
        self.arguments = serve_arguments(workers, f"127.0.0.1:{self.port}", workdir / f"access-{self.port}.log")
        self.arguments += extra  # later options win, e.g. --threads 1
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), *self.arguments, "--error-logfile", str(log)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer in {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")

    def last_errors(self, count: int = 2) -> list[str]:
        """The last tracebacks in gunicorn's error log (the app logs its 500s there)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        blocks = [block for block in text.split("\n[") if "Traceback" in block]
        return ["[" + block.strip()[-2500:] for block in blocks[-count:]]

    def pids(self) -> list[int]:
        return [self.proc.pid, *children(self.proc.pid)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids) -> float:
    """User + system CPU of these processes so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent outside idle and iowait since boot."""
    # user nice system idle iowait irq softirq steal; guest time is counted in user already.
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


@contextmanager
def stage(database: str | None, instances: int, workers: int, phones: int, extra: list[str]):
    """Database, migration, seeded event and running servers; everything removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="loadbench-"))
    servers = []
    try:
        with throwaway_database(database, workdir) as url:
            env = app_env(url, secrets.token_hex(32))
            migrate(env)
            seeded = in_app("seed", env, str(max(2, math.ceil(phones / 8))))
            try:
                servers = [Server(env, workers, workdir, extra) for _ in range(instances)]
                for server in servers:
                    server.wait_ready()
                yield servers, seeded, env
            finally:
                for server in servers:
                    server.stop()
                tracebacks = [block for server in servers for block in server.last_errors()]
                if tracebacks:
                    print("last tracebacks in gunicorn's error log:\n" + "\n".join(tracebacks))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- run inside the app (child process) ------------------------------------------------------------

def seed(tables: int) -> dict:
    """A process, a World-Café event with `tables` tables and three planned rounds, a moderator."""
    from app import create_app
    from app.extensions import db
    from app.services.cafe import events
    from app.services.administration import processes, users

    app = create_app()
    with app.app_context():
        process = processes.create_process("Lasttest")
        event = events.create_event(process, "Lasttest", languages=["de", "en"], table_count=tables,
                                    questions=QUESTIONS, round_minutes=30)
        email, password = "moderation@load.example", secrets.token_urlsafe(16)
        users.grant_role(users.create_user(email, password), process, "moderator")
        db.session.commit()
        return {"code": event.code, "event_id": event.id, "rounds": [r.id for r in event.rounds],
                "hosts": [t.host_token for t in event.tables], "tables": len(event.tables),
                "projector": event.projector_token, "email": email, "password": password}


def check(event_id: int) -> dict:
    """What the database holds at the end: every idea's key and text, the revision, the round phones
    should show, the vote."""
    from app import create_app
    from app.extensions import db
    from app.models import Contribution, Event, Vote
    from app.services.cafe.ideas import form_key
    from app.services.cafe.rounds import seating_round

    app = create_app()
    with app.app_context():
        event = db.session.get(Event, event_id)
        shown = seating_round(event)  # what phones show: the open round, else the next planned one
        ideas = db.session.execute(db.select(Contribution.idempotency_key, Contribution.text)
                                   .where(Contribution.event_id == event_id)).all()
        votes = db.session.scalar(db.select(db.func.count(Vote.id)).join(Contribution, Vote.contribution_id == Contribution.id)
                                  .where(Contribution.event_id == event_id))
        return {"revision": event.revision, "vote_state": event.vote_state, "votes": votes,
                "round": None if shown is None else {"id": shown.id, "state": shown.state},
                "ideas": [[form_key(key), text] for key, text in ideas]}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1] == "seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    elif sys.argv[1] == "check":
        print(json.dumps(check(int(sys.argv[2]))))
