"""PNG and JPEG: decoded and encoded again by Pillow, which drops EXIF (with GPS), XMP,
comments, text chunks and anything appended after the image, so none of it is stored."""

import io
from contextlib import suppress

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin

from evidence.uploads import detection
from evidence.uploads.refusals import UploadRefused, damaged, polyglot, type_phrase

# The plugin classes read the header (and so the size) without Pillow's own bomb check,
# which would refuse before we could say how large the image is.
_READERS = {"png": PngImagePlugin.PngImageFile, "jpeg": JpegImagePlugin.JpegImageFile}
_PNG_SAVE_MODES = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})


def clean_image(data: bytes, kind: str, subject: str) -> bytes:
    sniff = detection.SNIFF_BYTES
    # Re-encoding drops whatever hides in or after the image, but a second format there
    # means the upload was built to be read as something else.
    if (
        detection.has_markup(data[4:sniff], detection.SMUGGLED)
        or detection.has_markup(data[-sniff:], detection.SMUGGLED)
        or detection.contains_zip(data)
    ):
        raise polyglot(subject, kind)
    try:
        with _READERS[kind](io.BytesIO(data)) as header:
            width, height = header.size
    except Exception as exc:
        raise damaged(subject, type_phrase(kind)) from exc
    # Read at call time so the limit follows Pillow's own setting.
    limit = Image.MAX_IMAGE_PIXELS
    if limit and width * height > limit:
        raise UploadRefused(
            _(
                "%(file)s is %(width)s by %(height)s pixels, more than we can safely process "
                "(the limit is %(limit)s pixels). Make it smaller and upload it again."
            )
            % {"file": subject, "width": width, "height": height, "limit": f"{limit:,}"},
            code="image_too_large",
        )
    pillow_format = "PNG" if kind == "png" else "JPEG"
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.load()
            return _reencode(image, kind)
    except Exception as exc:
        # A decoder fed hostile bytes can fail in any way at all (OSError, SyntaxError,
        # ValueError, struct.error...); every one of them means it is not a usable image.
        raise damaged(subject, type_phrase(kind)) from exc


def _reencode(image: Image.Image, kind: str) -> bytes:
    # In place, as a copy of a 50-megapixel photo is another 150 MB for nothing. Broken
    # EXIF should not cost someone their photo: it then stays as the camera saved it.
    with suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    transparency = image.info.get("transparency")
    # Everything in info is metadata the encoders would otherwise copy across: EXIF,
    # XMP, ICC profiles, comments, text chunks, DPI.
    image.info = {}
    out = io.BytesIO()
    if kind == "png":
        if image.mode not in _PNG_SAVE_MODES:
            image, transparency = image.convert("RGBA"), None
        options = {} if transparency is None else {"transparency": transparency}
        image.save(out, format="PNG", **options)
    else:
        # CMYK JPEGs open inverted or not at all in some viewers; RGB opens everywhere.
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()
