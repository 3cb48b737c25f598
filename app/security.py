"""Security headers on every answer, from one place; no-store on staff pages and secret links.

The fixed headers (Content-Security-Policy, nosniff, Referrer-Policy, X-Frame-Options, HSTS in
production) are added by a small WSGI wrapper outside everything else, so also the answers the
live gate makes before Flask runs (app/livepoll.py) carry them; a 304 has no body to protect and
gets none, which keeps an unchanged poll as small as it was. A view may set its own
Content-Security-Policy; the wrapper only adds what is missing.

The policy allows nothing inline: no <script> or <style> blocks, no style="…" attributes, no
event handler attributes. Dynamic colours and widths reach the page as SVG attributes (which are
not styles) or as data attributes that the static scripts turn into CSS custom properties.

`Referrer-Policy: same-origin` rather than `no-referrer`: Flask-WTF's CSRF check over HTTPS
(WTF_CSRF_SSL_STRICT) compares the Referer with the host, and refuses a form sent without one.

Caching: pages for staff (any answer to a request a staff user made, every page of the staff
blueprints) and pages showing secret links (host and projector links, return links) say
`Cache-Control: no-store`, so no shared computer's cache keeps them.
"""
from flask import Flask, g, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
# For an SVG chart served as an image of its own: matplotlib styles its shapes with style
# attributes, which the pages' policy forbids, while an image runs nothing.
IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

# Blueprints whose every page is for staff, or is reached by a secret link (host, projector, actor).
NO_STORE_BLUEPRINTS = frozenset({
    "auth", "organise", "board", "moderate", "rotation", "ideas", "suggestions", "interpret",
    "goaltree", "exports", "host", "projector", "actors", "actor_link",
})
# Single pages that show a secret link: a participant's return link, what it offers, and the
# table page that links to it.
NO_STORE_ENDPOINTS = frozenset({"participate.show_table", "participate.my_ideas", "participate.leave",
                                "participate.export_my_data"})
PAGE_TYPES = frozenset({"text/html", "application/json"})


class SecurityHeaders:
    """WSGI middleware: the fixed security headers on every answer that has a body."""

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        self.wsgi_app = wsgi_app
        self.headers = headers
        self.names = [name.lower() for name, _ in headers]

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if not status.startswith("304"):
                present = {name.lower() for name, _ in headers}
                # A new list: the live gate hands over lists it keeps for the next phone.
                headers = headers + [pair for pair, name in zip(self.headers, self.names) if name not in present]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.wsgi_app(environ, start)


def fixed_headers(app: Flask) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", app.config.get("CONTENT_SECURITY_POLICY", CSP)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    if app.config.get("SECURITY_HSTS"):
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def private_page() -> bool:
    """Whether this answer is for staff or shows a secret link, so nothing may keep a copy."""
    return (request.blueprint in NO_STORE_BLUEPRINTS or request.endpoint in NO_STORE_ENDPOINTS
            or g.get("staff_session", False) or "process" in g)


def init_security(app: Flask) -> None:
    """Call after the live gate is in place, so its answers pass through the headers too."""

    @app.after_request
    def no_store_for_staff(response):
        # Pages and live data always; a file whose view chose its own caching (a photo kept
        # privately by its ETag, a QR code) keeps it.
        if request.endpoint != "static" and private_page() and (
                response.mimetype in PAGE_TYPES or "Cache-Control" not in response.headers):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.wsgi_app = SecurityHeaders(app.wsgi_app, fixed_headers(app))
