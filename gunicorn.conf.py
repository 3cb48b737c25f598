"""gunicorn's settings, the same wherever the app is served: `make serve`, the Dockerfile, deploy/systemd.

    gunicorn -c gunicorn.conf.py wsgi:app

The environment chooses the address (HOST, PORT), the number of workers (WEB_CONCURRENCY) and
whether log lines name the client's address (LOG_IP=1); options on the command line win over this
file. docs/deployment.md says which setting does what.

This file imports nothing of the app: gunicorn's master reads it, also again on a reload (HUP),
and a master that had imported the app would hand its old code to the new workers.
"""
import json
import multiprocessing
import os
import re
import time

from gunicorn import glogging

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
# Threads let one worker answer polls while another request waits for the database; idle
# keep-alive connections wait in the worker's poller and hold no thread.
worker_class = "gthread"
threads = 4
# Phones poll every 3 s: a connection kept open longer than that is reused by the next poll
# instead of a new TCP (and TLS) handshake each time. A proxy in front must close its idle
# connections to gunicorn sooner than this (deploy/nginx.conf: keepalive_timeout 5s).
keepalive = 10
# A worker silent this long is killed and replaced. gthread workers stay heard while a request
# runs, so this does not cut a slow export or photo upload short.
timeout = 60
# On a restart or stop, requests in progress get this long to finish.
graceful_timeout = 30
# Heartbeats in memory rather than on a container's overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "worldcafe"
# No control socket (gunicornc): its default path is one per user, which every gunicorn of that user
# would share (two instances on one server, tests, benchmarks). Signals do the same: HUP reloads,
# TERM stops, TTIN and TTOU add and remove a worker.
control_socket_disable = True

accesslog = "-"  # standard output: the journal (systemd), `docker compose logs`, or a file via --access-logfile
errorlog = "-"
LOG_IP = os.environ.get("LOG_IP", "") == "1"

# A value that could break a line or be mistaken for the next field is written as a JSON string.
NEEDS_QUOTES = re.compile(r'[^\x21-\x7e]|["\\=]')


def field(value) -> str:
    text = str(value)
    return json.dumps(text) if not text or NEEDS_QUOTES.search(text) else text


class RequestLog(glogging.Logger):
    """One line per request, as `key=value` pairs:

        time=2026-12-01T18:04:05+0100 method=GET path=/h/<token> status=200 ms=4.2 bytes=1830

    No query string, referrer or user agent: they carry secrets and personal data. The client's
    address (`ip=…`, the phone's own behind a trusted proxy) only where the town sets LOG_IP=1.
    Secret parts of paths are masked by the app's filter on this log (app/request_log.py), which
    reads them from the app's routes; gunicorn writes the line also for the polls the app answers
    before Flask runs (app/livepoll.py).
    """

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        parts = [
            f"time={time.strftime('%Y-%m-%dT%H:%M:%S%z')}",
            f"method={field(environ.get('REQUEST_METHOD', '-'))}",
            f"path={field(environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', ''))}",
            f"status={status}",
            f"ms={request_time.total_seconds() * 1000:.1f}",
            f"bytes={getattr(resp, 'sent', None) or 0}",
        ]
        if LOG_IP:
            parts.append(f"ip={field(environ.get('REMOTE_ADDR', '-'))}")
        self.access_log.info(" ".join(parts))


logger_class = RequestLog
