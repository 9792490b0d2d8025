"""Display names for uploads: safe to show and to offer on download, never a storage path."""

import re
import unicodedata

from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 150
FALLBACK_STEM = "evidence"
# The extension a stored file is offered under; ".jpg" is what people recognise.
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "png": "png", "jpeg": "jpg"}
# Other spellings that already name the right type, so a name using them is left alone.
_JPEG_EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "jfif"})
_EXTENSION_ALIASES = {"jpg": _JPEG_EXTENSIONS, "jpeg": _JPEG_EXTENSIONS}
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
    """A name safe to show and to offer on download, ending in ``extension``: the last path
    component, without control or invisible characters (such as the right-to-left override
    that makes "cv\\u202efdp.exe" read "cvexe.pdf"), every script's letters kept; a known
    but wrong extension is replaced, anything else has the right one appended."""
    extension = extension.lower().lstrip(".")
    same_type = _EXTENSION_ALIASES.get(extension, {extension})
    cleaned = clean_name(name)
    if not extension:
        return truncate(cleaned, MAX_NAME_LENGTH).rstrip(" .") or FALLBACK_STEM

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

    stem = truncate(stem, max(MAX_NAME_LENGTH - len(suffix) - 1, 1)).rstrip(" .")
    return f"{stem or FALLBACK_STEM}.{suffix}"


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", str(name))
    # Cc controls, Cf bidi and invisible format marks, Cs lone surrogates (which cannot be
    # stored), Co private use and Cn unassigned: none belong in a name.
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    name = re.split(r"[/\\]", name)[-1].translate(_RESERVED_IN_NAMES)
    # Again, as dropping a character can bring a letter and its accent together.
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    # A leading dot hides a file on Mac and Linux; a trailing one is dropped by Windows.
    return name.lstrip(". ").rstrip(". ")


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = limit
    # Do not leave a letter behind without its accents.
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut]


def subject(name: str) -> str:
    """How refusals name the file: its cleaned name in quotes, or "This file"."""
    cleaned = truncate(clean_name(name), MAX_NAME_LENGTH)
    return _("“%(name)s”") % {"name": cleaned} if cleaned else _("This file")


def claimed_kind(name: str) -> str | None:
    """The accepted type the name's extension claims, if any."""
    suffix = clean_name(name).rpartition(".")[2].lower()
    for kind, extension in EXTENSIONS.items():
        if suffix in _EXTENSION_ALIASES.get(extension, {extension}):
            return kind
    return None
