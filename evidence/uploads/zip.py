"""The ZIP container of a DOCX or ODT: one archive and nothing else, no bombs, no unsafe
names; what is inside is judged by ``office``."""

import io
import re
import unicodedata
import zipfile

import filetype
from django.utils.translation import gettext as _

from evidence.uploads import detection, office
from evidence.uploads.refusals import UploadRefused, damaged, polyglot, refuse, type_phrase

# Limits far beyond any real document, well short of hurting a server or a reviewer's word
# processor. Declared sizes are enforced while reading (zipfile stops at them and checks the
# CRC), so checking the declared figures is enough. Deflate cannot do better than about
# 1030:1 and XML manages 5-50:1; parts of a few megabytes are exempt, as a long table of
# identical empty cells compresses absurdly too and at that size harms no one.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 500
ZIP_RATIO_EXEMPT_BYTES = 5 * 1024 * 1024
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def check_zip_document(data: bytes, subject: str, name: str) -> str:
    """Return "docx" or "odt" for a ZIP that is safely one of them; refuse anything else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_container(data, infos, subject)
            names = {info.filename for info in infos}
            with archive.open(infos[0]) as first:
                mimetype = first.read(64) if infos[0].filename == "mimetype" else b""
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                kind = "docx"
            elif mimetype == _ODT_MIMETYPE:
                kind = "odt"
            elif (found := filetype.guess(data)) and found.extension in ("docx", "odt"):
                raise damaged(subject, type_phrase(found.extension))
            else:  # filetype names spreadsheets, presentations and e-books by their parts
                raise detection.wrong_type(subject, name, *detection.describe(data))
            office.check_parts(kind, archive, subject)
    except UploadRefused:
        raise
    except Exception as exc:
        # zipfile signals damage with BadZipFile, but also with EOFError, ValueError,
        # NotImplementedError, struct.error, zlib.error and others on hostile input.
        raise damaged(subject, _("a Word (DOCX) or OpenDocument (ODT) file")) from exc

    if detection.has_markup(data[: detection.SNIFF_BYTES], (*detection.MARKUP, b"%pdf-")):
        raise polyglot(subject, kind)
    return kind


def _check_container(data: bytes, infos: list[zipfile.ZipInfo], subject: str) -> None:
    if not infos:
        raise zipfile.BadZipFile("no entries")
    kind = "odt" if infos[0].filename == "mimetype" else "docx"
    # The archive must be all there is: bytes before the first entry or after the end
    # record are where a second file format hides.
    end_record = data.rfind(detection.ZIP_END_RECORD)
    comment_length = int.from_bytes(data[end_record + 20 : end_record + 22], "little")
    if min(info.header_offset for info in infos) or end_record + 22 + comment_length != len(data):
        raise polyglot(subject, kind)
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _zip_bomb(subject)
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(
                "encrypted",
                _("%(file)s is password-protected, so we cannot check it."),
                subject,
                _("Remove the password, save it again and upload that copy."),
            )
        entry = info.orig_filename.replace("\\", "/")
        if (
            re.match(r"/|[A-Za-z]:", entry)
            or ".." in entry.split("/")
            or any(unicodedata.category(c) == "Cc" for c in entry)
        ):
            raise refuse(
                "unsafe_paths",
                _("%(file)s has parts inside it with unsafe names (such as “../”)."),
                subject,
                _("Save it again from your word processor and upload that copy."),
            )
        # Two parts with one name: different programs would read different ones.
        if entry in seen:
            raise polyglot(subject, kind)
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
    return refuse(
        "zip_bomb",
        _("%(file)s unpacks to far more data than a document should, as some attacks do."),
        subject,
        _("Save it again and upload that copy."),
    )
