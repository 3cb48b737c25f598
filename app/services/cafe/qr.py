"""QR codes for join links: SVG for print (crisp at any size), PNG where a picture file is needed."""
import io
import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white border that scanners need


def _code(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code


def svg(url: str) -> bytes:
    """An SVG with one path and a white background, scaled by its viewBox to any print size."""
    image = _code(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    markup = image.to_string(encoding="unicode")
    # Drop the fixed size in mm: the page or the poster decides how large it prints.
    markup = re.sub(r'^<svg width="[^"]+" height="[^"]+"', '<svg', markup, count=1)
    markup = markup.replace("<svg ", '<svg shape-rendering="crispEdges" ', 1)
    return markup.encode("utf-8")


def png(url: str, box_size: int = 10) -> bytes:
    """A PNG with `box_size` pixels per module (10 px gives about 410 px for a typical join URL)."""
    code = _code(url)
    code.box_size = max(1, min(box_size, 40))
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
