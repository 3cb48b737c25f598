"""Configuration classes; the environment (and a `.env` file) overrides the defaults."""
import os
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

from app.languages import interface_codes

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
load_dotenv(BASE_DIR / ".env")

DEFAULT_SECRET_KEY = "dev-insecure-change-me"


def _secret_key() -> str:
    """The key from the environment, else the one `make run` wrote once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    return DEFAULT_SECRET_KEY


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'worldcafe.db'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith("postgresql+psycopg://"):
        url = with_connect_timeout(url, os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    return url


def with_connect_timeout(url: str, seconds: str) -> str:
    """The PostgreSQL URL with libpq's connect_timeout, unless it names one already.

    Without it, connecting to a server that does not answer (frozen, or a host gone from the
    network) waits until the kernel gives up, minutes later; with it the request fails within
    seconds and the phone answers the 503 by keeping its idea (bench/faults.py). A connection
    already open to a frozen server is not covered: its next query waits.
    """
    parsed = make_url(url)
    if "connect_timeout" in parsed.query:
        return url
    return parsed.update_query_dict({"connect_timeout": seconds}).render_as_string(hide_password=False)


def trusted_hosts(listed: str, public_base_url: str) -> list[str] | None:
    """Host names requests may name (Flask's TRUSTED_HOSTS; others get a 400): those listed
    (comma-separated), else the host of PUBLIC_BASE_URL; plus this machine's own names, which
    health checks use. None (any host) without either: a laptop in a hall, reached by its address."""
    hosts = [host.strip() for host in listed.split(",") if host.strip()]
    if not hosts and public_base_url:
        hosts = [urlsplit(public_base_url).hostname or ""]
    return [*hosts, "127.0.0.1", "localhost"] if hosts else None


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    # Links and QR codes use PUBLIC_BASE_URL, never the request's Host header; hosts other than
    # these are refused (production requires PUBLIC_BASE_URL, see ProductionConfig.check).
    TRUSTED_HOSTS = trusted_hosts(os.environ.get("TRUSTED_HOSTS", ""), PUBLIC_BASE_URL)
    # Reverse proxies in front of the app whose X-Forwarded-* headers it believes (app/proxies.py).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES") or 0)
    # Absolute, because Flask-Babel resolves relative paths against app/.
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Berlin")
    # Languages whose catalogs are complete (app/languages.py); only these are offered in the switcher.
    LANGUAGES = interface_codes()
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: typed ideas may be sent hours later
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 180 * 24 * 3600  # a participant may come back months later
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    IDEA_MAX_LENGTH = 500
    # Tablecloth photos from hosts: larger files are refused with a message (keep it below
    # MAX_CONTENT_LENGTH, which answers a 413); what is kept is resized to at most this side.
    PHOTO_MAX_BYTES = 15 * 1024 * 1024
    PHOTO_MAX_SIDE = 2000
    # Uploaded pictures with more pixels (width × height, read from the file's header) are refused
    # before decoding; Pillow's own bomb limit is set to the same value. 40 Mpx passes what phones
    # take as set out of the box (12 to 24 Mpx) and costs a worker about 220 MB to decode; the
    # 48 to 200 Mpx modes some phones offer are refused with a message. Pillow's default, 89 Mpx,
    # let a 260 KB PNG take about 500 MB per upload (bench/uploads.py).
    MAX_UPLOAD_PIXELS = int(os.environ.get("MAX_UPLOAD_PIXELS") or 40_000_000)
    # Who participants ask about their data, on the privacy notice (/privacy): an office and its
    # address, e.g. "Stadt Musterstadt, Datenschutz, datenschutz@musterstadt.de"; the town fills it in.
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
    # Where people report barriers, on the accessibility statement (/barrierefreiheit); the privacy
    # contact when empty. And the enforcement body of the town's federal state, e.g. "Ombudsstelle
    # für barrierefreie Informationstechnik NRW, …".
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
    ACCESSIBILITY_ENFORCEMENT = os.environ.get("ACCESSIBILITY_ENFORCEMENT", "")
    LIVE_POLL_MS = 3000  # how often phones, console and projector ask whether anything changed
    DEMO_CREDENTIALS_FILE = str(INSTANCE_DIR / "demo-credentials.txt")
    # Optional machine translation by a self-hosted LibreTranslate-compatible server; off when empty.
    TRANSLATE_URL = os.environ.get("TRANSLATE_URL", "")
    TRANSLATE_API_KEY = os.environ.get("TRANSLATE_API_KEY", "")
    TRANSLATE_TIMEOUT = float(os.environ.get("TRANSLATE_TIMEOUT", "10"))
    # Text to phones compressed (app/delivery.py): brotli where the browser takes it, else gzip;
    # answers under 500 bytes fit one packet as they are. Static files too, on the way out, so
    # `flask digest compile` only hashes their names (gunicorn serves no precompressed copies).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "image/svg+xml", "text/csv", "text/markdown"]
    FLASK_STATIC_DIGEST_COMPRESSION: list[str] = []
    # Headers and staff sessions (app/security.py, app/access.py). HSTS only where every visitor
    # comes over HTTPS (production); a staff session ends after this many minutes without a click.
    SECURITY_HSTS = False
    STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES") or 120)
    # Rate limits (app/limits.py). Per address, in Flask-Limiter's storage: Redis where REDIS_URL
    # is set (shared by all workers and machines), else each worker's memory (so with 4 workers an
    # address gets up to 4 times the limit). A whole hall behind one address is normal: the join
    # limit lets 2,000 phones in within 2 minutes. Per participant and per account, counted in the
    # database, so they hold across workers without Redis.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_JOIN = os.environ.get("RATELIMIT_JOIN") or "2000 per 2 minutes"
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN") or "60 per minute"
    RATELIMIT_IDEAS = os.environ.get("RATELIMIT_IDEAS") or "3000 per minute"
    RATELIMIT_VOTES = os.environ.get("RATELIMIT_VOTES") or "20000 per minute"
    RATELIMIT_UPLOADS = os.environ.get("RATELIMIT_UPLOADS") or "300 per minute"
    IDEAS_PER_PARTICIPANT_MINUTE = int(os.environ.get("IDEAS_PER_PARTICIPANT_MINUTE") or 20)
    VOTES_PER_PARTICIPANT_MINUTE = int(os.environ.get("VOTES_PER_PARTICIPANT_MINUTE") or 60)
    LOGIN_FREE_FAILURES = 5  # wrong passwords in a row before the next try must wait (1 s, 2 s, 4 s, …)
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    # Closing events and the audit log (issue 16): an event counts as closed this many days after
    # its date (host links stop, phones only read); audit entries older than the retention go
    # with `flask audit prune`.
    EVENT_CLOSES_AFTER_DAYS = int(os.environ.get("EVENT_CLOSES_AFTER_DAYS") or 7)
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS") or 365)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    SECURITY_HSTS = os.environ.get("SECURITY_HSTS", "1") == "1"

    @classmethod
    def check(cls) -> None:
        if cls.SECRET_KEY == DEFAULT_SECRET_KEY:
            raise RuntimeError("SECRET_KEY is not set: refusing to start in production.")
        if not urlsplit(cls.PUBLIC_BASE_URL).hostname:
            raise RuntimeError("PUBLIC_BASE_URL is not set (e.g. https://cafe.stadt.example): refusing to start "
                               "in production, where links and QR codes must not follow the request's Host header.")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    PUBLIC_BASE_URL = "http://cafe.test"
    LIVE_POLL_MS = 400  # browser tests need not wait
    SUGGESTIONS_INLINE = True  # recompute suggestions in the request, so tests see them at once
    DEMO_CREDENTIALS_FILE = ""  # set per test to a temporary path
    RATELIMIT_STORAGE_URI = "memory://"  # each test app counts afresh, even where CI has REDIS_URL
