"""Command-line tools: `flask users`, `flask translate`, `flask demo`, `flask jobs`, `flask export`, `flask import`,
`flask backup`, `flask restore`, `flask process`."""
import os
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from app.audit_cli import register_audit_cli
from app.backup.cli import register_backup_cli
from app.exports.cli import register_export_cli
from app.privacy.cli import register_privacy_cli
from app.process_cli import register_process_cli
from app.extensions import db
from app.links import is_loopback
from app.services.administration import audit
from app.services.administration import users as user_service
from app.services.errors import DomainError

ROOT = Path(__file__).resolve().parent.parent


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register_cli(app: Flask) -> None:
    @app.cli.group()
    def users():
        """Staff accounts and their roles."""

    @users.command("create")
    @click.argument("email")
    @click.option("--admin", is_flag=True, help="Site admin: creates processes and grants roles.")
    @click.option("--name", default="", help="Display name.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create_user(email, admin, name, password_stdin):
        """Create a staff account."""
        try:
            user = user_service.create_user(email, _read_password(password_stdin), name=name, is_admin=admin)
        except DomainError as error:
            raise click.ClickException(str(error.message))
        db.session.commit()
        click.echo(f"Created {user.email}{' (site admin)' if admin else ''}.")

    @users.command("grant")
    @click.argument("email")
    @click.argument("process")
    @click.argument("role", type=click.Choice(["organiser", "moderator", "interpreter", "steering"]))
    def grant(email, process, role):
        """Give EMAIL the ROLE in PROCESS (its id or UUID)."""
        user = user_service.find_user(email)
        if user is None:
            raise click.ClickException(f"No account with the address {email}.")
        try:
            found = user_service.find_process(process)
        except DomainError as error:
            raise click.ClickException(str(error.message))
        user_service.grant_role(user, found, role)
        audit.record("role.grant", user.email, process_id=found.id, detail={"role": role},
                     actor=audit.CLI_ACTOR)
        db.session.commit()
        click.echo(f"{user.email} is {role} of {found.title!r}.")

    @app.cli.group()
    def translate():
        """Translation catalogs: extract, update, compile."""

    def pybabel(*args: str) -> None:
        command = [str(Path(sys.executable).parent / "pybabel"), *args]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            raise click.ClickException(f"{' '.join(args[:1])} failed")

    @translate.command("extract")
    def extract():
        """Collect the messages of the code and templates into messages.pot."""
        pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-c", "Translators:", "-o", "messages.pot", ".")

    @translate.command("update")
    def update():
        """Extract, then merge new messages into every catalog."""
        extract.callback()
        pybabel("update", "-i", "messages.pot", "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete")

    @translate.command("compile")
    def compile_():
        """Build the .mo files the app reads."""
        pybabel("compile", "-d", "translations", "--statistics")

    @translate.command("init")
    @click.argument("language")
    def init(language):
        """Start a catalog for a new language."""
        extract.callback()
        pybabel("init", "-i", "messages.pot", "-d", "translations", "-l", language)

    @app.cli.command("demo")
    def demo():
        """Create (once) the demo process, event and organiser; print how to join and log in."""
        from app.services.administration.demo import seed_demo

        result = seed_demo(current_app.config["DEMO_CREDENTIALS_FILE"])
        db.session.commit()
        here = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
        base = current_app.config["PUBLIC_BASE_URL"] or here
        click.echo(f"Demo event: {result.event.title} ({'created' if result.created else 'already there'})")
        click.echo(f"  Join code: {result.event.code}")
        click.echo(f"  Join URL:  {base}/j/{result.event.code}")
        if is_loopback(base):
            click.echo("  Warning: phones cannot reach this address; it names this computer only. For a café, set\n"
                       "  PUBLIC_BASE_URL to this computer's address on the venue's network (`hostname -I` shows it),\n"
                       "  e.g. HOST=0.0.0.0 PUBLIC_BASE_URL=http://192.168.1.20:5000 make run (docs/deployment.md).")
        # On this computer: a password typed at the address the phones use crosses the venue's Wi-Fi.
        click.echo(f"  Organiser login (on this computer): {here}/auth/login")
        click.echo(f"    e-mail:   {result.email}")
        click.echo(f"    password: {result.password}")
        if result.process.results_public:
            click.echo(f"  Public results (no login): {base}/results/{result.process.uuid}")

    @app.cli.group("jobs")
    def jobs_group():
        """Background jobs (machine translation): the worker that runs them."""

    @jobs_group.command("work")
    @click.option("--once", is_flag=True, help="Run the jobs that are due, then stop.")
    @click.option("--sleep", default=1.0, show_default=True, help="Seconds to wait when no job is due.")
    def work(once, sleep):
        """Claim and run background jobs until stopped; several workers may run at once."""
        from app.services.administration import jobs
        from app.services.multilingual import machine_translation  # noqa: F401 - registers its handler

        click.echo(f"Job worker {jobs.worker_name()} started.")
        try:
            done = jobs.work(once=once, idle_sleep=sleep)
        except KeyboardInterrupt:
            return
        click.echo(f"{done} job(s) done.")

    @jobs_group.command("retry")
    @click.option("--kind", default=None, help="Only jobs of this kind, e.g. translate_idea.")
    def retry(kind):
        """Queue the failed jobs again, e.g. after the translation server was down for long."""
        from app.services.administration import jobs

        click.echo(f"{jobs.retry_failed(kind)} failed job(s) queued again.")

    register_privacy_cli(app)
    register_export_cli(app)
    register_backup_cli(app)
    register_audit_cli(app)
    register_process_cli(app)
