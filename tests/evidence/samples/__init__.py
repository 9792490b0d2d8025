"""Samples for the upload checks: clean files made by common tools, and the builders the
tests use to make hostile ones.

Everything hostile is built by the tests from bytes, pikepdf, zipfile and Pillow, so no
malware is ever committed. The clean files in this folder were made once with LibreOffice
7.4 (Debian 12), which CI does not install, from ``supervision-report.html``, by
``soffice --headless --convert-to FORMAT`` with these FORMATs:

- ``odt:writer8`` (with ``--infilter="HTML (StarWriter)"``, so it is a Writer document);
- ``pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}`` from the ODT;
- ``docx:MS Word 2007 XML`` from the ODT, renamed ``supervision-report-libreoffice.docx``.
"""

import functools
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from evidence.uploads import CleanUpload, UploadRefused, inspect_upload

HERE = Path(__file__).resolve().parent


def fixture_bytes(name: str) -> bytes:
    return (HERE / name).read_bytes()


MB = 1024 * 1024
LIMIT = 10 * MB
ACCEPTED = "Upload a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file."


def inspect(name: str, data: bytes, *, max_bytes: int = LIMIT) -> CleanUpload:
    return inspect_upload(SimpleUploadedFile(name, data), max_bytes=max_bytes)


def refusal(name: str, data: bytes, *, max_bytes: int = LIMIT) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        inspect(name, data, max_bytes=max_bytes)
    return caught.value


def refused_with(name: str, data: bytes, code: str, *says: str) -> UploadRefused:
    """``data`` uploaded as ``name`` is refused for ``code``; its message says each of ``says``."""
    refused = refusal(name, data)
    assert refused.code == code
    for text in says:
        assert text in refused.message
    return refused


# --- Samples -------------------------------------------------------------------------------


@functools.cache
def weasyprint_pdf() -> bytes:
    return weasyprint.HTML(string="<h1>Certificate</h1><p>Attended six hours.</p>").write_pdf()


def pdf_stream(content: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), dictionary, content)


def hand_pdf(
    *, catalog: bytes = b"", title: bytes = b"(Evidence)", extra=(), trailer: bytes = b""
) -> bytes:
    """A small PDF with a correct cross-reference table, for the cases WeasyPrint won't write."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> /Contents 4 0 R >>",
        pdf_stream(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"),
        b"<< /Title " + title + b" >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def object_stream(objects: bytes, *, filters: bytes = b"/Filter /FlateDecode") -> bytes:
    # One object, numbered 6, packed into an object stream as PDF 1.5 writers do.
    header = b"6 0 "
    body = header + objects
    if b"FlateDecode" in filters:
        body = zlib.compress(body)
    return pdf_stream(body, b"/Type /ObjStm /N 1 /First %d %s " % (len(header), filters))


def image_bytes(fmt: str, size=(40, 20), **save_options) -> bytes:
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, format=fmt, **save_options)
    return out.getvalue()


@functools.cache
def png_bytes() -> bytes:
    return image_bytes("PNG")


@functools.cache
def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + chunk_type
        + data
        + struct.pack(">I", zlib.crc32(chunk_type + data))
    )


def png_chunk_types(data: bytes) -> list[bytes]:
    types, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        types.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def make_zip(entries, *, stored=(), compress_level=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compress_level) as zf:
        for name, data in entries:
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Hello from supervision</w:t></w:r></w:p></w:body></w:document>"
)


def docx_entries(**replace):
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/document.xml": DOCUMENT,
    }
    parts.update(replace)
    return [(name, data) for name, data in parts.items() if data is not None]


@functools.cache
def docx_bytes() -> bytes:
    return make_zip(docx_entries())


ODT_CONTENT = (
    b'<?xml version="1.0"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    b"<office:body><office:text><text:p>Reflection</text:p></office:text></office:body>"
    b"</office:document-content>"
)


def odt_entries(mimetype: bytes = b"application/vnd.oasis.opendocument.text"):
    return [
        ("mimetype", mimetype),
        ("content.xml", ODT_CONTENT),
        (
            "META-INF/manifest.xml",
            b'<?xml version="1.0"?><manifest:manifest xmlns:manifest='
            b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        ),
    ]


@functools.cache
def odt_bytes() -> bytes:
    return make_zip(odt_entries(), stored={"mimetype"})


def set_encrypted_flag(data: bytes) -> bytes:
    patched = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = patched.find(signature)
        while at != -1:
            patched[at + flag_at] |= 0x01
            at = patched.find(signature, at + 4)
    return bytes(patched)
