"""Photos of the paper tablecloth: checked, turned upright, resized, stripped of metadata, kept in the database.

A phone photo carries EXIF data (the phone's make, often the GPS position of the hall or of a home);
none of it is kept. The image is decoded and encoded afresh, so only pixels survive. Photos live in
the database, not on one server's disk, so every app server can serve them.

A small file can hold a huge picture (a blank 9,400 × 9,400 PNG is 260 KB and decodes to 265 MB):
the pixel count is read from the header and a picture over MAX_UPLOAD_PIXELS is refused before
any pixel is decoded (bench/uploads.py shows a worker's memory with and without the limit).
"""
import io
import warnings
from uuid import UUID

import pillow_heif
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from app.extensions import db
from app.models import CafeTable, Event, Round, TablePhoto
from app.services.errors import DomainError, NotFound

# iPhones take HEIC; Pillow reads it through pillow-heif once the opener is registered.
pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF"}
JPEG_QUALITY = 85
THUMBNAIL_SIDE = 480


def store_photo(table: CafeTable, round_: Round | None, file_bytes: bytes, filename: str = "", *,
                max_bytes: int | None = None, max_side: int | None = None,
                max_pixels: int | None = None) -> TablePhoto:
    """Keep an uploaded photo of the table's tablecloth; JPEG, PNG or HEIC/HEIF, whatever its name says.

    The photo is turned upright by its EXIF orientation, shrunk to at most `max_side` pixels on its
    longest side, and stored as JPEG (PNG where it has transparency) without EXIF, ICC or XMP data.
    A picture of more than `max_pixels` pixels (width × height) is refused before decoding.
    Limits default to the PHOTO_MAX_BYTES, PHOTO_MAX_SIDE and MAX_UPLOAD_PIXELS settings.
    """
    config = current_app.config
    max_bytes = max_bytes or config["PHOTO_MAX_BYTES"]
    max_side = max_side or config["PHOTO_MAX_SIDE"]
    max_pixels = max_pixels or config["MAX_UPLOAD_PIXELS"]
    # Pillow's own bomb check (a warning above the limit, an error above twice it) guards every
    # other Image.open in this process too; the same value for all, as set in the configuration.
    Image.MAX_IMAGE_PIXELS = config["MAX_UPLOAD_PIXELS"]
    if round_ is not None and round_.event_id != table.event_id:
        raise NotFound(_l("Diese Runde hat noch nicht begonnen."))
    if not file_bytes:
        raise DomainError(_l("Bitte wählen Sie ein Foto aus."))
    if len(file_bytes) > max_bytes:
        raise DomainError(_l("Das Foto ist zu groß: höchstens %(size)s.", size=size_label(max_bytes)))
    image = _open(file_bytes, filename, max_side, max_pixels)
    data, content_type, size = _encode(image)
    photo = TablePhoto(table=table, round=round_, content_type=content_type, width=size[0], height=size[1],
                       byte_size=len(data), data=data)
    db.session.add(photo)
    db.session.flush()
    return photo


def size_label(byte_count: int) -> str:
    """A file size limit as people read it: "15 MB", or "500 KB" below a megabyte."""
    if byte_count >= 1024 * 1024:
        return f"{byte_count // (1024 * 1024)} MB"
    return f"{max(1, byte_count // 1024)} KB"


def _not_a_photo(filename: str) -> DomainError:
    if filename:
        return DomainError(_l("„%(name)s“ ist kein Foto im Format JPEG, PNG oder HEIC.", name=filename[:80]))
    return DomainError(_l("Diese Datei ist kein Foto im Format JPEG, PNG oder HEIC."))


def _too_many_pixels(max_pixels: int) -> DomainError:
    return DomainError(_l("Das Foto hat zu viele Bildpunkte: höchstens %(megapixels)d Megapixel. Bitte "
                          "fotografieren Sie mit der üblichen Einstellung der Kamera oder verkleinern Sie das Bild.",
                          megapixels=max(1, max_pixels // 1_000_000)))


def _open(file_bytes: bytes, filename: str, max_side: int, max_pixels: int) -> Image.Image:
    """The decoded image, upright and at most `max_side` on its longest side; anything else is refused.

    Image.open reads only the header: the size is checked there, before `load` decodes a pixel.
    """
    try:
        with warnings.catch_warnings():
            # Above Pillow's limit it warns; the size check below gives the message instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(file_bytes))
    except Image.DecompressionBombError as error:  # over twice Pillow's limit: no size to check
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _not_a_photo(filename) from error
    if image.format not in ACCEPTED_FORMATS:
        raise _not_a_photo(filename)
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    try:
        if image.format == "JPEG":
            # Decode a large JPEG at a reduced scale right away: faster, far less memory.
            image.draft("RGB", (max_side, max_side))
        image.load()
        icc = image.info.get("icc_profile")
        # Shrunk before it is turned: the bound is square, so the result is the same, and the
        # copy exif_transpose makes is of the small picture, not of the full one.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise _not_a_photo(filename) from error
    return _to_srgb(image, icc)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels in sRGB, so colours stay right once the colour profile is dropped (iPhones shoot Display P3)."""
    has_alpha = _has_transparency(image)
    mode = "RGBA" if has_alpha else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB")
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    if image.mode != mode:
        image = image.convert(mode)
    return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode == "P":
        return "transparency" in image.info
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    return False


def _encode(image: Image.Image) -> tuple[bytes, str, tuple[int, int]]:
    """Encode afresh with no metadata at all: the info dict (EXIF, ICC, XMP, text chunks) is emptied."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return buffer.getvalue(), content_type, image.size


def thumbnail(photo: TablePhoto, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small copy of a stored photo for lists, in the photo's own format."""
    image = Image.open(io.BytesIO(photo.data))
    if image.format == "JPEG":
        image.draft("RGB", (side, side))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    image.info = {}
    buffer = io.BytesIO()
    if photo.content_type == "image/png":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def thumbnail_size(photo: TablePhoto, side: int = THUMBNAIL_SIDE) -> tuple[int, int]:
    """Width and height of the photo's thumbnail, so the page reserves its place before it loads."""
    scale = min(1.0, side / max(photo.width, photo.height))
    return max(1, round(photo.width * scale)), max(1, round(photo.height * scale))


def photo_of_table(table: CafeTable, photo_uuid: UUID) -> TablePhoto:
    """A photo of this table; photos of other tables are not found."""
    photo = db.session.scalar(db.select(TablePhoto).filter_by(table_id=table.id, uuid=photo_uuid))
    if photo is None:
        raise NotFound(_l("Dieses Foto gibt es nicht (mehr)."))
    return photo


def photo_of_event(event: Event, photo_uuid: UUID) -> TablePhoto:
    """A photo of any table of this event, for staff; photos of other events are not found."""
    photo = db.session.scalar(
        db.select(TablePhoto).join(CafeTable, TablePhoto.table_id == CafeTable.id)
        .where(CafeTable.event_id == event.id, TablePhoto.uuid == photo_uuid)
    )
    if photo is None:
        raise NotFound(_l("Dieses Foto gibt es nicht (mehr)."))
    return photo
