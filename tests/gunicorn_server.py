"""gunicorn as a server runs it, for tests: `gunicorn -c gunicorn.conf.py wsgi:app` on a free loopback
port, production settings, a temporary SQLite file migrated by `flask db upgrade`, and what it
writes to standard output (the access log) and standard error (the error log) kept in files.

The test tools cannot be imported by the server (a folder ahead on its path makes them fail), so
it runs as it would in an environment made from requirements.txt alone.
"""
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEST_TOOLS = ("pytest", "_pytest", "playwright", "pyzbar", "yaml")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def without_test_tools(folder: Path) -> Path:
    """A folder that, put first on PYTHONPATH, makes importing any test tool fail."""
    for name in TEST_TOOLS:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(
            f"raise ImportError('{name} is a test tool, not in requirements.txt')\n")
    return folder


def server_environment(folder: Path, database_url: str, secret_key: str, **settings: str) -> dict:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PYTEST", "TEST_DATABASE")) and name not in (
               "DATABASE_URL", "PUBLIC_BASE_URL", "TRUSTED_PROXIES", "LOG_IP", "TRANSLATE_URL")}
    env.update(APP_ENV="production", SECRET_KEY=secret_key, DATABASE_URL=database_url,
               PUBLIC_BASE_URL="http://127.0.0.1",  # production requires it; the tests reach 127.0.0.1
               PYTHONPATH=str(without_test_tools(folder / "blocked")), WEB_CONCURRENCY="1", **settings)
    return env


def migrate(env: dict) -> None:
    """The one migration step of every deployment."""
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


class Server:
    """One gunicorn started with the project's config; `stop()` ends it (and only it)."""

    def __init__(self, folder: Path, env: dict, name: str = "server"):
        self.port = free_port()
        self.access_log = folder / f"{name}-access.log"
        self.error_log = folder / f"{name}-error.log"
        env = dict(env, HOST="127.0.0.1", PORT=str(self.port))
        with open(self.access_log, "wb") as stdout, open(self.error_log, "wb") as stderr:
            self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                                            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
                                            start_new_session=True)
        self.requests = 0
        self._wait_until_ready()

    def _wait_until_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.error_log.read_text()[-3000:]}")
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer:\n{self.error_log.read_text()[-3000:]}")

    def get(self, path: str, headers: dict | None = None) -> SimpleNamespace:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            answer = SimpleNamespace(status=response.status, headers=response.headers, body=response.read())
        finally:
            connection.close()
        self.requests += 1
        return answer

    def access_lines(self, count: int, seconds: float = 10) -> list[str]:
        """The access log's lines once it holds `count` (it is written after each answer went out)."""
        deadline = time.monotonic() + seconds
        while True:
            lines = self.access_log.read_text().splitlines()
            if len(lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def new_secret() -> str:
    return secrets.token_hex(32)
