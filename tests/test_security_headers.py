"""Security headers on every answer, no inline script or style anywhere, no-store where it matters."""
import re
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Event, Participant
from app.security import CSP
from tests.test_participate import join, start_round

APP_DIR = Path(__file__).resolve().parent.parent / "app"
FIXED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
def event(make, app):
    event = make.event(tables=2, rounds=1)
    start_round(app, event.round_ids[0])
    return event


def has_fixed_headers(response) -> bool:
    return all(response.headers.get(name) == value for name, value in FIXED.items())


def test_the_policy_allows_nothing_inline_and_no_framing():
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in CSP


def test_pages_errors_static_files_and_json_carry_the_headers(client, event):
    for url in ("/", f"/j/{event.code}", "/auth/login", "/no-such-page", "/static/app.css"):
        response = client.get(url)
        response.close()  # a static file is sent from an open file
        assert has_fixed_headers(response), url
    join(client, event.code, table=1)
    poll = client.get(f"/e/{event.code}/live")  # the live gate answers this before Flask runs
    assert poll.status_code == 200 and poll.is_json
    assert has_fixed_headers(poll)
    # An unchanged poll's 304 has no body to protect and stays as small as it was.
    unchanged = client.get(f"/e/{event.code}/live", headers={"If-None-Match": poll.headers["ETag"]})
    assert unchanged.status_code == 304
    assert "Content-Security-Policy" not in unchanged.headers


def test_hsts_only_in_production(client, other_app):
    assert "Strict-Transport-Security" not in client.get("/").headers
    production = other_app(SECURITY_HSTS=True).test_client()
    assert production.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_config_turns_hsts_on():
    from config import ProductionConfig, TestConfig
    assert ProductionConfig.SECURITY_HSTS and not TestConfig.SECURITY_HSTS


TEMPLATES = sorted(APP_DIR.glob("**/templates/**/*.html"))
JINJA = re.compile(r"{%.*?%}|{#.*?#}", re.S)  # statements and comments; {{ values }} stay as markup
INLINE = [
    (re.compile(r"\sstyle\s*="), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> block"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(APP_DIR)))
def test_no_template_has_inline_script_or_style(template):
    source = JINJA.sub("", template.read_text())
    for pattern, what in INLINE:
        found = pattern.search(source)
        assert found is None, f"{what} in {template.name}: {source[max(0, found.start() - 60):found.end() + 60]!r}"


def test_dynamic_colours_and_widths_come_as_svg_or_data_attributes(app, client, make, login, event):
    """Colours of action fields and the projector's vote bars, where style attributes were."""
    from tests.test_voting import give, ideas_from
    phone = app.test_client()
    join(phone, event.code, table=1)
    [idea] = ideas_from(phone, event.code, "Mehr Bäume")
    user = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    login(user)
    process_page = client.get(f"/organise/processes/{event.process_id}").get_data(as_text=True)
    assert re.search(r'<svg class="swatch"[^>]*><rect [^>]*fill="#[0-9a-f]{6}"', process_page)
    assert client.post(f"/moderate/events/{event.id}/vote/open", data={"dots": "3", "max_per_idea": "2"}).status_code < 400
    assert give(phone, event.code, idea).status_code == 200
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    projector = app.test_client().get(f"/p/{token}/fragment").get_data(as_text=True)
    assert re.search(r'<rect class="vote-bar" width="[0-9.]+"', projector)
    assert " style=" not in projector


@pytest.mark.parametrize("staff", [False, True])
def test_secret_link_pages_and_staff_pages_are_not_stored(app, client, make, login, event, staff):
    with app.app_context():
        projector_token = db.session.get(Event, event.id).projector_token
    join(client, event.code, table=1)
    with app.app_context():
        return_token = db.session.scalar(db.select(Participant.token))
    if staff:
        login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
        for url in (f"/organise/processes/{event.process_id}", f"/organise/events/{event.id}",
                    f"/moderate/events/{event.id}", "/"):
            assert client.get(url).headers["Cache-Control"] == "no-store", url
    for url in (f"/h/{event.host_tokens[0]}", f"/p/{projector_token}", f"/r/{return_token}",
                f"/r/{return_token}/my-data.json", f"/e/{event.code}", *([] if staff else ["/auth/login"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_participant_pages_and_static_files_keep_their_caching(client, event):
    assert "no-store" not in (client.get(f"/j/{event.code}").headers.get("Cache-Control") or "")
    static = client.get("/static/app.css")
    static.close()
    assert "no-store" not in (static.headers.get("Cache-Control") or "")


def test_login_over_https_passes_the_strict_csrf_referer_check(make, other_app):
    """Referrer-Policy same-origin keeps the Referer that Flask-WTF requires over HTTPS."""
    user = make.user("orga@example.org")
    app = other_app(WTF_CSRF_ENABLED=True, WTF_CSRF_SSL_STRICT=True)
    client = app.test_client()
    base = "https://cafe.test"
    page = client.get("/auth/login", base_url=base)
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "email": user.email, "password": user.password}
    # A browser under `no-referrer` would send none, and the login would fail:
    refused = client.post("/auth/login", base_url=base, data=form)
    assert refused.status_code == 400
    sent = client.post("/auth/login", base_url=base, data=form, headers={"Referer": f"{base}/auth/login"})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert client.get("/organise/", base_url=base).status_code == 200
