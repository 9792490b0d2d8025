"""What ``inspect_upload`` accepts, what it refuses and why, and how names are cleaned.

Samples are made by ``tests.evidence.samples``; hostile PDFs and Office documents have
their own modules (``test_uploads_pdf.py``, ``test_uploads_office.py``).

Over 400 lines on purpose: each check of names, sizes, types, images and ZIP containers
with the sample that trips it.
"""

import hashlib
import io
import struct
import unicodedata
import warnings
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, PngImagePlugin

from evidence.uploads import (
    ALLOWED_TYPES,
    EXTENSIONS,
    UploadRefused,
    inspect_upload,
    safe_display_name,
)
from evidence.uploads import zip as zip_documents
from tests.evidence.samples import (
    ACCEPTED,
    CONTENT_TYPES,
    LIMIT,
    MB,
    docx_bytes,
    docx_entries,
    exif_with_gps,
    hand_pdf,
    image_bytes,
    inspect,
    jpeg_bytes,
    make_zip,
    object_stream,
    odt_bytes,
    odt_entries,
    png_bytes,
    png_chunk,
    png_chunk_types,
    refusal,
    refused_with,
    set_encrypted_flag,
    weasyprint_pdf,
)

# --- Accepted files ------------------------------------------------------------------------


def kept_whole(name: str, data: bytes, kind: str):
    """``data`` uploaded as ``name`` is accepted as ``kind`` and kept byte for byte."""
    clean = inspect(name, data)
    assert clean.kind == kind
    assert clean.content == data
    return clean


def test_pdf_from_weasyprint_is_kept_byte_for_byte():
    data = weasyprint_pdf()
    clean = kept_whole("certificate.pdf", data, "pdf")
    assert clean.content_type == "application/pdf"
    assert clean.extension == "pdf"
    assert clean.size == len(data)
    assert clean.sha256 == hashlib.sha256(data).hexdigest()
    assert clean.original_name == "certificate.pdf"


def test_hand_made_pdf_with_trailing_whitespace_is_accepted():
    data = hand_pdf() + b"\r\n \n"
    assert inspect("notes.pdf", data).content == data


def test_pdf_whose_strings_merely_mention_javascript_is_accepted():
    # Inside a string these are words, not names a reader acts on.
    data = hand_pdf(title=b"(Notes on /JavaScript, /JS \\(and\\) /Launch)")
    assert inspect("notes.pdf", data).kind == "pdf"


def test_pdf_with_a_harmless_compressed_object_stream_is_accepted():
    data = hand_pdf(extra=[object_stream(b"<< /Type /Annot /Subtype /Text >>")])
    assert inspect("notes.pdf", data).kind == "pdf"


def test_docx_is_kept_byte_for_byte():
    data = docx_bytes()
    clean = kept_whole("Supervision report.docx", data, "docx")
    assert clean.content_type == ALLOWED_TYPES["docx"]
    assert clean.extension == "docx"
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_odt_is_kept_byte_for_byte():
    data = odt_bytes()
    clean = kept_whole("reflection.odt", data, "odt")
    assert clean.content_type == "application/vnd.oasis.opendocument.text"


def test_png_and_jpeg_are_accepted_as_images():
    png = inspect("scan.png", png_bytes())
    jpeg = inspect("photo.jpg", jpeg_bytes())
    assert (png.kind, png.content_type, png.extension) == ("png", "image/png", "png")
    assert (jpeg.kind, jpeg.content_type, jpeg.extension) == ("jpeg", "image/jpeg", "jpg")


def test_allowed_types_name_exactly_the_five_formats():
    assert ALLOWED_TYPES == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
        "png": "image/png",
        "jpeg": "image/jpeg",
    }
    assert set(EXTENSIONS) == set(ALLOWED_TYPES)


def test_type_is_decided_by_content_not_by_name_or_browser_type():
    upload = SimpleUploadedFile("cv.pdf", png_bytes(), content_type="application/pdf")
    clean = inspect_upload(upload, max_bytes=LIMIT)
    assert clean.kind == "png"
    assert clean.content_type == "image/png"
    assert clean.original_name == "cv.png"


# --- Image metadata ------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_comment_and_icc_but_keeps_its_size():
    data = image_bytes(
        "JPEG",
        exif=exif_with_gps(),
        comment=b"taken at 12 Acacia Avenue",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-place</x:xmpmeta>',
        icc_profile=b"private-icc-profile",
    )
    assert b"PhoneCo" in data and b"Acacia" in data and b"secret-place" in data

    clean = inspect("photo.jpg", data)

    for leftover in (b"Exif", b"PhoneCo", b"Acacia", b"secret-place", b"private-icc"):
        assert leftover not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 20)
        assert not image.getexif()
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "comment" not in image.info
        assert "icc_profile" not in image.info
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    assert clean.sha256 != hashlib.sha256(data).hexdigest()


def test_jpeg_is_turned_upright_before_its_exif_is_dropped():
    # Orientation 6: the camera was on its side; viewers rotate the 40x20 image to 20x40.
    data = image_bytes("JPEG", size=(40, 20), exif=exif_with_gps(orientation=6))
    clean = inspect("sideways.jpg", data)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (20, 40)
        assert not image.getexif()


def test_png_loses_text_chunks_and_exif_but_keeps_its_size():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Priya Practitioner")
    info.add_text("Comment", "client: Baby J", zip=True)
    info.add_itxt("Location", "Flat 3, Leeds")
    data = image_bytes("PNG", pnginfo=info, exif=exif_with_gps())
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunk_types(data))

    clean = inspect("scan.png", data)

    assert set(png_chunk_types(clean.content)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    assert b"Priya" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        image.load()
        assert image.size == (40, 20)
        assert not image.text
        assert not image.getexif()


def test_png_transparency_survives_cleaning():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 255, 255, 0, 0, 0])
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    clean = inspect("icon.png", out.getvalue())
    with Image.open(io.BytesIO(clean.content)) as cleaned:
        assert cleaned.info.get("transparency") == 0


def test_harmless_bytes_after_an_image_are_dropped_not_refused():
    clean = inspect("photo.jpg", jpeg_bytes() + b"\x00" * 64 + b"camera padding")
    assert b"camera padding" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (40, 20)


# --- Size ----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    refused = refused_with("notes.pdf", b"", "empty")
    assert refused.message == "“notes.pdf” is empty."


def test_file_over_the_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7")
    upload.size = int(14.2 * MB)
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, max_bytes=LIMIT)
    assert caught.value.code == "too_large"
    assert caught.value.message == "“big.pdf” is 14.2 MB; the limit is 10 MB."


def test_file_just_over_the_limit_does_not_read_as_equal_to_it():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7")
    upload.size = LIMIT + 1
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, max_bytes=LIMIT)
    assert "is 10.1 MB; the limit is 10 MB" in caught.value.message


class NeverRead(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("an oversized upload was read")


def test_oversized_file_is_refused_without_being_read():
    upload = NeverRead("huge.pdf", b"x")
    upload.size = 500 * MB
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, max_bytes=LIMIT)
    assert caught.value.code == "too_large"


def test_upload_that_understates_its_size_is_still_refused():
    upload = SimpleUploadedFile("sly.pdf", weasyprint_pdf())
    upload.size = 10
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, max_bytes=1024)
    assert caught.value.message == "“sly.pdf” is larger than the limit of 1 KB."


# --- Not a type we accept ------------------------------------------------------------------

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html>\n<html><body><script>document.cookie</script></body></html>"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("diagram.svg", SVG, "“diagram.svg” looks like an SVG image, not a document we accept."),
        ("page.html", HTML, "“page.html” looks like an HTML page, not a document we accept."),
        ("page.pdf", HTML, "“page.pdf” says it is a PDF, but it is an HTML page."),
        ("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "but it is a Windows program."),
        ("cv.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "but it is a Linux program."),
        ("cv.pdf", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64, "says it is a PDF but is"),
        ("BMI chart.pdf", b"BMI at 6 weeks: 14\n", "but it is a plain text file."),
        ("notes.pdf", b"Dear reviewer,\nplease accept this.\n", "but it is a plain text file."),
        ("run.pdf", b"#!/bin/sh\nrm -rf ~\n", "but it is a script."),
        ("data.xml", b'<?xml version="1.0"?><data/>', "looks like an XML file"),
        ("anim.gif", image_bytes("GIF"), "“anim.gif” looks like an image in GIF format"),
        (
            "favicon.png",
            b"\x00\x00\x01\x00\x01\x00" + b"\x00" * 64,
            "but it is an image in ICO format",
        ),
        (
            "photo.webp",
            b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32,
            "looks like an image in WEBP format",
        ),
        ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32, "Export it as JPEG"),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "an older Microsoft Office file (such as .doc)",
        ),
        ("blob.pdf", bytes(range(256)) * 4, "“blob.pdf” says it is a PDF but is not one."),
        ("blob", bytes(range(256)) * 4, "“blob” is not a kind of file we recognise."),
    ],
)
def test_other_kinds_of_file_are_refused_saying_what_they_look_like(name, data, says):
    refused = refused_with(name, data, "wrong_type", says)
    assert refused.message.endswith(ACCEPTED)


def test_other_office_and_zip_files_are_refused_by_what_they_are():
    xlsx = make_zip(docx_entries(**{"word/document.xml": None, "xl/workbook.xml": b"<workbook/>"}))
    ods = make_zip(
        odt_entries(b"application/vnd.oasis.opendocument.spreadsheet"), stored={"mimetype"}
    )
    plain = make_zip([("holiday/photo1.txt", b"not a document")])
    assert "but it is a file in XLSX format" in refusal("budget.docx", xlsx).message
    assert "but it is a file in ODS format" in refusal("budget.odt", ods).message
    assert "looks like a ZIP archive" in refusal("photos.zip", plain).message


# --- Damaged files -------------------------------------------------------------------------


def test_pdf_without_an_end_is_refused_as_incomplete():
    refused_with(
        "cut.pdf",
        weasyprint_pdf()[:-200],
        "damaged",
        "looks like a PDF but is damaged or unreadable",
    )


def test_truncated_png_is_refused_as_damaged():
    refused_with(
        "scan.png",
        png_bytes()[:-30],
        "damaged",
        "looks like a PNG image but is damaged or unreadable",
    )


def test_png_with_a_corrupt_checksum_is_refused_as_damaged():
    data = bytearray(png_bytes())
    idat = data.find(b"IDAT")
    data[idat + 6] ^= 0xFF
    assert refusal("scan.png", bytes(data)).code == "damaged"


def test_truncated_jpeg_is_refused_as_damaged():
    refused_with("photo.jpg", jpeg_bytes()[: len(jpeg_bytes()) // 2], "damaged", "a JPEG image")


def test_docx_without_its_main_part_is_refused():
    data = make_zip(docx_entries(**{"word/document.xml": None}))
    refused_with(
        "report.docx",
        data,
        "wrong_type",
        "says it is a Word (DOCX) document, but it is a ZIP archive",
    )


def test_docx_with_a_bad_checksum_is_refused_as_damaged():
    data = make_zip(docx_entries(), stored={"word/document.xml"})
    data = data.replace(b"Hello from supervision", b"Jello from supervision")
    refused_with("report.docx", data, "damaged", "damaged or unreadable")


def test_odt_whose_mimetype_is_compressed_is_refused():
    data = make_zip(odt_entries())  # everything deflated, mimetype included
    refused_with("reflection.odt", data, "damaged", "damaged or unreadable")


def test_odt_without_content_is_refused():
    data = make_zip(odt_entries()[:1], stored={"mimetype"})
    assert refusal("reflection.odt", data).code == "damaged"


# --- Images too large to decode ------------------------------------------------------------


def test_image_over_pillows_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    refused_with(
        "scan.png", png_bytes(), "image_too_large", "40 by 20 pixels", "the limit is 100 pixels"
    )


def test_png_claiming_enormous_dimensions_is_refused_before_decoding():
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        refused = refusal("bomb.png", data)
    assert refused.code == "image_too_large"
    assert "100000 by 100000 pixels" in refused.message


def test_jpeg_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert refusal("photo.jpg", jpeg_bytes()).code == "image_too_large"


# --- Polyglots -----------------------------------------------------------------------------

POLYGLOT = "is more than one type of file at once, which is how some attacks hide."


def test_pdf_with_a_zip_appended_is_refused_as_a_polyglot():
    refused_with(
        "cv.pdf",
        weasyprint_pdf() + docx_bytes(),
        "polyglot",
        POLYGLOT,
        "Save it again as a plain PDF",
    )


def test_pdf_with_a_small_zip_tucked_before_its_end_is_refused():
    pdf = hand_pdf()
    tiny_zip = make_zip([("a.txt", b"x")])
    data = pdf.replace(b"startxref", b"%" + tiny_zip.replace(b"\n", b" ") + b"\nstartxref")
    assert refusal("cv.pdf", data).code == "polyglot"


def test_pdf_with_html_at_its_start_or_end_is_refused():
    start = hand_pdf().replace(b"%\xe2\xe3\xcf\xd3", b"%<html><script>alert(1)</script>")
    end = hand_pdf() + b"<!-- --><html><script>alert(1)</script></html>\n%%EOF\n"
    assert refusal("a.pdf", start).code == "polyglot"
    assert refusal("b.pdf", end).code == "polyglot"


def test_jpeg_with_html_appended_is_refused_as_a_polyglot():
    refused_with(
        "photo.jpg",
        jpeg_bytes() + b"<html><script>alert(1)</script></html>",
        "polyglot",
        "Save it again as a plain JPEG",
    )


def test_png_with_a_zip_appended_is_refused_as_a_polyglot():
    assert refusal("scan.png", png_bytes() + docx_bytes()).code == "polyglot"


def test_png_with_a_pdf_appended_is_refused_as_a_polyglot():
    assert refusal("scan.png", png_bytes() + hand_pdf()).code == "polyglot"


def test_png_with_html_in_a_text_chunk_is_refused_as_a_polyglot():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    assert refusal("scan.png", image_bytes("PNG", pnginfo=info)).code == "polyglot"


def test_docx_with_data_after_the_archive_is_refused_as_a_polyglot():
    assert refusal("report.docx", docx_bytes() + hand_pdf()).code == "polyglot"


def test_docx_carrying_a_pdf_header_near_its_start_is_refused_as_a_polyglot():
    data = make_zip([("a.txt", hand_pdf()), *docx_entries()], stored={"a.txt"})
    assert refusal("report.docx", data).code == "polyglot"


def test_zip_with_two_parts_of_the_same_name_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate
        data = make_zip([*docx_entries(), ("word/document.xml", b"<other/>")])
    assert refusal("report.docx", data).code == "polyglot"


# --- Macros (more active content in test_uploads_office.py and test_uploads_pdf.py) ---------


def test_docx_with_macros_is_refused():
    macro_types = CONTENT_TYPES.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    with_project = make_zip(docx_entries(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}))
    by_type = make_zip(docx_entries(**{"[Content_Types].xml": macro_types}))
    for data in (with_project, by_type):
        refused_with("report.docx", data, "macros", "contains macros")


def test_odt_with_basic_macros_is_refused():
    entries = [*odt_entries(), ("Basic/Standard/Module1.xml", b"<script:module/>")]
    assert refusal("reflection.odt", make_zip(entries, stored={"mimetype"})).code == "macros"


def test_odt_with_only_empty_macro_library_indexes_is_accepted():
    entries = [*odt_entries(), ("Basic/script-lc.xml", b"<libraries/>")]
    assert inspect("reflection.odt", make_zip(entries, stored={"mimetype"})).kind == "odt"


# --- Unsafe archives -----------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["../../evil.sh", "word/../../evil.sh", "/etc/cron.d/x", "C:\\x"])
def test_zip_with_an_unsafe_path_is_refused(entry):
    refused_with(
        "report.docx", make_zip([*docx_entries(), (entry, b"x")]), "unsafe_paths", "unsafe names"
    )


def test_zip_bomb_is_refused_by_its_compression_ratio():
    # 20 MB of zeros deflates to about 20 kB: a ratio no real document part reaches.
    bomb = make_zip(docx_entries(**{"word/media/image1.bmp": bytes(20 * MB)}), compress_level=9)
    assert len(bomb) < 100 * 1024
    refused_with("report.docx", bomb, "zip_bomb", "unpacks to far more data than a document should")


def test_zip_bomb_is_refused_by_its_total_size(monkeypatch):
    monkeypatch.setattr(zip_documents, "ZIP_MAX_UNCOMPRESSED_BYTES", 512)
    assert refusal("report.docx", docx_bytes()).code == "zip_bomb"


def test_password_protected_zip_entries_are_refused():
    refused_with("report.docx", set_encrypted_flag(docx_bytes()), "encrypted", "password-protected")


def test_password_protected_office_file_says_so():
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    )
    refused = refusal("report.docx", data)
    assert "a password-protected Office document" in refused.message


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\x\\cv.pdf", "pdf", "cv.pdf"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),
        ("报告.pdf", "pdf", "报告.pdf"),
        ("تقرير.pdf", "pdf", "تقرير.pdf"),
        ("Adroddiad-ŵŷ.pdf", "pdf", "Adroddiad-ŵŷ.pdf"),
        ("Adroddiad-w\u0302y\u0302.pdf", "pdf", "Adroddiad-ŵŷ.pdf"),  # NFD in, NFC out
        ("a\x00b\x07c\x1b[31m.pdf", "pdf", "abc[31m.pdf"),
        ("line\nbreak\t\ttab.pdf", "pdf", "line break tab.pdf"),
        ("  spaced   out  .pdf", "pdf", "spaced out.pdf"),
        ("\u200fhidden\u2066marks\u2069\u200b.pdf", "pdf", "hiddenmarks.pdf"),
        ("report.exe", "pdf", "report.pdf"),
        ("report.docx", "pdf", "report.pdf"),
        ("notes 03.2024", "pdf", "notes 03.2024.pdf"),
        ("scan", "png", "scan.png"),
        ("photo.JPEG", "jpg", "photo.JPEG"),
        ("photo.jpeg", "jpg", "photo.jpeg"),
        ("CV.PDF", "pdf", "CV.PDF"),
        (".htaccess", "pdf", "htaccess.pdf"),
        (".pdf", "pdf", "evidence.pdf"),
        ("...", "pdf", "evidence.pdf"),
        ("", "png", "evidence.png"),
        ("\u202e\u200f", "docx", "evidence.docx"),
        ("folder/", "odt", "evidence.odt"),
        ('Meeting 10:30 <draft> "final"?.pdf', "pdf", "Meeting 10_30 _draft_ _final__.pdf"),
        ("trailing dots...", "pdf", "trailing dots.pdf"),
    ],
)
def test_safe_display_name(name, extension, expected):
    assert safe_display_name(name, extension) == expected


def test_right_to_left_override_never_survives():
    assert "\u202e" not in safe_display_name("invoice\u202efdp.exe", "pdf")


def test_very_long_name_is_cut_to_150_characters_keeping_the_extension():
    result = safe_display_name("a" * 500 + ".pdf", "pdf")
    assert len(result) == 150
    assert result == "a" * 146 + ".pdf"


def test_very_long_non_latin_name_is_cut_by_characters_not_bytes():
    result = safe_display_name("报" * 500 + ".pdf", "pdf")
    assert result == "报" * 146 + ".pdf"


def test_cutting_a_long_name_never_strips_a_letter_of_its_accent():
    # q with a dot above has no precomposed form, so it stays as two code points.
    result = safe_display_name("q\u0307" * 200, "pdf")
    stem = result.removesuffix(".pdf")
    assert len(result) <= 150
    assert len(stem) % 2 == 0
    assert stem.endswith("q\u0307")


def test_upload_keeps_a_cleaned_name():
    upload = SimpleUploadedFile("C:\\Users\\x\\cv\u202efdp.exe", weasyprint_pdf())
    assert inspect_upload(upload, max_bytes=LIMIT).original_name == "cvfdp.pdf"


def test_refusal_messages_show_the_cleaned_name():
    refused = refusal("evil\u202egpj.html", HTML)
    assert "\u202e" not in refused.message
    assert "“evilgpj.html”" in refused.message


def test_refusal_without_a_usable_name_says_this_file():
    upload = SimpleUploadedFile("x", b"")
    upload.name = "\u202e"
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(upload, max_bytes=LIMIT)
    assert caught.value.message == "This file is empty."


# --- Properties ----------------------------------------------------------------------------

SIGNATURES = [
    b"",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<svg",
]
# Hypothesis keeps no example database here, so test runs leave nothing in the work tree.
PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def outcome(data: bytes) -> str:
    try:
        clean = inspect("upload.bin", data, max_bytes=64 * 1024)
    except UploadRefused as refused:
        assert refused.message
        return "refused"
    assert clean.kind in ALLOWED_TYPES
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    return "accepted"


@PROPERTY
@given(prefix=st.sampled_from(SIGNATURES), rest=st.binary(max_size=4096))
def test_arbitrary_bytes_are_accepted_or_refused_never_crash(prefix, rest):
    outcome(prefix + rest)


SAMPLES = {
    "pdf": hand_pdf,
    "png": png_bytes,
    "jpeg": jpeg_bytes,
    "docx": docx_bytes,
    "odt": odt_bytes,
}


@PROPERTY
@given(
    kind=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6),
    cut=st.one_of(st.none(), st.integers(min_value=1)),
)
def test_damaged_copies_of_real_files_are_accepted_or_refused_never_crash(kind, edits, cut):
    data = bytearray(SAMPLES[kind]())
    for position, value in edits:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data) + 1]
    outcome(bytes(data))


@PROPERTY
@given(name=st.text(max_size=600), extension=st.sampled_from(sorted(set(EXTENSIONS.values()))))
def test_any_name_becomes_a_safe_non_empty_name(name, extension):
    result = safe_display_name(name, extension)
    assert result
    assert len(result) <= 150
    assert "/" not in result and "\\" not in result
    assert not any(unicodedata.category(c).startswith("C") for c in result)
    assert not result.startswith(".")
    assert result == unicodedata.normalize("NFC", result)
    suffix = result.rpartition(".")[2].lower()
    assert suffix == extension or (extension == "jpg" and suffix in {"jpeg", "jpe", "jfif"})
