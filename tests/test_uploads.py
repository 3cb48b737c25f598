"""Pictures with too many pixels are refused from their header, before a pixel is decoded (issue 16)."""
import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from tests.test_host import event  # noqa: F401 (a fixture)
from tests.test_host_photos import image_bytes, stored_photos, upload

TOO_MANY = "Das Foto hat zu viele Bildpunkte: höchstens"


def blank_png(width: int, height: int) -> bytes:
    """A black RGB PNG made by hand: 88 Mpx fit in about 260 KB, without ever holding the pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)  # filter byte and black pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch):
    """Decoding fails loudly; Pillow's global limit is put back after the test."""
    def refuse(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.fixture(autouse=True)
def pillow_limit_restored(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)


def test_an_88_megapixel_png_of_260_kb_is_refused_before_decoding(client, app, event, no_decoding):
    bomb = blank_png(9400, 9400)
    assert len(bomb) < 300 * 1024
    response = upload(client, event, bomb, "tischtuch.png")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"{TOO_MANY} 40 Megapixel." in page
    assert stored_photos(app) == []
    assert Image.MAX_IMAGE_PIXELS == app.config["MAX_UPLOAD_PIXELS"] == 40_000_000


def test_the_limit_is_a_setting_and_counts_width_times_height(app, event, other_app, monkeypatch):
    tight = other_app(MAX_UPLOAD_PIXELS=120_000).test_client()
    assert upload(tight, event, image_bytes((400, 300))).status_code == 303  # exactly the limit
    response = upload(tight, event, image_bytes((401, 300)))
    assert response.status_code == 400 and TOO_MANY in response.get_data(as_text=True)
    assert len(stored_photos(app)) == 1


def test_far_over_the_limit_pillow_refuses_on_opening_and_the_host_gets_the_same_message(app, event, other_app):
    tight = other_app(MAX_UPLOAD_PIXELS=120_000).test_client()
    response = upload(tight, event, image_bytes((1000, 1000), fmt="PNG"), "plan.png")
    assert response.status_code == 400 and TOO_MANY in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_a_heic_over_the_limit_is_refused_too(app, event, other_app):
    tight = other_app(MAX_UPLOAD_PIXELS=120_000).test_client()
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (10, 200, 30)).save(buffer, format="HEIF", quality=50)
    response = upload(tight, event, buffer.getvalue(), "IMG_0002.HEIC")
    assert response.status_code == 400 and TOO_MANY in response.get_data(as_text=True)
    assert stored_photos(app) == []
