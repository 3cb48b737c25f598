"""How answers travel to phones on venue Wi-Fi: static files under content-hashed names that
browsers keep for a year, and text compressed by Flask-Compress (brotli, else gzip).

`flask digest compile` (run by `make run` and `make test`) writes `app-<md5>.css` beside
`app.css` and a manifest; templates name static files with `static_url_for`, which reads it.
"""
import hashlib
import re
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from app.extensions import compress, static_digest

# The name Flask-Static-Digest gives a compiled copy: `app-<md5 of the content>.css`.
DIGESTED = re.compile(r"-([0-9a-f]{32})\.[^/]+$")
ONE_YEAR = 365 * 24 * 3600
# Flask-Compress names a compressed answer's ETag `"<etag>:br"`; phones send that back.
COMPRESSED_ETAG = re.compile(r'"([^"]*):(?:br|gzip|deflate|zstd)"')


def init_delivery(app: Flask) -> None:
    """Hashed static names, their caching and compression; after the blueprints are registered."""
    static_digest.init_app(app)
    _drop_stale_names(app)
    compress.init_app(app)
    app.after_request(_static_file)  # runs before Flask-Compress's, registered earlier
    app.session_interface = StaticFilesWithoutSession()
    app.wsgi_app = CompressedEtags(app.wsgi_app)


def _drop_stale_names(app: Flask) -> None:
    """Forget hashed names whose file no longer matches its source (edited since the last compile).

    Such a file would serve yesterday's CSS or JS for a year; its plain name is served instead,
    revalidated on every visit, until `flask digest compile` runs again.
    """
    manifest = static_digest.manifests.get("static", {})
    folder = Path(app.static_folder)
    for source, digested in list(manifest.items()):
        match = DIGESTED.search(digested)
        path = folder / source
        if (match is None or not path.is_file() or not (folder / digested).is_file()
                or hashlib.md5(path.read_bytes()).hexdigest() != match.group(1)):
            app.logger.warning("static/%s changed since `flask digest compile`: served under its plain name", source)
            del manifest[source]


def _static_file(response):
    if request.endpoint != "static":
        return response
    if response.status_code == 200:
        # Read the (small) file now: Flask-Compress then compresses it whole, with a Content-Length,
        # and the file is closed with the response (its streaming path leaves the file open).
        response.direct_passthrough = False
        response.make_sequence()
    # A hashed name never changes its content: browsers need not even ask again.
    if DIGESTED.search((request.view_args or {}).get("filename", "")):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    return response


class StaticFilesWithoutSession(SecureCookieSessionInterface):
    """Static files are public and kept for a year: no one's session cookie travels with them.

    Otherwise a permanent session renews its cookie on every answer, and the `Vary: Cookie` that
    comes with it makes the browser fetch the favicon again once the cookie has changed.
    """

    def save_session(self, app, session, response):
        if request.endpoint != "static":
            super().save_session(app, session, response)


class CompressedEtags:
    """WSGI middleware: beside each `"<etag>:br"` a phone sends in If-None-Match, add `"<etag>"`.

    The live polls compare the revision ETag they made themselves and answer 304 before building
    any body; the compressed copy's ETag that comes back would never match it, so every poll would
    build and compress the whole answer only for Flask-Compress to turn it into a 304. With both
    tags the route's own comparison matches, and so does Flask-Compress's.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        tags = environ.get("HTTP_IF_NONE_MATCH", "")
        plain = [f'"{tag}"' for tag in COMPRESSED_ETAG.findall(tags)]
        if plain:
            environ["HTTP_IF_NONE_MATCH"] = ", ".join([tags, *plain])
        return self.wsgi_app(environ, start_response)
