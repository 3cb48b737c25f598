"""QR codes decode to the join URL, posters print one page per table."""
import io
import re
import xml.etree.ElementTree as ET

import pytest

try:
    from PIL import Image
    from pyzbar.pyzbar import decode as zbar_decode
except ImportError:  # pyzbar imports, but finds no libzbar, where Debian's libzbar0 is missing
    zbar_decode = None


needs_zbar = pytest.mark.skipif(zbar_decode is None, reason="libzbar0 is not installed: apt-get install libzbar0")


@needs_zbar
def test_table_qr_png_decodes_to_the_table_join_url(client, make):
    event = make.event(tables=3, rounds=1)
    response = client.get(f"/e/{event.code}/tables/2/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    decoded = zbar_decode(Image.open(io.BytesIO(response.data)))
    assert [d.data.decode() for d in decoded] == [f"http://cafe.test/j/{event.code}/2"]


@needs_zbar
def test_event_qr_png_decodes_to_the_event_join_url(client, make):
    event = make.event(tables=1, rounds=1)
    decoded = zbar_decode(Image.open(io.BytesIO(client.get(f"/e/{event.code}/qr.png?size=4").data)))
    assert decoded[0].data.decode() == f"http://cafe.test/j/{event.code}"


def test_qr_svg_is_scalable_svg(client, make):
    event = make.event(tables=1, rounds=1)
    response = client.get(f"/e/{event.code}/tables/1/qr.svg")
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag.endswith("svg") and "viewBox" in root.attrib and "width" not in root.attrib


def test_qr_of_an_unknown_table_is_404(client, make):
    event = make.event(tables=1, rounds=1)
    assert client.get(f"/e/{event.code}/tables/9/qr.svg").status_code == 404


def test_posters_one_per_table_plus_the_event(client, make, login):
    event = make.event(tables=6, rounds=1, languages=("de", "en", "ar"))
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    page = client.get(f"/organise/events/{event.id}/posters").get_data(as_text=True)
    assert page.count('class="poster"') == 7
    assert page.count("<svg") == 7
    assert f"cafe.test/j/{event.code}/6" in page and event.code in page
    # the instruction in each of the event's shipped languages
    assert "Mit der Handykamera scannen" in page and "Scan with your phone camera" in page
    assert re.search(r'lang="ar" dir="rtl">[^<]*امسح', page)


def test_posters_need_an_organiser_of_that_process(client, make, login):
    event = make.event(tables=1, rounds=1)
    other = make.process("Anderer Prozess")
    login(make.user("orga@example.org", roles=[(other.id, "organiser")]))
    assert client.get(f"/organise/events/{event.id}/posters").status_code == 403
    client.post("/auth/logout")
    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    assert client.get(f"/organise/events/{event.id}/posters").status_code == 403
    assert client.get(f"/organise/events/{event.id}").status_code == 200


def test_demo_has_ideas_in_several_languages(runner, app):
    from app.extensions import db
    from app.models import Contribution

    runner.invoke(args=["demo"])
    runner.invoke(args=["demo"])
    with app.app_context():
        ideas = db.session.scalars(db.select(Contribution)).all()
        assert 50 <= len(ideas) <= 90  # the café, its online phase, the workshop, the interview: once, not twice
        languages = {idea.language for idea in ideas}
        assert {"de", "ar", "tr", "uk", "en"} <= languages
        assert all(idea.translation("de") for idea in ideas)
        cafe = [idea for idea in ideas if idea.event.format == "world_cafe"]
        at_tables = {idea.table_id for idea in cafe if idea.origin != "online"}
        assert len(at_tables) == 6 and None not in at_tables  # and the online phase's ideas without a table
        assert {idea.table_id for idea in cafe if idea.origin == "online"} == {None}


@pytest.mark.parametrize("base, warned", [("http://127.0.0.1:5000", True), ("http://localhost:5000", True),
                                          ("http://0.0.0.0:5000", True),
                                          ("http://192.168.1.20:5000", False), ("http://cafe.test", False)])
def test_posters_warn_on_screen_when_phones_cannot_reach_their_address(app, client, make, login, base, warned):
    app.config["PUBLIC_BASE_URL"] = base
    event = make.event(tables=2, rounds=1)
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    page = client.get(f"/organise/events/{event.id}/posters").get_data(as_text=True)
    address = base.split("://")[1]
    assert f"{address}/j/{event.code}/2" in page
    warning = re.search(r'<div class="screen-only warning" role="alert">(.*?)</div>', page, re.S)
    assert bool(warning) == warned
    if warned:  # the address, and how to set the right one; not printed (screen-only)
        assert f'<bdi dir="ltr">{address}</bdi>' in warning.group(1) and "PUBLIC_BASE_URL" in warning.group(1)
