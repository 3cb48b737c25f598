"""Every way of serving says the same: the Makefile, gunicorn.conf.py, the Dockerfile, compose.yaml,
deploy/systemd and deploy/nginx.conf. None of them can run here (no container registry, no
systemd), so their files are read and compared; and gunicorn with the config serves the app from
the runtime requirements alone."""
import ast
import configparser
import importlib.metadata
import json
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from config import Config
from tests.gunicorn_server import ROOT, Server, migrate, new_secret, server_environment

TEST_TOOLS = {"pytest", "pytest-timeout", "pyzbar", "playwright", "pyyaml"}
APP_SOURCES = [ROOT / "config.py", ROOT / "wsgi.py", ROOT / "gunicorn.conf.py",
               *(ROOT / "app").rglob("*.py"), *(ROOT / "migrations").rglob("*.py")]
ENVIRON_READ = re.compile(r"""os\.(?:environ(?:\.get)?\(|environ\[|getenv\()\s*["'](\w+)["']""")


def read_by_app() -> set[str]:
    """The environment variables the app and gunicorn.conf.py read."""
    return {name for path in APP_SOURCES for name in ENVIRON_READ.findall(path.read_text())}


def program(argv: list[str]) -> list[str]:
    """A command as it is run, whatever folder its program is installed in."""
    return [Path(argv[0]).name, *argv[1:]]


def make_dry_run(target: str, *settings: str) -> list[str]:
    """The commands `make` would run for `target`, all of them as if nothing were made yet."""
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", target, *settings], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.replace("\\\n", " ").splitlines()


def makefile_command(target: str, word: str, *settings: str) -> tuple[dict, list[str]]:
    """The environment and the command of the line of `target`'s recipe that runs `word`."""
    line = next(line for line in make_dry_run(target, *settings) if f"/{word} " in line)
    command = line.split("; ")[-1] if word == "gunicorn" else line
    command = command.split(" & ")[0].split(" 2>&1")[0].split(" >/dev/null")[0]
    words = shlex.split(command)
    environment = {}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        environment[name] = value
    return environment, program(words)


@pytest.fixture(scope="module")
def serve_line():
    return makefile_command("serve", "gunicorn")[1]


def gunicorn_config(monkeypatch, **environment) -> dict:
    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "LOG_IP"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_make_serve_runs_gunicorn_with_the_config_and_its_settings_still_work(monkeypatch, serve_line):
    assert serve_line == ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    environment, _ = makefile_command("serve", "gunicorn", "HOST=0.0.0.0", "PORT=8123", "WORKERS=3")
    settings = gunicorn_config(monkeypatch, **environment)
    assert (settings["bind"], settings["workers"]) == ("0.0.0.0:8123", 3)
    assert set(environment) <= read_by_app()
    assert makefile_command("serve", "flask")[1] == ["flask", "--app", "wsgi", "jobs", "work"]


def test_the_config_keeps_connections_of_polling_phones_and_logs_its_own_way(monkeypatch):
    settings = gunicorn_config(monkeypatch)
    assert settings["bind"] == "127.0.0.1:5000"  # as `make run`: this computer only
    assert settings["workers"] >= 2 and settings["threads"] == 4 and settings["worker_class"] == "gthread"
    assert settings["keepalive"] >= 5  # phones poll every 3 s
    assert settings["timeout"] > 0 and settings["graceful_timeout"] > 0
    assert settings["logger_class"].__name__ == "RequestLog"
    assert gunicorn_config(monkeypatch, WEB_CONCURRENCY="5")["workers"] == 5


def test_the_guide_names_every_setting_the_app_reads():
    guide = (ROOT / "docs/deployment.md").read_text()
    assert {name for name in read_by_app() if f"`{name}" not in guide} == set()


def test_make_run_installs_the_runtime_only_and_make_test_the_test_tools_too():
    assert not any("requirements-dev.txt" in line for line in make_dry_run("run"))
    assert any("-r requirements.txt" in line for line in make_dry_run("run"))
    assert any("-r requirements-dev.txt" in line for line in make_dry_run("test"))


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(normalise(Requirement(line).name))
    return names


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_runtime_requirements_hold_no_test_tools():
    assert not requirement_names(ROOT / "requirements.txt") & TEST_TOOLS
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in dev.splitlines()
    assert TEST_TOOLS <= requirement_names(ROOT / "requirements-dev.txt")


def installed_with(requirements: Path) -> set[str]:
    """The distributions that installing `requirements` brings, with everything they require."""
    wanted = [Requirement(line.split("#")[0].strip()) for line in requirements.read_text().splitlines()
              if line.split("#")[0].strip() and not line.startswith("-")]
    found, extras = set(), {}
    while wanted:
        requirement = wanted.pop()
        name = normalise(requirement.name)
        if name in found and requirement.extras <= extras.get(name, set()):
            continue
        found.add(name)
        extras[name] = extras.get(name, set()) | requirement.extras
        try:
            required = importlib.metadata.requires(requirement.name) or []
        except importlib.metadata.PackageNotFoundError:  # not installed here: nothing to follow
            required = []
        for text in required:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra})
                                            for extra in extras[name] | {""}):
                wanted.append(needed)
    return found


def test_the_runtime_requirements_cover_every_import_of_the_app():
    """What a fresh environment made from requirements.txt alone holds is enough to run the app."""
    provided = installed_with(ROOT / "requirements.txt")
    distributions = importlib.metadata.packages_distributions()
    local = {"app", "config", "wsgi", "migrations"}
    missing = set()
    for path in APP_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for top in {module.split(".")[0] for module in modules} - local - set(sys.stdlib_module_names):
                if not {normalise(d) for d in distributions.get(top, [])} & provided:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing


def test_gunicorn_with_the_config_serves_the_app_without_test_tools(tmp_path):
    """A fresh checkout, migrated by `flask db upgrade`, answers through gunicorn.conf.py."""
    env = server_environment(tmp_path, f"sqlite:///{tmp_path / 'app.db'}", new_secret())
    migrate(env)
    server = Server(tmp_path, env)
    try:
        health = server.get("/healthz")
        front = server.get("/", headers={"Accept-Language": "de"})
    finally:
        server.stop()
    assert health.status == 200 and json.loads(health.body) == {"status": "ok", "database": "ok"}
    assert front.status == 200 and b"<html" in front.body


# The Dockerfile

def dockerfile() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def dockerfile_env() -> dict[str, str]:
    pairs = [word.partition("=") for key, rest in dockerfile() if key == "ENV" for word in shlex.split(rest)]
    return {name: value for name, _, value in pairs}


def test_the_image_installs_the_runtime_only_and_runs_as_a_user():
    instructions = dockerfile()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = [rest for key, rest in instructions if key == "RUN"]
    assert any("pip install -r requirements.txt" in run for run in runs)
    assert not any("requirements-dev" in rest for _, rest in instructions)
    users = [rest for key, rest in instructions if key == "USER"]
    assert users and users[-1] not in ("root", "0") and any("useradd" in run and users[-1] in run for run in runs)


def test_the_image_is_made_and_started_as_make_run_does(serve_line):
    runs = " && ".join(rest for key, rest in dockerfile() if key == "RUN")
    build_steps = [program(shlex.split(step)) for step in runs.split(" && ")]
    assert makefile_command("translations", "pybabel")[1] in build_steps
    assert makefile_command("static", "flask")[1] in build_steps
    command = json.loads(next(rest for key, rest in dockerfile() if key == "CMD"))
    assert command[:2] == ["sh", "-c"]
    migration, server = command[2].split(" && ")
    assert program(shlex.split(migration)) == makefile_command("db", "flask")[1] == [
        "flask", "--app", "wsgi", "db", "upgrade"]
    assert shlex.split(server) == ["exec", *serve_line]


def test_the_images_settings_are_read_by_the_app():
    env = dockerfile_env()
    assert {name for name in env if not name.startswith(("PYTHON", "PIP_"))} <= read_by_app()
    assert env["APP_ENV"] == "production" and env["HOST"] == "0.0.0.0"
    assert ("EXPOSE", env["PORT"]) in dockerfile()
    healthcheck = next(rest for key, rest in dockerfile() if key == "HEALTHCHECK")
    assert "/healthz" in healthcheck


def test_the_image_leaves_out_environments_secrets_and_data():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", ".env", "instance", ".git"} <= ignored
    needed = {"app", "migrations", "translations", "config.py", "wsgi.py", "gunicorn.conf.py", "requirements.txt"}
    assert not needed & ignored


# compose.yaml

@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]


def test_compose_runs_postgresql_15_kept_in_a_volume_and_checked(compose):
    db = compose["db"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")
    assert volume[1] == "/var/lib/postgresql/data"
    assert volume[0] in yaml.safe_load((ROOT / "compose.yaml").read_text())["volumes"]


def test_compose_starts_the_app_on_a_healthy_database_and_the_worker_after_it(compose, serve_line):
    app, worker = compose["app"], compose["worker"]
    assert app["build"] == worker["build"] == "."
    assert "command" not in app  # the image's: `flask db upgrade`, then gunicorn with the config
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["app"]["condition"] == "service_healthy"  # migrated
    assert worker["command"] == makefile_command("serve", "flask")[1]
    assert app["ports"][0].rsplit(":", 1)[1] == dockerfile_env()["PORT"]
    graceful = gunicorn_settings()["graceful_timeout"]
    assert int(app["stop_grace_period"].rstrip("s")) > graceful


def gunicorn_settings() -> dict:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_compose_sets_only_settings_the_app_reads_and_points_it_at_its_database(compose):
    for name in ("app", "worker"):
        assert set(compose[name]["environment"]) <= read_by_app()
    url = compose["app"]["environment"]["DATABASE_URL"]
    db = compose["db"]["environment"]
    assert url.startswith(f"postgresql://{db['POSTGRES_USER']}:") and url.endswith(f"@db:5432/{db['POSTGRES_DB']}")


# deploy/systemd and deploy/nginx.conf

def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string((ROOT / "deploy/systemd" / name).read_text())
    return parser["Service"]


def unit_environment(service) -> dict[str, str]:
    return dict(word.split("=", 1) for word in shlex.split(service.get("Environment", "")))


def test_the_systemd_units_run_what_make_serve_runs(serve_line):
    app, jobs = unit("worldcafe.service"), unit("worldcafe-jobs.service")
    assert program(shlex.split(app["ExecStart"])) == serve_line
    assert program(shlex.split(app["ExecStartPre"])) == makefile_command("db", "flask")[1]
    assert program(shlex.split(jobs["ExecStart"])) == makefile_command("serve", "flask")[1]
    for service in (app, jobs):
        assert Path(shlex.split(service["ExecStart"])[0]).parent == Path(service["WorkingDirectory"], ".venv/bin")
        assert set(unit_environment(service)) <= read_by_app()
        assert service["User"] != "root"
    assert int(app["TimeoutStopSec"]) > gunicorn_settings()["graceful_timeout"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    for name in ("worldcafe.service", "worldcafe-jobs.service"):
        text = (ROOT / "deploy/systemd" / name).read_text().replace("/srv/worldcafe", str(ROOT))
        (tmp_path / name).write_text(text.replace("=worldcafe\n", "=root\n"))
    done = subprocess.run(["systemd-analyze", "verify", *map(str, tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def nginx_text() -> str:
    return (ROOT / "deploy/nginx.conf").read_text()


def test_nginx_hands_requests_to_the_units_address_with_what_the_app_needs(monkeypatch):
    text = nginx_text()
    service = unit_environment(unit("worldcafe.service"))
    assert f"server {service['HOST']}:{service['PORT']};" in text
    assert service["TRUSTED_PROXIES"] == "1"
    for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in text
    keepalive = int(re.search(r"keepalive_timeout (\d+)s;", text).group(1))
    assert keepalive < gunicorn_config(monkeypatch)["keepalive"]
    body = int(re.search(r"client_max_body_size (\d+)m;", text).group(1)) * 1024 * 1024
    assert body >= Config.MAX_CONTENT_LENGTH
    assert "access_log off;" in text  # it would write every secret link in full


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None,
                    reason="nginx or openssl is not installed")
def test_nginx_accepts_the_example(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=cafe.test",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (nginx_text().replace("/etc/letsencrypt/live/cafe.stadt.example/fullchain.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/letsencrypt/live/cafe.stadt.example/privkey.pem", str(tmp_path / "key.pem"))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {tmp_path};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/main.log;\n"
                                         f"events {{}}\nhttp {{ {temp} include {tmp_path}/site.conf; }}\n")
    done = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# One venue laptop

def test_the_demo_sends_staff_to_log_in_on_the_laptop_not_over_the_wifi(runner, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    output = runner.invoke(args=["demo"]).output
    assert "Join URL:  http://cafe.test/j/" in output  # PUBLIC_BASE_URL: the address phones reach
    assert "Organiser login (on this computer): http://127.0.0.1:5000/auth/login" in output
