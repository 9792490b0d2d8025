"""Why an upload is refused, in words for the person who uploaded it."""

import math

from django.utils.translation import gettext as _

from evidence.errors import EvidenceError

_MB = 1024 * 1024


class UploadRefused(EvidenceError):
    """An upload we will not keep: ``message`` (translated) for the practitioner, ``code``
    saying which check refused it, for logs and tests."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def refuse(code: str, message: str, subject: str, *hints: str, **params) -> UploadRefused:
    """``message`` names the file as ``%(file)s``; hints follow it as sentences."""
    text = message % {"file": subject, **params}
    return UploadRefused(" ".join(part for part in (text, *hints) if part), code=code)


def type_phrase(kind: str) -> str:
    # Translators: these complete "%(file)s says it is ..." and "... looks like ...".
    return {
        "pdf": _("a PDF"),
        "docx": _("a Word (DOCX) document"),
        "odt": _("an OpenDocument text (ODT) file"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
    }[kind]


def format_size(size: int, *, round_up: bool = False) -> str:
    # Rounding a size over the limit up keeps "10 MB; the limit is 10 MB" from happening.
    unit, label = (_MB, _("%(n)s MB")) if size >= _MB else (1024, _("%(n)s KB"))
    value = math.ceil(size / unit * 10) / 10 if round_up else round(size / unit, 1)
    return label % {"n": f"{value:.1f}".removesuffix(".0")}


def empty(subject: str) -> UploadRefused:
    return refuse("empty", _("%(file)s is empty."), subject)


def too_large(subject: str, size: int | None, limit: int) -> UploadRefused:
    if size is None:  # we stopped reading at the limit, so only know it is bigger
        message = _("%(file)s is larger than the limit of %(limit)s.")
    else:
        message = _("%(file)s is %(size)s; the limit is %(limit)s.")
    size_text = size and format_size(size, round_up=True)
    return refuse("too_large", message, subject, limit=format_size(limit), size=size_text)


def damaged(subject: str, kind_phrase: str) -> UploadRefused:
    message = _("%(file)s looks like %(type)s but is damaged or unreadable, so it cannot be read.")
    return refuse(
        "damaged", message, subject, _("Save it again and upload that copy."), type=kind_phrase
    )


def polyglot(subject: str, kind: str) -> UploadRefused:
    message = _("%(file)s is more than one type of file at once, which is how some attacks hide.")
    hint = _("Save it again as a plain %(type)s and upload that.") % {"type": kind.upper()}
    return refuse("polyglot", message, subject, hint)


def encrypted(subject: str) -> UploadRefused:
    message = _("%(file)s is protected by a password or by restrictions, so we cannot check it.")
    return refuse("encrypted", message, subject, _("Remove the protection and upload it again."))
