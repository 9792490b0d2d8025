"""What an uploaded evidence file really is, decided from its bytes alone.

Practitioners upload certificates, supervision reports and photographs of them; reviewers
later open these in Acrobat or Word on their own computers. So we keep a file only when its
content is plainly one of the types we accept (PDF, DOCX, ODT, PNG, JPEG), only one of them,
and carries nothing that runs, or fetches from elsewhere, when it is opened. The name and the
browser's content type are never trusted; the name survives only as a cleaned display name.

Images are decoded and encoded again (``images``). Documents are kept byte for byte after
maintained parsers have read all of them: qpdf through pikepdf for PDF (``pdf``); zipfile,
defusedxml and oletools for DOCX and ODT (``zip``, ``office``). Anything a parser cannot read,
or can read only after repairing it, is refused as damaged or unreadable.

Pure: no database and no storage. ``evidence.services`` stores what ``inspect_upload``
returns, and nothing that was refused.
"""

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from evidence.uploads import detection, images, names, pdf
from evidence.uploads import zip as zip_documents
from evidence.uploads.names import EXTENSIONS, safe_display_name
from evidence.uploads.refusals import UploadRefused, empty, too_large

__all__ = [
    "ALLOWED_TYPES",
    "EXTENSIONS",
    "CleanUpload",
    "UploadRefused",
    "inspect_upload",
    "safe_display_name",
]

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
    """Decide what ``uploaded`` is from its content, and return what we would store.

    Raises ``UploadRefused`` with a message saying why for anything else.
    """
    name = uploaded.name or ""
    subject = names.subject(name)
    declared = uploaded.size
    if declared == 0:
        raise empty(subject)
    if declared is not None and declared > max_bytes:
        raise too_large(subject, declared, max_bytes)

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
