"""What an uploaded evidence file really is, decided from its bytes alone.

Practitioners upload certificates, supervision reports and photographs of
them; reviewers later open these on their own computers. So we keep a file
only when its content is plainly one of the types we accept (PDF, DOCX, ODT,
PNG, JPEG), and only one of them: a file that also reads as a ZIP archive, a
web page or another document is how some attacks get past a checker that
looks only at the start. The name and the browser's content type are never
trusted; the name survives only as a cleaned display name.

Images are decoded and encoded again, which drops EXIF (with GPS), XMP,
comments, text chunks and anything appended after the image. Documents are
kept byte for byte, after checks on their structure.

Pure: no database and no storage. ``evidence.services`` stores what
``inspect_upload`` returns.
"""

import codecs
import hashlib
import io
import math
import re
import unicodedata
import zipfile
import zlib
from contextlib import suppress
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from evidence.errors import EvidenceError

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
# The extension a stored file is offered under; ".jpg" is what people recognise.
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "png": "png", "jpeg": "jpg"}
# Other spellings that already name the right type, so a name using them is left alone.
_JPEG_EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "jfif"})
_EXTENSION_ALIASES = {"jpg": _JPEG_EXTENSIONS, "jpeg": _JPEG_EXTENSIONS}

MAX_NAME_LENGTH = 150
FALLBACK_STEM = "evidence"

# Signatures and markup are looked for in this much of the start and the end of a file,
# which is as far as the readers that tolerate junk look (Acrobat, browsers sniffing).
SNIFF_BYTES = 1024

# ZIP documents: limits far beyond any real document, well short of hurting a server or a
# reviewer's word processor. Declared sizes are enforced while reading (zipfile stops at
# them and checks the CRC), so checking the declared figures is enough.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Deflate cannot do better than about 1030:1; text and XML manage 5-50:1. Parts up to a
# few megabytes are exempt: a long table of identical empty cells compresses absurdly too,
# and at that size harms no one.
ZIP_MAX_RATIO = 500
ZIP_RATIO_EXEMPT_BYTES = 5 * 1024 * 1024

# PDF object streams are decompressed to look inside them; past this we stop trusting it.
PDF_MAX_OBJECT_STREAM_BYTES = 64 * 1024 * 1024

_MB = 1024 * 1024
_PDF_SIGNATURES = (b"%PDF-1.", b"%PDF-2.")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_END_RECORD = b"PK\x05\x06"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# Markup that makes a browser treat bytes as a page, wherever it sits in the sniffed window.
_MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype html", b"<?php", b"<body", b"<iframe")
# Signatures that, appended to an image, mean someone meant the file to be read twice.
# Lower case, as _has_markup compares against the lowered bytes.
_SMUGGLED = (*_MARKUP, b"%pdf-", _ZIP_LOCAL_HEADER.lower(), _ZIP_END_RECORD.lower())
_EXECUTABLE_STARTS = (b"MZ", b"\x7fELF")
_MACH_O_MAGIC = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")


class UploadRefused(EvidenceError):
    """An upload we will not keep.

    ``message`` is for the practitioner (already translated); ``code`` says which check
    refused it, for logs and tests.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str  # of ``content``, the bytes we store, not of what was uploaded
    original_name: str  # cleaned for display; never used as a storage path
    kind: str  # a key of ALLOWED_TYPES


def inspect_upload(uploaded: UploadedFile, *, max_bytes: int) -> CleanUpload:
    """Decide what ``uploaded`` is from its content, and return what we would store.

    Raises ``UploadRefused`` with a message saying why for anything else.
    """
    subject = _subject(uploaded.name or "")
    declared = uploaded.size
    if declared == 0:
        raise _empty(subject)
    if declared is not None and declared > max_bytes:
        raise _too_large(subject, declared, max_bytes)

    # The declared size comes from the request; read one byte past the limit so a lie
    # about it cannot make us hold more than that.
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if not data:
        raise _empty(subject)
    if len(data) > max_bytes:
        raise _too_large(subject, None, max_bytes)

    name = uploaded.name or ""
    if data.startswith(_PDF_SIGNATURES):
        kind, content = "pdf", _check_pdf(data, subject)
    elif data.startswith(_PNG_SIGNATURE):
        kind, content = "png", _clean_image(data, "png", subject)
    elif data.startswith(_JPEG_SIGNATURE):
        kind, content = "jpeg", _clean_image(data, "jpeg", subject)
    elif data.startswith(_ZIP_LOCAL_HEADER):
        kind = _check_zip_document(data, subject, name)
        content = data
    else:
        what, hint = _describe(data)
        raise _wrong_type(subject, name, what, hint)

    extension = EXTENSIONS[kind]
    return CleanUpload(
        content=content,
        content_type=ALLOWED_TYPES[kind],
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=safe_display_name(name, extension),
        kind=kind,
    )


# --- Names ---------------------------------------------------------------------------------

# Known extensions are replaced when they do not match the content ("cv.exe" that is a PDF
# becomes "cv.pdf"); anything else after a dot is part of the name ("notes 03.2024" becomes
# "notes 03.2024.pdf").
_KNOWN_EXTENSIONS = frozenset(
    """
    pdf doc docx docm dot dotx dotm odt ott fodt rtf txt text md csv tsv
    htm html xhtml shtml mht mhtml svg svgz xml json eml msg
    png jpg jpeg jpe jfif gif webp heic heif avif bmp tif tiff ico
    xls xlsx xlsm ods ppt pptx pptm odp pages numbers key epub
    exe com bat cmd scr msi dll js mjs vbs vbe wsf ps1 sh bash py pl php jar apk app dmg
    zip rar 7z gz tgz tar bz2 xz iso lnk url
    """.split()  # noqa: SIM905 - a word list reads better than 90 quoted strings
)
# Windows refuses these in file names; browsers replace them on download anyway.
_RESERVED_IN_NAMES = str.maketrans(dict.fromkeys('<>:"|?*', "_"))


def safe_display_name(name: str, extension: str) -> str:
    """A name that is safe to show and to offer on download, ending in ``extension``.

    Keeps only the last path component, drops control and invisible formatting characters
    (such as the right-to-left override that makes "cv\\u202efdp.exe" read "cvexe.pdf"),
    keeps every script's letters, and makes the extension match the content: a known but
    wrong extension is replaced, anything else has the right one appended.
    """
    extension = extension.lower().lstrip(".")
    same_type = _EXTENSION_ALIASES.get(extension, {extension})
    cleaned = _clean_name(name)
    if not extension:
        return _truncate(cleaned, MAX_NAME_LENGTH).rstrip(" .") or FALLBACK_STEM

    stem, dot, suffix = cleaned.rpartition(".")
    if dot and stem and suffix.lower() in same_type:
        pass  # already right; keep the person's own spelling and case
    elif dot and stem and suffix.lower() in _KNOWN_EXTENSIONS:
        suffix = extension
    elif cleaned.lower() in same_type:
        # ".pdf" on its own: the leading dot went with hidden-file stripping.
        stem, suffix = "", extension
    else:
        stem, suffix = cleaned, extension

    stem = _truncate(stem, max(MAX_NAME_LENGTH - len(suffix) - 1, 1)).rstrip(" .")
    return f"{stem or FALLBACK_STEM}.{suffix}"


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", str(name))
    kept = []
    for char in name:
        if char.isspace():
            kept.append(" ")
        elif not unicodedata.category(char).startswith("C"):
            # Cc controls, Cf bidi and invisible format marks, Cs lone surrogates (which
            # cannot be stored), Co private use and Cn unassigned: none belong in a name.
            kept.append(char)
    name = "".join(kept)
    name = re.split(r"[/\\]", name)[-1]
    name = name.translate(_RESERVED_IN_NAMES)
    # Again, as dropping a character can bring a letter and its accent together.
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    # A leading dot hides a file on Mac and Linux; a trailing one is dropped by Windows.
    return name.lstrip(". ").rstrip(". ")


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = limit
    # Do not leave a letter behind without its accents.
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut]


def _subject(name: str) -> str:
    cleaned = _truncate(_clean_name(name), MAX_NAME_LENGTH)
    return _("“%(name)s”") % {"name": cleaned} if cleaned else _("This file")


# --- Refusals ------------------------------------------------------------------------------


def _accepted() -> str:
    return _("Upload a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file.")


def _type_phrase(kind: str) -> str:
    # Translators: these complete "%(file)s says it is ..." and "... looks like ...".
    return {
        "pdf": _("a PDF"),
        "docx": _("a Word (DOCX) document"),
        "odt": _("an OpenDocument text (ODT) file"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
    }[kind]


def _format_label(kind: str) -> str:
    return {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "png": "PNG", "jpeg": "JPEG"}[kind]


def _format_size(size: int, *, round_up: bool = False) -> str:
    # Rounding a size over the limit up keeps "10 MB; the limit is 10 MB" from happening.
    unit, label = (_MB, _("%(n)s MB")) if size >= _MB else (1024, _("%(n)s KB"))
    value = size / unit
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    return label % {"n": f"{value:.1f}".removesuffix(".0")}


def _empty(subject: str) -> UploadRefused:
    return UploadRefused(_("%(file)s is empty.") % {"file": subject}, code="empty")


def _too_large(subject: str, size: int | None, limit: int) -> UploadRefused:
    params = {"file": subject, "limit": _format_size(limit)}
    if size is None:  # we stopped reading at the limit, so only know it is bigger
        message = _("%(file)s is larger than the limit of %(limit)s.") % params
    else:
        params["size"] = _format_size(size, round_up=True)
        message = _("%(file)s is %(size)s; the limit is %(limit)s.") % params
    return UploadRefused(message, code="too_large")


def _claimed_kind(name: str) -> str | None:
    suffix = _clean_name(name).rpartition(".")[2].lower()
    for kind, extension in EXTENSIONS.items():
        if suffix in _EXTENSION_ALIASES.get(extension, {extension}):
            return kind
    return None


def _wrong_type(subject: str, name: str, what: str | None, hint: str = "") -> UploadRefused:
    claimed = _claimed_kind(name)
    params = {"file": subject, "what": what, "claimed": claimed and _type_phrase(claimed)}
    # Translators: %(file)s is a quoted file name or "This file"; %(claimed)s and %(what)s
    # are phrases such as "a PDF" and "an HTML page".
    if what and claimed:
        message = _("%(file)s says it is %(claimed)s, but it is %(what)s.") % params
    elif what:
        message = _("%(file)s looks like %(what)s, not a document we accept.") % params
    elif claimed:
        message = _("%(file)s says it is %(claimed)s but is not one.") % params
    else:
        message = _("%(file)s is not a kind of file we recognise.") % params
    return UploadRefused(" ".join(p for p in (message, hint, _accepted()) if p), code="wrong_type")


def _damaged(subject: str, kind_phrase: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s looks like %(type)s but is damaged or incomplete, so it cannot be "
            "opened. Save it again and upload that copy."
        )
        % {"file": subject, "type": kind_phrase},
        code="damaged",
    )


def _polyglot(subject: str, kind: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s is more than one type of file at once, which is how some attacks "
            "hide. Save it again as a plain %(type)s and upload that."
        )
        % {"file": subject, "type": _format_label(kind)},
        code="polyglot",
    )


def _print_to_pdf() -> str:
    return _("Print it to a new PDF (“Save as PDF”) and upload that copy.")


# --- What other files look like ------------------------------------------------------------


def _describe(data: bytes) -> tuple[str | None, str]:
    """What a file we do not accept appears to be, and a hint, for the refusal message."""
    # Translators: each phrase completes "%(file)s looks like ..." or "... but it is ...".
    head = data[:SNIFF_BYTES]
    if head.startswith(b"MZ"):
        return _("a Windows program"), ""
    if head.startswith(b"\x7fELF"):
        return _("a Linux program"), ""
    if head[:4] in _MACH_O_MAGIC:
        return _("a Mac program"), ""
    if head.startswith(b"\xca\xfe\xba\xbe"):
        return _("a program"), ""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image"), ""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WebP image"), ""
    if head.startswith(b"\x00\x00\x01\x00"):
        return _("an icon (ICO) file"), ""
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return _("a BMP image"), ""
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image"), ""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return _("an HEIC photo"), _(
                "Export it as JPEG first (on an iPhone, Settings > Camera > Formats > "
                "“Most Compatible” takes JPEG photos)."
            )
        if brand in (b"avif", b"avis"):
            return _("an AVIF image"), ""
        return _("a video or audio file"), ""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return _("a password-protected Office document"), _(
                "Remove the password, save it again and upload that copy."
            )
        return _("an older Microsoft Office file (such as .doc)"), _(
            "Save it as a Word Document (.docx) or as PDF and upload that."
        )
    if head.startswith(b"{\\rtf"):
        return _("a Rich Text (RTF) file"), _(
            "Save it as a Word Document (.docx) or as PDF and upload that."
        )
    if head.startswith(b"Rar!\x1a\x07"):
        return _("a RAR archive"), ""
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return _("a 7-Zip archive"), ""
    if head.startswith(b"\x1f\x8b"):
        return _("a compressed (gzip) archive"), ""
    if head.startswith(_ZIP_END_RECORD):
        return _("an empty ZIP archive"), ""
    if head.startswith((b"ID3", b"OggS", b"fLaC")):
        return _("an audio file"), ""
    if head.startswith(b"%PDF"):
        return _("a PDF of an unknown version"), ""

    text = _as_text(head)
    if text is None:
        return None, ""
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in lowered:
        return _("an SVG image"), ""
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<meta")) or (
        "<html" in lowered
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
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # Not final: the window may end in the middle of a character.
            text = decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("\ufeff")
        if all(c in "\t\n\r\f" or not unicodedata.category(c).startswith("C") for c in text):
            return text
    return None


# --- Polyglots -----------------------------------------------------------------------------


def _has_markup(chunk: bytes, markers: tuple[bytes, ...] = _MARKUP) -> bool:
    lowered = chunk.lower()
    return any(marker in lowered for marker in markers)


def _contains_zip(data: bytes) -> bool:
    """Whether a ZIP reader would find an archive inside ``data`` (which is not one)."""
    # Readers find an archive from its end record, anywhere in the last 64 kB.
    if _ZIP_END_RECORD in data[-(0xFFFF + 22) :]:
        with suppress(Exception), zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.infolist():
                return True
    # Streaming readers walk local headers instead; four bytes can occur by chance in
    # compressed data, so only a header that holds together counts.
    at = data.find(_ZIP_LOCAL_HEADER, 1)
    while at != -1:
        if _plausible_local_header(data, at):
            return True
        at = data.find(_ZIP_LOCAL_HEADER, at + 1)
    return False


def _plausible_local_header(data: bytes, at: int) -> bool:
    header = data[at : at + 30]
    if len(header) < 30:
        return False
    method = int.from_bytes(header[8:10], "little")
    compressed = int.from_bytes(header[18:22], "little")
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or not 0 < name_length <= 1024:
        return False
    raw_name = data[at + 30 : at + 30 + name_length]
    try:
        entry_name = raw_name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if len(raw_name) < name_length or any(
        unicodedata.category(c).startswith("C") for c in entry_name
    ):
        return False
    return at + 30 + name_length + extra_length + compressed <= len(data)


# --- PDF -----------------------------------------------------------------------------------

# Names a PDF uses for things that run or carry other files: scripts, launching programs,
# attachments, embedded media and XFA forms (which carry their own scripts).
_PDF_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"EF",
        b"RichMedia",
        b"XFA",
    }
)
_PDF_FILTERS = frozenset(
    {
        b"FlateDecode",
        b"Fl",
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"LZWDecode",
        b"LZW",
        b"RunLengthDecode",
        b"RL",
        b"CCITTFaxDecode",
        b"CCF",
        b"DCTDecode",
        b"DCT",
        b"JBIG2Decode",
        b"JPXDecode",
        b"Crypt",
    }
)
# Tokens that matter for finding names outside strings and stream data: comments, literal
# strings (skipped by hand, as they nest), hex strings, names, and the keywords that
# start an object and its stream.
_PDF_TOKEN = re.compile(
    rb"(?P<comment>%[^\r\n]*)"
    rb"|(?P<string>\()"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|/(?P<name>[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<obj>(?<![A-Za-z])obj(?![A-Za-z]))"
    rb"|(?P<stream>(?<![A-Za-z])stream[ \t]*(?:\r\n|\n|\r))"
)
_PDF_STRING_CHARS = re.compile(rb"[\\()]")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class _PdfUncheckable(Exception):
    """We cannot see inside part of the PDF, so we cannot vouch for it."""


@dataclass
class _PdfScan:
    names: set[bytes]
    object_streams: list[tuple[frozenset[bytes], bytes]]


def _check_pdf(data: bytes, subject: str) -> bytes:
    tail = data[-SNIFF_BYTES:]
    if _contains_zip(data) or _has_markup(data[len(b"%PDF-1.") : SNIFF_BYTES]) or _has_markup(tail):
        raise _polyglot(subject, "pdf")
    # Every complete PDF ends with %%EOF; without it the file was cut short, or something
    # else was appended after it.
    if b"%%EOF" not in tail:
        raise UploadRefused(
            _(
                "%(file)s starts like a PDF but is incomplete or damaged. Save it again as "
                "PDF and upload that copy."
            )
            % {"file": subject},
            code="damaged",
        )

    try:
        scan = _scan_pdf(data)
        if b"Encrypt" in scan.names:
            # Encrypted objects cannot be read without implementing the decryption, and a
            # reviewer may not be able to open it either.
            raise UploadRefused(
                _(
                    "%(file)s is protected by a password or by restrictions, so we cannot "
                    "check what is inside."
                )
                % {"file": subject}
                + " "
                + _print_to_pdf(),
                code="encrypted",
            )
        names = set(scan.names)
        budget = PDF_MAX_OBJECT_STREAM_BYTES
        for dictionary_names, body in scan.object_streams:
            text = _decode_object_stream(dictionary_names, body, budget)
            budget -= len(text)
            names |= _scan_pdf(text).names
    except _PdfUncheckable as exc:
        raise UploadRefused(
            _("%(file)s is a PDF built in an unusual way, so we cannot check what is inside.")
            % {"file": subject}
            + " "
            + _print_to_pdf(),
            code="uncheckable",
        ) from exc

    if names & _PDF_ACTIVE_NAMES:
        raise UploadRefused(
            _(
                "%(file)s contains active content (scripts, actions that start programs, "
                "attached files or dynamic forms), which we do not accept."
            )
            % {"file": subject}
            + " "
            + _print_to_pdf(),
            code="active_content",
        )
    return data


def _scan_pdf(data: bytes) -> _PdfScan:
    """Every name outside strings and stream data, and the object streams to look into.

    Names inside compressed content are what a reader acts on too, but only object
    streams hold objects; other streams are page content, fonts and images, where three
    bytes like "/JS" turn up by chance.
    """
    names: set[bytes] = set()
    object_streams: list[tuple[frozenset[bytes], bytes]] = []
    names_in_object: set[bytes] = set()
    pos = 0
    while (match := _PDF_TOKEN.search(data, pos)) is not None:
        pos = match.end()
        kind = match.lastgroup
        if kind == "string":
            pos = _skip_pdf_string(data, pos)
        elif kind == "name":
            name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match["name"])
            names.add(name)
            names_in_object.add(name)
        elif kind == "obj":
            names_in_object = set()
        elif kind == "stream":
            end = data.find(b"endstream", pos)
            if end == -1:
                raise _PdfUncheckable
            if b"ObjStm" in names_in_object:
                object_streams.append((frozenset(names_in_object), data[pos:end]))
            pos = end + len(b"endstream")
    return _PdfScan(names=names, object_streams=object_streams)


def _skip_pdf_string(data: bytes, pos: int) -> int:
    depth = 1
    while depth:
        match = _PDF_STRING_CHARS.search(data, pos)
        if match is None:
            # No writer leaves a string open; an unbalanced "(" would hide the rest of the
            # file from this scan while a reader, jumping by the cross-reference table,
            # still reads it.
            raise _PdfUncheckable
        pos = match.end()
        if match.group() == b"\\":
            pos += 1
        else:
            depth += 1 if match.group() == b"(" else -1
    return pos


def _decode_object_stream(dictionary_names: frozenset[bytes], body: bytes, budget: int) -> bytes:
    filters = dictionary_names & _PDF_FILTERS
    if not filters:
        return body
    # Writers compress object streams with Flate alone; a predictor or any other filter
    # would hide the objects from us, so we do not guess.
    if len(filters) > 1 or not filters <= {b"FlateDecode", b"Fl"}:
        raise _PdfUncheckable
    if b"Predictor" in dictionary_names or b"DecodeParms" in dictionary_names:
        raise _PdfUncheckable
    decompressor = zlib.decompressobj()
    try:
        text = decompressor.decompress(body, max(budget, 0) + 1)
    except zlib.error as exc:
        raise _PdfUncheckable from exc
    if len(text) > budget:
        raise _PdfUncheckable
    return text


# --- Images --------------------------------------------------------------------------------

_PILLOW_FORMAT = {"png": "PNG", "jpeg": "JPEG"}
_PNG_SAVE_MODES = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})
# Start-of-frame markers carry the image size; C4, C8 and CC share the range but are not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _clean_image(data: bytes, kind: str, subject: str) -> bytes:
    layout = _png_layout(data) if kind == "png" else _jpeg_layout(data)
    if layout is None:
        raise _damaged(subject, _type_phrase(kind))
    width, height, end = layout

    trailing = data[end:]
    signature_length = len(_PNG_SIGNATURE if kind == "png" else _JPEG_SIGNATURE)
    # Whatever follows the image is dropped by re-encoding, but a second format hidden
    # there means the upload was built to be read as something else. Only the start of
    # it is searched: a phone's multi-picture JPEG appends megabytes of image data, in
    # which short markers turn up by chance.
    if (
        _has_markup(data[signature_length:SNIFF_BYTES], _SMUGGLED)
        or _has_markup(data[-SNIFF_BYTES:], _SMUGGLED)
        or _has_markup(trailing[:SNIFF_BYTES], _SMUGGLED)
        or trailing.lstrip(b"\x00\t\n\r ").startswith(_EXECUTABLE_STARTS)
        or _contains_zip(data)
    ):
        raise _polyglot(subject, kind)

    # Checked before Pillow allocates anything, from the header we parsed ourselves; read
    # at call time so the limit follows Pillow's own setting.
    limit = Image.MAX_IMAGE_PIXELS
    if limit and width * height > limit:
        raise _image_too_large(subject, width, height, limit)

    pillow_format = _PILLOW_FORMAT[kind]
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.load()
            return _reencode(image, kind)
    except Image.DecompressionBombError as exc:
        raise _image_too_large(subject, width, height, limit or 0) from exc
    except UploadRefused:
        raise
    except Exception as exc:
        # A decoder fed hostile bytes can fail in any way at all (OSError, SyntaxError,
        # ValueError, struct.error...); every one of them means it is not a usable image.
        raise _damaged(subject, _type_phrase(kind)) from exc


def _image_too_large(subject: str, width: int, height: int, limit: int) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s is %(width)s by %(height)s pixels, more than we can safely process "
            "(the limit is %(limit)s pixels). Make it smaller and upload it again."
        )
        % {"file": subject, "width": width, "height": height, "limit": f"{limit:,}"},
        code="image_too_large",
    )


def _reencode(image: Image.Image, kind: str) -> bytes:
    # In place, as a copy of a 50-megapixel photo is another 150 MB for nothing. Broken
    # EXIF should not cost someone their photo: it then stays as the camera saved it.
    with suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    upright = image
    transparency = upright.info.get("transparency")
    # Everything in info is metadata the encoders would otherwise copy across: EXIF,
    # XMP, ICC profiles, comments, text chunks, DPI.
    upright.info = {}
    out = io.BytesIO()
    if kind == "png":
        if upright.mode not in _PNG_SAVE_MODES:
            upright, transparency = upright.convert("RGBA"), None
        options = {} if transparency is None else {"transparency": transparency}
        upright.save(out, format="PNG", **options)
    else:
        # CMYK JPEGs open inverted or not at all in some viewers; RGB opens everywhere.
        if upright.mode not in ("L", "RGB"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def _png_layout(data: bytes) -> tuple[int, int, int] | None:
    """Width, height and the offset just past IEND, or None if the chunks do not add up."""
    width = height = None
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return None
        if chunk_type == b"IHDR" and length >= 8:
            width = int.from_bytes(data[pos + 8 : pos + 12], "big")
            height = int.from_bytes(data[pos + 12 : pos + 16], "big")
        elif chunk_type == b"IEND":
            return (width, height, end) if width is not None and height is not None else None
        pos = end
    return None


def _jpeg_layout(data: bytes) -> tuple[int, int, int] | None:
    """Width, height and the offset just past the first image's EOI marker, or None."""
    size = None
    length = len(data)
    pos = 2
    while pos < length:
        # Bytes between segments are junk some cameras leave; decoders skip them too.
        pos = data.find(b"\xff", pos)
        if pos == -1:
            return None
        while pos < length and data[pos] == 0xFF:
            pos += 1
        if pos >= length:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return (size[0], size[1], pos) if size else None
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0x00, 0xD8) or pos + 2 > length:
            return None
        segment_length = int.from_bytes(data[pos : pos + 2], "big")
        if segment_length < 2 or pos + segment_length > length:
            return None
        if marker in _JPEG_SOF and size is None and segment_length >= 7:
            height = int.from_bytes(data[pos + 3 : pos + 5], "big")
            width = int.from_bytes(data[pos + 5 : pos + 7], "big")
            size = (width, height)
        pos += segment_length
        if marker == 0xDA:
            pos = _skip_entropy_coded(data, pos)
            if pos is None:
                return None
    return None


def _skip_entropy_coded(data: bytes, pos: int) -> int | None:
    # In scan data 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything
    # else is the next real marker.
    while True:
        pos = data.find(b"\xff", pos)
        if pos == -1 or pos + 1 >= len(data):
            return None
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos


# --- DOCX and ODT --------------------------------------------------------------------------

_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.spreadsheet": lambda: _(
        "an OpenDocument spreadsheet (ODS)"
    ),
    b"application/vnd.oasis.opendocument.presentation": lambda: _(
        "an OpenDocument presentation (ODP)"
    ),
    b"application/epub+zip": lambda: _("an e-book (EPUB)"),
}
# LibreOffice lists macro libraries in these even when there are none.
_ODF_MACRO_INDEXES = frozenset({"script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml"})


def _check_zip_document(data: bytes, subject: str, name: str) -> str:
    """Return "docx" or "odt" for a ZIP that is safely one of them; refuse anything else."""
    zip_phrase = _("a Word (DOCX) or OpenDocument (ODT) file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_zip_safety(data, infos, subject)
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names:
                kind = _check_docx(archive, names, subject, name)
            elif infos[0].filename == "mimetype":
                kind = _check_odt(archive, infos, names, subject, name)
            else:
                raise _wrong_type(subject, name, _describe_zip(names), "")
            _read_everything(archive, infos)
    except UploadRefused:
        raise
    except Exception as exc:
        # zipfile signals damage with BadZipFile, but also with EOFError, ValueError,
        # NotImplementedError, struct.error, zlib.error and others on hostile input.
        raise _damaged(subject, zip_phrase) from exc

    if _has_markup(data[:SNIFF_BYTES], (*_MARKUP, b"%pdf-")):
        raise _polyglot(subject, kind)
    return kind


def _check_zip_safety(data: bytes, infos: list[zipfile.ZipInfo], subject: str) -> None:
    if not infos:
        raise zipfile.BadZipFile("no entries")
    # The archive must be all there is: bytes before the first entry or after the end
    # record are where a second file format hides.
    end_record = data.rfind(_ZIP_END_RECORD)
    comment_length = int.from_bytes(data[end_record + 20 : end_record + 22], "little")
    if min(info.header_offset for info in infos) != 0 or (
        end_record + 22 + comment_length != len(data)
    ):
        kind = "odt" if infos[0].filename == "mimetype" else "docx"
        raise _polyglot(subject, kind)

    if len(infos) > ZIP_MAX_ENTRIES:
        raise _zip_bomb(subject)
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRefused(
                _(
                    "%(file)s is password-protected, so we cannot check it and reviewers "
                    "could not open it. Remove the password, save it again and upload that "
                    "copy."
                )
                % {"file": subject},
                code="encrypted",
            )
        entry = info.orig_filename.replace("\\", "/")
        if (
            entry.startswith("/")
            or re.match(r"[A-Za-z]:", entry)
            or ".." in entry.split("/")
            or any(unicodedata.category(c) == "Cc" for c in entry)
        ):
            raise UploadRefused(
                _(
                    "%(file)s has parts inside it with unsafe names (such as “../”), a sign "
                    "that it has been tampered with. Save it again from your word processor "
                    "and upload that copy."
                )
                % {"file": subject},
                code="unsafe_paths",
            )
        # Two parts with one name: different programs would read different ones.
        if entry in seen:
            raise _polyglot(subject, "odt" if infos[0].filename == "mimetype" else "docx")
        seen.add(entry)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise zipfile.BadZipFile("unusual compression")
        total += info.file_size
        if total > ZIP_MAX_UNCOMPRESSED_BYTES or (
            info.file_size > ZIP_RATIO_EXEMPT_BYTES
            and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _zip_bomb(subject)


def _zip_bomb(subject: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s unpacks to far more data than a document should, which is how some "
            "attacks overwhelm a computer. Save it again and upload that copy."
        )
        % {"file": subject},
        code="zip_bomb",
    )


def _macros(subject: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s contains macros or other active content, which we do not accept. Save "
            "a copy without macros (in Word, choose “Word Document (.docx)”), or save it as "
            "PDF, and upload that."
        )
        % {"file": subject},
        code="macros",
    )


def _check_docx(archive: zipfile.ZipFile, names: set[str], subject: str, name: str) -> str:
    content_types = _read_capped(archive, "[Content_Types].xml", 1024 * 1024).lower()
    lowered = {entry.lower() for entry in names}
    if (
        b"macroenabled" in content_types
        or b"vbaproject" in content_types
        or any(entry.endswith("vbaproject.bin") for entry in lowered)
        or any(entry.startswith("word/activex/") for entry in lowered)
    ):
        raise _macros(subject)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise _wrong_type(subject, name, _("an Excel spreadsheet"), "")
    if "ppt/presentation.xml" in names:
        raise _wrong_type(subject, name, _("a PowerPoint presentation"), "")
    raise UploadRefused(
        _(
            "%(file)s looks like a Word document but has no main text "
            "(word/document.xml), so Word could not open it either. Save it again from "
            "Word and upload that copy."
        )
        % {"file": subject},
        code="damaged",
    )


def _check_odt(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    names: set[str],
    subject: str,
    name: str,
) -> str:
    first = infos[0]
    mimetype = _read_capped(archive, "mimetype", 256)
    if mimetype != _ODT_MIMETYPE:
        describe = _ODF_KINDS.get(mimetype)
        what = describe() if describe else _("an OpenDocument file of another kind")
        raise _wrong_type(subject, name, what, "")
    # The format puts "mimetype" first and uncompressed so that it can be recognised
    # from its first bytes; an archive that does not was not written as an ODT.
    if first.header_offset != 0 or first.compress_type != zipfile.ZIP_STORED:
        raise UploadRefused(
            _(
                "%(file)s looks like an OpenDocument text file but is not put together as "
                "one. Open it in LibreOffice, save it again and upload that copy."
            )
            % {"file": subject},
            code="damaged",
        )
    if "content.xml" not in names:
        raise _damaged(subject, _type_phrase("odt"))
    for entry in names:
        if entry.startswith("Scripts/") or (
            entry.startswith("Basic/")
            and not entry.endswith("/")
            and entry.rpartition("/")[2] not in _ODF_MACRO_INDEXES
        ):
            raise _macros(subject)
    return "odt"


def _describe_zip(names: set[str]) -> str:
    if "META-INF/MANIFEST.MF" in names:
        return _("a Java program")
    if "AndroidManifest.xml" in names:
        return _("an Android app")
    return _("a ZIP archive")


def _read_capped(archive: zipfile.ZipFile, entry: str, cap: int) -> bytes:
    with archive.open(entry) as part:
        return part.read(cap)


def _read_everything(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    # Reading every part checks its CRC and that the central directory and local headers
    # agree, so what we store is an archive a word processor can open.
    for info in infos:
        with archive.open(info) as part:
            while part.read(1024 * 1024):
                pass
