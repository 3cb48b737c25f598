"""Table hosts' photos of the tablecloth: turned, resized, stripped of metadata, refused when not a
picture or too large, and shown only to the table's host and the event's staff."""
import io

import pillow_heif
from PIL import ExifTags, Image, ImageCms

from app.extensions import db
from app.models import TablePhoto
from tests.test_host import event, host_url  # noqa: F401  (the fixture, and the link of a table)

pillow_heif.register_heif_opener()

def image_bytes(size=(300, 200), fmt="JPEG", mode="RGB", color=(200, 120, 40), **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def exif_with_make_and_gps(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyPhone"
    exif[ExifTags.Base.Model] = "Model X"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 24.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (7.0, 26.0, 0.0)
    return exif


def upload(client, event, data, filename="tischtuch.jpg", table_index=0, **extra):
    return client.post(host_url(event, table_index, "/photos"),
                       data={"photo": (io.BytesIO(data), filename), **extra},
                       content_type="multipart/form-data")


def stored_photos(app):
    with app.app_context():
        return [dict(uuid=p.uuid, table_id=p.table_id, round_id=p.round_id, content_type=p.content_type,
                     width=p.width, height=p.height, byte_size=p.byte_size, data=p.data)
                for p in db.session.scalars(db.select(TablePhoto).order_by(TablePhoto.id))]


def no_metadata(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return (len(image.getexif()) == 0 and not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(image.info)
            and b"Exif\x00\x00" not in data and b"SpyPhone" not in data)


# Photos

def test_a_jpeg_is_turned_resized_and_stripped_of_exif(client, app, event):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = image_bytes((3000, 1000), exif=exif_with_make_and_gps(), icc_profile=icc,
                           xmp=b"<x:xmpmeta>SpyPhone</x:xmpmeta>")
    with Image.open(io.BytesIO(original)) as check:  # the test photo really carries make, GPS, ICC, XMP
        assert check.getexif()[ExifTags.Base.Make] == "SpyPhone"
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" in check.info and "xmp" in check.info
    response = upload(client, event, original)
    assert response.status_code == 303 and response.headers["Location"].endswith("#photos")
    [photo] = stored_photos(app)
    assert photo["content_type"] == "image/jpeg" and (photo["width"], photo["height"]) == (2000, 667)
    assert photo["table_id"] == event.table_ids[0] and photo["round_id"] == event.round_ids[0]
    assert photo["byte_size"] == len(photo["data"])
    image = Image.open(io.BytesIO(photo["data"]))
    assert image.format == "JPEG" and image.size == (2000, 667)
    assert no_metadata(photo["data"])

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Das Foto ist gespeichert." in page
    assert f"/h/{event.host_tokens[0]}/photos/{photo['uuid']}?size=thumb" in page


def test_exif_orientation_is_applied(client, app, event):
    upload(client, event, image_bytes((300, 100), exif=exif_with_make_and_gps(orientation=6)))
    [photo] = stored_photos(app)
    assert (photo["width"], photo["height"]) == (100, 300)
    assert no_metadata(photo["data"])


def test_a_png_works_and_keeps_its_transparency(client, app, event):
    upload(client, event, image_bytes((400, 300), fmt="PNG", mode="RGBA", color=(0, 0, 255, 100)), "plan.png")
    upload(client, event, image_bytes((400, 300), fmt="PNG"), "foto.png")
    transparent, opaque = stored_photos(app)
    assert transparent["content_type"] == "image/png"
    image = Image.open(io.BytesIO(transparent["data"]))
    assert image.format == "PNG" and image.mode == "RGBA" and image.getpixel((5, 5))[3] == 100
    assert opaque["content_type"] == "image/jpeg"  # a photo without transparency is smaller as JPEG
    assert no_metadata(transparent["data"]) and no_metadata(opaque["data"])


def test_a_heic_from_an_iphone_works(client, app, event):
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 3200), (30, 140, 90)).save(buffer, format="HEIF", exif=exif_with_make_and_gps().tobytes())
    response = upload(client, event, buffer.getvalue(), "IMG_0001.HEIC")
    assert response.status_code == 303
    [photo] = stored_photos(app)
    assert photo["content_type"] == "image/jpeg" and (photo["width"], photo["height"]) == (1500, 2000)
    assert Image.open(io.BytesIO(photo["data"])).format == "JPEG"
    assert no_metadata(photo["data"])


def test_a_text_file_named_jpg_is_refused_with_a_message(client, app, event):
    response = upload(client, event, b"Ich bin kein Foto, nur Text.\n" * 20, "tischtuch.jpg")
    assert response.status_code == 400
    assert "„tischtuch.jpg“ ist kein Foto im Format JPEG, PNG oder HEIC." in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_other_image_formats_are_refused(client, app, event):
    response = upload(client, event, image_bytes((50, 50), fmt="GIF", mode="P", color=1), "bild.png")
    assert response.status_code == 400 and "kein Foto" in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_an_upload_without_a_file_is_refused(client, app, event):
    response = client.post(host_url(event, rest="/photos"), data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Bitte wählen Sie ein Foto aus." in response.get_data(as_text=True)


def test_a_too_large_photo_is_refused(app, event, other_app):
    small = other_app(PHOTO_MAX_BYTES=10 * 1024).test_client()
    big = image_bytes((1500, 1500), quality=100, subsampling=0)
    assert len(big) > 10 * 1024
    response = upload(small, event, big)
    assert response.status_code == 400
    assert "Das Foto ist zu groß: höchstens 10 KB." in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_a_request_over_the_upload_limit_gets_a_413_page(app, event, other_app):
    tight = other_app(MAX_CONTENT_LENGTH=20 * 1024).test_client()
    response = upload(tight, event, b"\xff" * (40 * 1024))
    assert response.status_code == 413 and "zu groß" in response.get_data(as_text=True)
    assert stored_photos(app) == []


def test_the_photo_route_serves_the_bytes_with_type_and_caching(client, app, event):
    upload(client, event, image_bytes((400, 300), fmt="PNG", mode="RGBA", color=(0, 0, 255, 100)), "plan.png")
    upload(client, event, image_bytes((1600, 1200)))
    png, jpeg = stored_photos(app)
    for photo in (png, jpeg):
        response = client.get(host_url(event, rest=f"/photos/{photo['uuid']}"))
        assert response.status_code == 200 and response.data == photo["data"]
        assert response.mimetype == photo["content_type"]
        assert "private" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        again = client.get(host_url(event, rest=f"/photos/{photo['uuid']}"),
                           headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
    thumb = client.get(host_url(event, rest=f"/photos/{jpeg['uuid']}?size=thumb"))
    assert thumb.mimetype == "image/jpeg" and max(Image.open(io.BytesIO(thumb.data)).size) <= 480
    page = client.get(host_url(event)).get_data(as_text=True)
    assert page.index(str(jpeg["uuid"])) < page.index(str(png["uuid"]))  # newest first


def test_a_host_cannot_see_another_tables_or_events_photos(client, app, make, event):
    upload(client, event, image_bytes(), table_index=1)
    other = make.event(tables=1, rounds=1)
    upload(client, other, image_bytes())
    for photo in stored_photos(app):
        assert client.get(host_url(event, rest=f"/photos/{photo['uuid']}")).status_code == 404
        assert client.get(host_url(event, rest=f"/photos/{photo['uuid']}?size=thumb")).status_code == 404
    page = client.get(host_url(event)).get_data(as_text=True)
    assert "Noch keine Fotos." in page


def test_staff_see_photos_of_their_event_only(client, app, make, login, event):
    upload(client, event, image_bytes(), table_index=2)
    other = make.event(tables=1, rounds=1)
    upload(client, other, image_bytes((100, 100)))
    mine, theirs = stored_photos(app)
    url = f"/moderate/events/{event.id}/photos/{mine['uuid']}"
    assert client.get(url).status_code == 302  # to the login
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    response = client.get(url)
    assert response.status_code == 200 and response.data == mine["data"] and response.mimetype == "image/jpeg"
    assert client.get(f"/moderate/events/{event.id}/photos/{theirs['uuid']}").status_code == 404
    assert client.get(f"/moderate/events/{other.id}/photos/{theirs['uuid']}").status_code == 403
