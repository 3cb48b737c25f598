"""How answers travel (app/delivery.py): hashed static names kept for a year, compressed text,
no session cookie on static files, and live polls that still answer 304 when compressed."""
import re

import brotli
import pytest
from flask import request

from app.delivery import DIGESTED, _drop_stale_names
from app.extensions import db, static_digest
from app.models import Round
from tests.test_voting import join

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def static_urls(page: str) -> dict[str, str]:
    return {re.sub(r"-[0-9a-f]{32}", "", url.rsplit("/", 1)[1]): url
            for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page)}


@pytest.fixture
def digested(app):
    if not {"app.css", "app.js"} <= set(static_digest.manifests.get("static", {})):
        pytest.fail("app/static is not compiled, or edited since: run `make static` (flask digest compile)")


def test_pages_name_static_files_by_their_content(client, digested):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert set(urls) >= {"app.css", "app.js", "favicon.svg"}
    for url in urls.values():
        assert DIGESTED.search(url), url
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        response.close()


def test_static_files_go_out_compressed_and_whole(client, app, digested):
    url = static_urls(client.get("/").get_data(as_text=True))["app.css"]
    with client.get(url, headers=BROWSER) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert int(response.headers["Content-Length"]) == len(response.data)
        with open(app.static_folder + "/app.css", "rb") as source:
            assert brotli.decompress(response.data) == source.read()
    with client.get(url, headers={"Accept-Encoding": "gzip"}) as gzipped:
        assert gzipped.headers["Content-Encoding"] == "gzip"
        etag = gzipped.headers["ETag"]
    with client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data and "Content-Encoding" not in again.headers
        assert again.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_plain_static_name_is_revalidated(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    response.close()


def test_static_files_carry_no_session_cookie(app, make):
    event = make.event(tables=1, rounds=1)
    phone = join(app.test_client(), event.code)  # a permanent session, renewed on every page
    assert "Set-Cookie" in phone.get(f"/e/{event.code}").headers
    for name in ("app.css", "favicon.svg"):
        response = phone.get(f"/static/{name}")
        assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
        response.close()


def test_pages_are_compressed_for_browsers_that_ask(client):
    assert client.get("/", headers=BROWSER).headers["Content-Encoding"] == "br"
    assert client.get("/", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers and b"<html" in plain.data


def test_tiny_answers_are_not_compressed(client):
    response = client.get("/healthz", headers=BROWSER)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_a_compressed_live_poll_still_answers_304(app, make, polls_to_flask):
    # A long question makes the live answer big enough to be compressed, where Flask answers it
    # (the gate in app/livepoll.py answers known phones before Flask, uncompressed).
    event = make.event(tables=1, rounds=1)
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.question = {"de": "Was brauchen Menschen, die neu in die Stadt kommen? " * 20}
        db.session.commit()
    phone = join(app.test_client(), event.code)
    first = phone.get(f"/e/{event.code}/live", headers=BROWSER | {"Accept": "application/json"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    etag = first.headers["ETag"]
    assert etag.endswith(':br"')
    # Only the route's own comparison may answer now, before it builds and compresses a body.
    app.config["COMPRESS_EVALUATE_CONDITIONAL_REQUEST"] = False
    again = phone.get(f"/e/{event.code}/live", headers=BROWSER | {"If-None-Match": etag})
    assert again.status_code == 304 and not again.data


def test_a_route_sees_its_own_etag_beside_the_compressed_one(app):
    seen = {}

    @app.get("/_etag_probe")
    def probe():
        seen["plain"] = "r7-p1" in request.if_none_match
        seen["compressed"] = "r7-p1:br" in request.if_none_match
        return "ok"

    app.test_client().get("/_etag_probe", headers={"If-None-Match": '"r7-p1:br"'})
    assert seen == {"plain": True, "compressed": True}


def test_an_edited_static_file_is_served_under_its_plain_name(app, monkeypatch):
    manifest = {"app.css": "app-" + "0" * 32 + ".css"}
    monkeypatch.setitem(static_digest.manifests, "static", manifest)
    _drop_stale_names(app)
    assert manifest == {}
    with app.test_request_context("/"):
        assert static_digest.static_url_for("static", filename="app.css") == "/static/app.css"


def test_phones_load_no_staff_css_or_js(app, make, client, login):
    event = make.event(tables=1, rounds=1)
    phone = join(app.test_client(), event.code)
    for page in (phone.get(f"/e/{event.code}"), phone.get(f"/j/{event.code}/1")):
        assert set(static_urls(page.get_data(as_text=True))) == {"app.css", "app.js", "favicon.svg"}
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    staff_page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert set(static_urls(staff_page)) == {"app.css", "staff.css", "app.js", "staff.js", "favicon.svg"}
