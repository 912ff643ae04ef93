"""QR codes as inline SVG, so pages and PDFs need neither Pillow nor an image request."""

from __future__ import annotations

import qrcode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from qrcode.compat.etree import ET
from qrcode.image.svg import SvgPathFillImage


def qr_svg(url: str, *, size: str = "160") -> SafeString:
    """An accessible inline `<svg>` QR code encoding `url`, ready to place in a template as is.

    The markup is built by qrcode and ElementTree, which escape the URL wherever it appears (the
    `<title>`), so marking it safe is sound for any input. `size` is the width and height attribute
    (CSS pixels unless a unit is given); a stylesheet may override it. The modules sit on a white
    background with the standard four-module quiet zone, so the code scans on dark pages too.
    Medium error correction; a URL longer than about 2,300 characters raises `qrcode.exceptions.DataOverflowError`.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, image_factory=SvgPathFillImage)
    qr.add_data(url)
    qr.make(fit=True)
    svg = qr.make_image().get_image()
    svg.set("width", size)
    svg.set("height", size)
    svg.set("role", "img")
    svg.set("class", "qr-code")
    svg.set("shape-rendering", "crispEdges")
    for path in svg.iter("path"):
        # qrcode gives every path id="qr-path"; two codes on one page would repeat the id.
        path.attrib.pop("id", None)
    title = ET.Element("title")
    title.text = _("QR code: %(url)s") % {"url": url}
    svg.insert(0, title)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 - generated markup, URL escaped by ElementTree
