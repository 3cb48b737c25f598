"""Rate limits: per address with Flask-Limiter, per participant and per account in the database.

Per address (the client's, after ProxyFix of TRUSTED_PROXIES in app/proxies.py): joins, logins,
ideas, dots and photo uploads, each a limit from config.py (RATELIMIT_*), counted in Flask-Limiter's
storage: Redis where REDIS_URL is set, else the memory of each worker (then an address may get up
to the number of workers times the limit). A hall behind one address is normal, so these are
loose; they stop a script, not a crowd. If Redis goes away, each worker counts in memory meanwhile.

Per participant (ideas and dots a minute) and per account (wrong passwords, with a growing wait),
counted from rows in the database, so they hold across workers and machines without Redis.

Live polls and their fragments never touch the limiter's storage: most are answered before Flask
runs (app/livepoll.py), the rest are exempt here.

Every limit answers 429 with a translated message (a page, or JSON `{"error": …}` for scripts)
and Retry-After; the phone's outbox keeps an idea refused so and sends it again after that time.
"""
import hashlib
import hmac
import math
import time
from datetime import timedelta
from functools import cache

from flask import Flask, current_app, g, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from sqlalchemy import update
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Contribution, Participant, User, Vote
from app.models.base import utcnow
from app.services.administration import users
from app.services.errors import DomainError

EXTENSION = "limits"

# Endpoint -> the config key of its per-address limit (POST only). Endpoints of one key share a count.
ADDRESS_LIMITS = {
    "participate.join": "RATELIMIT_JOIN",
    "participate.join_table": "RATELIMIT_JOIN",
    "auth.login": "RATELIMIT_LOGIN",
    "participate.submit_idea": "RATELIMIT_IDEAS",
    "host.capture_ideas": "RATELIMIT_IDEAS",
    "voting.give_dot": "RATELIMIT_VOTES",
    "voting.take_back_dot": "RATELIMIT_VOTES",
    "host.upload_photo": "RATELIMIT_UPLOADS",
    "actor_link.give_feedback": "RATELIMIT_IDEAS",
    "actor_link.contribute": "RATELIMIT_JOIN",
}
TOO_MANY_REQUESTS = _l("Zu viele Anfragen von diesem Netz. Bitte warten Sie einen Moment; "
                       "Ihre Eingabe ist nicht verloren.")


class TooMany(DomainError):
    """A limit counted in the database was reached; the answer says when to try again."""

    status_code = 429

    def __init__(self, message, retry_after: float):
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))
        g.retry_after = self.retry_after  # the answer made from this error gets Retry-After


def is_poll() -> bool:
    """Live polls and the fragments they fetch: exempt, so they never reach the storage."""
    return request.path.endswith(("/live", "/fragment")) or request.endpoint == "participate.shared_fragment"


def hashed_address() -> str:
    """The client's address as a keyed hash, so the counters hold no IP address (privacy notice)."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(secret, get_remote_address().encode(), hashlib.sha256).hexdigest()[:32]


def init_limits(app: Flask) -> Limiter:
    """After the blueprints: wraps the views named in ADDRESS_LIMITS with their limits.

    One Limiter per app (not one in app/extensions.py): it keeps the limits it decorated, and a
    second app in the same process (tests) must not add to the first one's.
    """
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # a Redis outage must not stop the café
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "worldcafe")
    limiter = Limiter(key_func=hashed_address, app=app)
    limiter.request_filter(is_poll)
    wrapped = {}
    for endpoint, key in ADDRESS_LIMITS.items():
        view = app.view_functions[endpoint]  # a KeyError here: an endpoint was renamed
        if id(view) not in wrapped:
            wrapped[id(view)] = limiter.shared_limit(app.config[key], scope=key.lower(), methods=["POST"],
                                                     override_defaults=False)(view)
        app.view_functions[endpoint] = wrapped[id(view)]
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.after_request(_retry_after)

    @app.cli.command("limits")
    def print_limits():
        """Print the rate limits this configuration runs with (the benches state them)."""
        print(describe(app))

    return limiter


def too_many_requests(_error):
    """A per-address limit: the page or JSON of every 429, with the seconds until the next try."""
    from app.errors.handlers import error_response

    limit = current_app.extensions[EXTENSION].current_limit
    g.retry_after = max(1, math.ceil(limit.reset_at - time.time())) if limit else 60
    return error_response(429, TOO_MANY_REQUESTS)


def _retry_after(response):
    if response.status_code == 429 and g.get("retry_after") and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def describe(app: Flask) -> str:
    """One line naming the storage and the limits, for the benches and the logs."""
    config = app.config
    storage = config["RATELIMIT_STORAGE_URI"].partition("://")[0]
    where = "Redis" if storage.startswith("redis") else f"{storage} (per worker)"
    per_address = ", ".join(f"{key[10:].lower()} {config[key]}" for key in sorted(set(ADDRESS_LIMITS.values())))
    return (f"rate limits: storage {where}; per address: {per_address}; per participant: "
            f"{config['IDEAS_PER_PARTICIPANT_MINUTE']} ideas and {config['VOTES_PER_PARTICIPANT_MINUTE']} dots "
            f"a minute; per account: {config['LOGIN_FREE_FAILURES']} wrong passwords, then a growing wait")


# Per participant: rows they made in the last minute.
def _check_recent(model, owner, limit: int, message) -> None:
    if limit <= 0:
        return
    since = utcnow() - timedelta(minutes=1)
    recent = db.session.scalars(db.select(model.created_at).where(owner, model.created_at >= since)
                                .order_by(model.created_at).limit(limit)).all()
    if len(recent) >= limit:
        raise TooMany(message, (recent[0] + timedelta(minutes=1) - utcnow()).total_seconds())


def check_ideas(participant: Participant) -> None:
    """Refuse (429) a participant's idea beyond IDEAS_PER_PARTICIPANT_MINUTE."""
    _check_recent(Contribution, Contribution.participant_id == participant.id,
                  current_app.config["IDEAS_PER_PARTICIPANT_MINUTE"],
                  _l("Sie haben gerade sehr viele Ideen geschickt. Bitte warten Sie einen Moment; "
                     "Ihre Idee ist nicht verloren."))


def check_votes(participant: Participant) -> None:
    """Refuse (429) a participant's dot beyond VOTES_PER_PARTICIPANT_MINUTE."""
    _check_recent(Vote, Vote.participant_id == participant.id, current_app.config["VOTES_PER_PARTICIPANT_MINUTE"],
                  _l("Sie haben gerade sehr viele Punkte vergeben. Bitte warten Sie einen Moment."))


# Per account: wrong passwords in a row make the next try wait, 1 s, 2 s, 4 s, … up to a maximum.
@cache
def _dummy_hash() -> str:
    """A hash made the way real ones are, so an unknown address costs as much time as a known one."""
    return generate_password_hash("no account has this password")


def login_delay(failures: int) -> float:
    """Seconds to wait after the last wrong password, after `failures` of them in a row."""
    config = current_app.config
    free = config["LOGIN_FREE_FAILURES"]
    return 0 if failures < free else min(2 ** (failures - free), config["LOGIN_MAX_DELAY_SECONDS"])


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, else None; raises TooMany while the account waits.

    Each try hashes the password, then claims the account's failure count (an update that only
    one concurrent try wins) and commits it, so parallel guesses cannot share one wait: a try that
    loses the claim is refused whatever its password, so its hash tells nothing. A right password
    resets the count; the route commits after a success. A right password during the wait is
    refused too. An unknown address does the same work: a hash, an update (of no row) and a commit.
    """
    user = users.find_user(email or "")
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password or "")
        # Residual difference: an update of no row writes nothing, so its commit is a little faster.
        db.session.execute(update(User).where(db.false()).values(failed_logins=User.failed_logins + 1,
                                                                 last_failed_login_at=utcnow()))
        db.session.commit()
        return None
    failures = user.failed_logins
    if user.last_failed_login_at is not None:
        wait = (user.last_failed_login_at + timedelta(seconds=login_delay(failures)) - utcnow()).total_seconds()
        if wait > 0:
            raise TooMany(_("Zu viele falsche Passwörter für dieses Konto. Bitte versuchen Sie es in %(time)s "
                            "noch einmal.", time=format_timedelta(timedelta(seconds=math.ceil(wait)),
                                                                 threshold=1.1)), wait)
    right = user.check_password(password or "")
    claimed = db.session.execute(update(User).where(User.id == user.id, User.failed_logins == failures)
                                 .values(failed_logins=User.failed_logins + 1, last_failed_login_at=utcnow()))
    db.session.commit()
    if claimed.rowcount != 1:
        raise TooMany(_("Zu viele Anmeldeversuche gleichzeitig. Bitte versuchen Sie es gleich noch einmal."), 1)
    if not right:
        return None
    user.failed_logins = 0
    user.last_failed_login_at = None
    user.last_login_at = utcnow()
    return user
