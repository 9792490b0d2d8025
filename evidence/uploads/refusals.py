"""Why an upload is refused, in words for the person who uploaded it."""

import math

from django.utils.translation import gettext as _

from evidence.errors import EvidenceError

_MB = 1024 * 1024


class UploadRefused(EvidenceError):
    """An upload we will not keep.

    ``message`` is for the practitioner (already translated); ``code`` says which check
    refused it, for logs and tests.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def refuse(code: str, message: str, subject: str, *hints: str) -> UploadRefused:
    """``message`` has a ``%(file)s`` placeholder; hints follow it as sentences."""
    text = " ".join(part for part in (message % {"file": subject}, *hints) if part)
    return UploadRefused(text, code=code)


def accepted() -> str:
    return _("Upload a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG file.")


def type_phrase(kind: str) -> str:
    # Translators: these complete "%(file)s says it is ..." and "... looks like ...".
    return {
        "pdf": _("a PDF"),
        "docx": _("a Word (DOCX) document"),
        "odt": _("an OpenDocument text (ODT) file"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
    }[kind]


FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "png": "PNG", "jpeg": "JPEG"}


def format_size(size: int, *, round_up: bool = False) -> str:
    # Rounding a size over the limit up keeps "10 MB; the limit is 10 MB" from happening.
    unit, label = (_MB, _("%(n)s MB")) if size >= _MB else (1024, _("%(n)s KB"))
    value = size / unit
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    return label % {"n": f"{value:.1f}".removesuffix(".0")}


def empty(subject: str) -> UploadRefused:
    return refuse("empty", _("%(file)s is empty."), subject)


def too_large(subject: str, size: int | None, limit: int) -> UploadRefused:
    params = {"file": subject, "limit": format_size(limit)}
    if size is None:  # we stopped reading at the limit, so only know it is bigger
        message = _("%(file)s is larger than the limit of %(limit)s.") % params
    else:
        params["size"] = format_size(size, round_up=True)
        message = _("%(file)s is %(size)s; the limit is %(limit)s.") % params
    return UploadRefused(message, code="too_large")


def damaged(subject: str, kind_phrase: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s looks like %(type)s but is damaged or unreadable, so it cannot be "
            "opened safely. Save it again and upload that copy."
        )
        % {"file": subject, "type": kind_phrase},
        code="damaged",
    )


def polyglot(subject: str, kind: str) -> UploadRefused:
    return UploadRefused(
        _(
            "%(file)s is more than one type of file at once, which is how some attacks "
            "hide. Save it again as a plain %(type)s and upload that."
        )
        % {"file": subject, "type": FORMAT_LABELS[kind]},
        code="polyglot",
    )


def encrypted(subject: str) -> UploadRefused:
    return refuse(
        "encrypted",
        _(
            "%(file)s is protected by a password or by restrictions, so we cannot check what "
            "is inside and reviewers may not be able to open it. Remove the protection, save "
            "it again and upload that copy."
        ),
        subject,
    )
