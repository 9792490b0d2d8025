"""What a file is from its first bytes, what it looks like when it is nothing we accept, and
whether a second format is hidden in it."""

import codecs
import io
import struct
import unicodedata
import zipfile
from contextlib import suppress

import filetype
import olefile
from django.utils.translation import gettext as _

from evidence.uploads import names
from evidence.uploads.refusals import UploadRefused, refuse, type_phrase

# Signatures and markup are looked for in this much of the start and the end of a file,
# which is as far as the readers that tolerate junk look (Acrobat, browsers sniffing).
SNIFF_BYTES = 1024

ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_END_RECORD = b"PK\x05\x06"
SIGNATURES = {b"%PDF-1.": "pdf", b"%PDF-2.": "pdf", b"\x89PNG\r\n\x1a\n": "png"}
SIGNATURES |= {b"\xff\xd8\xff": "jpeg", ZIP_LOCAL_HEADER: "zip"}

# Markup that makes a browser treat bytes as a page, wherever it sits in the sniffed window.
MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype html", b"<?php", b"<body", b"<iframe")
# Signatures that, appended to an image, mean someone meant the file to be read twice.
# Lower case, as has_markup compares against the lowered bytes.
SMUGGLED = (*MARKUP, b"%pdf-", ZIP_LOCAL_HEADER.lower(), ZIP_END_RECORD.lower())


def kind_of(data: bytes) -> str | None:
    return next((kind for sig, kind in SIGNATURES.items() if data.startswith(sig)), None)


def wrong_type(subject: str, name: str, what: str | None, hint: str = "") -> UploadRefused:
    claimed = names.claimed_kind(name)
    # Translators: %(file)s is a quoted file name or "This file"; %(claimed)s and %(what)s
    # are phrases such as "a PDF" and "an HTML page".
    if what and claimed:
        message = _("%(file)s says it is %(claimed)s, but it is %(what)s.")
    elif what:
        message = _("%(file)s looks like %(what)s, not a document we accept.")
    elif claimed:
        message = _("%(file)s says it is %(claimed)s but is not one.")
    else:
        message = _("%(file)s is not a kind of file we recognise.")
    accepted = _("Upload a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file.")
    claimed_phrase = claimed and type_phrase(claimed)
    return refuse("wrong_type", message, subject, hint, accepted, what=what, claimed=claimed_phrase)


def describe(data: bytes) -> tuple[str | None, str]:
    """What a file we do not accept appears to be, and a hint, for the refusal message."""
    # Translators: each phrase completes "%(file)s looks like ..." or "... but it is ...".
    head = data[:SNIFF_BYTES]
    resave = _("Save it as a Word Document (.docx) or as PDF and upload that.")
    if head.startswith(olefile.MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return _("a password-protected Office document"), _("Remove the password first.")
        return _("an older Microsoft Office file (such as .doc)"), resave
    found = filetype.guess(data[:8192])  # as much as filetype reads
    heic = _("Export it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible).")
    # filetype takes any "BM" for a bitmap; a real one has four reserved zero bytes.
    if found and (found.extension != "bmp" or head[6:10] == bytes(4)):
        specific = {
            "exe": (_("a Windows program"), ""),
            "elf": (_("a Linux program"), ""),
            "rtf": (_("a Rich Text (RTF) file"), resave),
            "pdf": (_("a PDF of an unknown version"), ""),
            "zip": (_("a ZIP archive"), ""),
            "heic": (_("an HEIC photo"), heic),
        }
        params = {"format": found.extension.upper()}
        if found.extension in specific:
            return specific[found.extension]
        if found.mime.startswith("image/"):
            return _("an image in %(format)s format") % params, ""
        if found.mime.startswith(("video/", "audio/")):
            return _("a video or audio file"), ""
        return _("a file in %(format)s format") % params, ""
    text = _as_text(head)
    return (None, "") if text is None else _describe_text(text)


def _describe_text(text: str) -> tuple[str, str]:
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in lowered:
        return _("an SVG image"), ""
    if "<html" in lowered or lowered.startswith(
        ("<!doctype html", "<head", "<body", "<script", "<meta")
    ):
        return _("an HTML page"), ""
    if lowered.startswith(("#!", "<?php")):
        return _("a script"), ""
    if lowered.startswith("<?xml"):
        return _("an XML file"), ""
    return _("a plain text file"), ""


def _as_text(head: bytes) -> str | None:
    for encoding in ("utf-8", "utf-16"):
        if encoding == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            # Not final: the window may end in the middle of a character.
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("\ufeff")
        if all(c in "\t\n\r\f" or not unicodedata.category(c).startswith("C") for c in text):
            return text
    return None


# --- Second formats hidden inside ----------------------------------------------------------


def has_markup(chunk: bytes, markers: tuple[bytes, ...] = MARKUP) -> bool:
    lowered = chunk.lower()
    return any(marker in lowered for marker in markers)


def contains_zip(data: bytes) -> bool:
    """Whether a ZIP reader would find an archive inside ``data`` (which is not one)."""
    # Readers find an archive from its end record, anywhere in the last 64 kB.
    if ZIP_END_RECORD in data[-(0xFFFF + 22) :]:
        with suppress(Exception), zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.infolist():
                return True
    # Streaming readers walk local headers instead; four bytes can occur by chance in
    # compressed data, so only a header that holds together counts.
    at = data.find(ZIP_LOCAL_HEADER, 1)
    while at != -1:
        if _plausible_local_header(data, at):
            return True
        at = data.find(ZIP_LOCAL_HEADER, at + 1)
    return False


def _plausible_local_header(data: bytes, at: int) -> bool:
    if at + 30 > len(data):
        return False
    *_, method, _t, _d, _crc, compressed, _size, name_length, extra_length = struct.unpack_from(
        "<4xHHHHHIIIHH", data, at
    )
    raw_name = data[at + 30 : at + 30 + name_length]
    try:
        entry_name = raw_name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return (
        method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        and 0 < name_length <= 1024
        and len(raw_name) == name_length
        and not any(unicodedata.category(c).startswith("C") for c in entry_name)
        and at + 30 + name_length + extra_length + compressed <= len(data)
    )
