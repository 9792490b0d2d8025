"""What an uploaded evidence file really is, decided from its bytes alone.

Reviewers open evidence in Acrobat or Word on their own computers, so we keep a file only when
its content is plainly one type we accept (PDF, DOCX, ODT, PNG, JPEG) and nothing in it runs,
or fetches from elsewhere, when it is opened. Images are decoded and encoded again; documents
are kept byte for byte once maintained parsers have read all of them (qpdf through pikepdf;
zipfile, defusedxml and oletools). What a parser cannot read, or reads only after repair, is
refused as damaged. The name and the browser's content type are never trusted. Pure: no
database and no storage; ``evidence.services`` stores what ``inspect_upload`` returns.
"""

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from evidence.uploads import detection, images, names, pdf
from evidence.uploads import zip as zip_documents
from evidence.uploads.names import EXTENSIONS as EXTENSIONS
from evidence.uploads.names import safe_display_name as safe_display_name
from evidence.uploads.refusals import UploadRefused as UploadRefused
from evidence.uploads.refusals import empty, too_large

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


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
    """What we would store of ``uploaded``; ``UploadRefused`` says why for anything else."""
    name = uploaded.name or ""
    subject = names.subject(name)
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise too_large(subject, uploaded.size, max_bytes)

    # The declared size comes from the request; read one byte past the limit so a lie
    # about it cannot make us hold more than that.
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if not data:
        raise empty(subject)
    if len(data) > max_bytes:
        raise too_large(subject, None, max_bytes)

    kind = detection.kind_of(data)
    if kind == "pdf":
        content = pdf.check_pdf(data, subject)
    elif kind in ("png", "jpeg"):
        content = images.clean_image(data, kind, subject)
    elif kind == "zip":
        kind, content = zip_documents.check_zip_document(data, subject, name), data
    else:
        raise detection.wrong_type(subject, name, *detection.describe(data))

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
