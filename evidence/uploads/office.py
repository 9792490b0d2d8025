"""What is inside a DOCX or an ODT.

Every XML part is parsed with defusedxml, which refuses the DTDs and entities that XML bombs
and external-entity attacks need (documents never use them). Relationship parts, Word field
codes and ODF links are read for anything fetched or run when the file is opened; parts that
are OLE compound files (macro projects, embedded objects from other programs) are refused,
with oletools saying which kind it is.
"""

import re
import warnings
import zipfile

import defusedxml.ElementTree as DefusedET
import olefile
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from evidence.uploads import detection
from evidence.uploads.refusals import UploadRefused, damaged, refuse, type_phrase

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _odf(namespace: str, *names: str) -> set[str]:
    return {f"{{urn:oasis:names:tc:opendocument:xmlns:{namespace}:1.0}}{n}" for n in names}


# ODF elements that run something, or keep a live link to another program.
_ODF_MACROS = (
    _odf("script", "event-listener")
    | _odf("presentation", "event-listener")
    | _odf("drawing", "applet", "plugin")
    | _odf("text", "script")
)
_ODF_DDE = (
    _odf("text", "dde-connection-decl", "dde-connection")
    | _odf("table", "dde-link")
    | _odf("office", "dde-source")
)
# Links a person follows by clicking; every other link is followed by the program itself.
_ODF_CLICKED = _odf("text", "a") | _odf("drawing", "a")
# Word fields that pull in a file named in their instruction.
_WORD_INCLUDES = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT"}
# LibreOffice lists macro libraries in these even when there are none.
_ODF_MACRO_INDEXES = frozenset({"script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml"})
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.spreadsheet": lambda: _(
        "an OpenDocument spreadsheet (ODS)"
    ),
    b"application/vnd.oasis.opendocument.presentation": lambda: _(
        "an OpenDocument presentation (ODP)"
    ),
    b"application/epub+zip": lambda: _("an e-book (EPUB)"),
}


def _refusals():
    # Translators: each completes a refusal that starts with the quoted file name.
    as_pdf = _("Save it as PDF and upload that copy.")
    return {
        "macros": (
            _("%(file)s contains macros or other active content, which we do not accept."),
            _(
                "Save a copy without macros (in Word, choose “Word Document (.docx)”), or "
                "save it as PDF, and upload that."
            ),
        ),
        "external_content": (
            _(
                "%(file)s fetches content from elsewhere when it is opened (such as a "
                "template, picture, frame or document on another computer or the internet), "
                "which can reveal a reader's Windows sign-in to whoever runs that computer."
            ),
            as_pdf,
        ),
        "dde": (
            _("%(file)s contains DDE fields, which can start programs on a reader's computer."),
            as_pdf,
        ),
        "alt_chunk": (
            _(
                "%(file)s has a web page or another document inserted into it whole "
                "(altChunk), which Word converts when the file is opened."
            ),
            as_pdf,
        ),
        "embedded_object": (
            _(
                "%(file)s contains an object embedded from another program (OLE), which can "
                "run code when it is opened."
            ),
            _("Paste it as a picture instead, or save the document as PDF, and upload that."),
        ),
        "xml_dtd": (
            _(
                "%(file)s contains XML declarations (a DTD or entities) that documents never "
                "need and some attacks use to overwhelm a computer."
            ),
            _("Save it again from your word processor and upload that copy."),
        ),
    }


def _refused(code: str, subject: str) -> UploadRefused:
    message, hint = _refusals()[code]
    return refuse(code, message, subject, hint)


def check_parts(
    kind: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], subject: str, name: str
) -> None:
    names = {info.filename for info in infos}
    if kind == "docx":
        _check_docx_package(archive, names, subject, name)
    else:
        _check_odt_package(archive, infos, names, subject, name)
    for info in infos:
        # Every part is read to its end, which checks its CRC: what we store is an archive a
        # word processor can open.
        with archive.open(info) as part:
            head = part.read(len(olefile.MAGIC))
            rest = part.read(512)
            while part.read(1024 * 1024):
                pass
        if head == olefile.MAGIC:
            raise _refused(_ole_kind(archive.read(info), info.filename), subject)
        looks_xml = (head + rest).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        if (looks_xml or info.filename.endswith((".xml", ".rels"))) and (
            finding := _scan_xml(archive, info, kind)
        ):
            raise _refused(finding, subject)


def _ole_kind(data: bytes, filename: str) -> str:
    # 0.25 s to import, so only documents that carry an OLE part pay for it; its pyparsing
    # calls use names pyparsing now warns about.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    try:
        parser = VBA_Parser(filename, data=data)
        try:
            return "macros" if parser.detect_vba_macros() else "embedded_object"
        finally:
            parser.close()
    except Exception:  # olevba cannot read it: it is refused as an object all the same
        return "embedded_object"


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> str | None:
    fields: list[str] = []  # Word field instructions, innermost last
    try:
        with archive.open(info) as part:
            for event, element in DefusedET.iterparse(
                part, events=("start", "end"), forbid_dtd=True
            ):
                if event == "start":
                    finding = (
                        _judge_word(element, fields) if kind == "docx" else _judge_odf(element)
                    )
                    if finding:
                        return finding
                elif element.tag == _W + "instrText":
                    if not fields:  # an instruction with no field begun: judged on its own
                        fields.append("")
                    fields[-1] += element.text or ""
                else:
                    element.clear()
    except DefusedXmlException:
        return "xml_dtd"
    return next((f for f in map(_judge_field, fields) if f), None)


def _judge_word(element, fields: list[str]) -> str | None:
    tag = element.tag
    if tag == _RELATIONSHIP:
        kind = element.get("Type", "").rsplit("/", 1)[-1].lower()
        if kind == "afchunk":
            return "alt_chunk"
        if element.get("TargetMode", "").lower() == "external" and kind != "hyperlink":
            return "external_content"
    elif tag == _W + "altChunk":
        return "alt_chunk"
    elif tag == _W + "fldSimple":
        return _judge_field(element.get(_W + "instr", ""))
    elif tag == _W + "fldChar":
        field_type = element.get(_W + "fldCharType")
        if field_type == "begin":
            fields.append("")
        elif field_type == "end" and fields:
            return _judge_field(fields.pop())
    return None


def _judge_field(instruction: str) -> str | None:
    from oletools.msodde import FIELD_DDE_REGEX

    if FIELD_DDE_REGEX.match(instruction + " "):
        return "dde"
    words = [word.strip('"') for word in instruction.split()]
    if words and words[0].upper() in _WORD_INCLUDES and any(map(_is_remote, words[1:])):
        return "external_content"
    return None


def _is_remote(target: str) -> bool:
    # A scheme longer than a drive letter ("http:", "file:", "smb:") or a network path.
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", target)) or target.startswith(("\\\\", "//"))


def _judge_odf(element) -> str | None:
    if element.tag in _ODF_MACROS:
        return "macros"
    if element.tag in _ODF_DDE:
        return "dde"
    href = element.get(_XLINK_HREF)
    if href is None:
        return None
    if href.lower().startswith(("vnd.sun.star.script:", "macro:")):
        return "macros"
    if element.tag not in _ODF_CLICKED and (
        _is_remote(href) or href.startswith(("/", "\\", "../"))
    ):
        return "external_content"
    return None


def _check_docx_package(archive: zipfile.ZipFile, names: set[str], subject: str, name: str):
    with archive.open("[Content_Types].xml") as part:
        content_types = part.read(1024 * 1024).lower()
    lowered = {entry.lower() for entry in names}
    if (
        b"macroenabled" in content_types
        or b"vbaproject" in content_types
        or any(entry.endswith("vbaproject.bin") for entry in lowered)
        or any(entry.startswith("word/activex/") for entry in lowered)
    ):
        raise _refused("macros", subject)
    if "word/document.xml" in names:
        return
    if "xl/workbook.xml" in names:
        raise detection.wrong_type(subject, name, _("an Excel spreadsheet"))
    if "ppt/presentation.xml" in names:
        raise detection.wrong_type(subject, name, _("a PowerPoint presentation"))
    raise refuse(
        "damaged",
        _(
            "%(file)s looks like a Word document but has no main text (word/document.xml), "
            "so Word could not open it either. Save it again from Word and upload that copy."
        ),
        subject,
    )


def _check_odt_package(archive, infos, names: set[str], subject: str, name: str) -> None:
    with archive.open("mimetype") as part:
        mimetype = part.read(256)
    if mimetype != _ODT_MIMETYPE:
        describe = _ODF_KINDS.get(mimetype)
        what = describe() if describe else _("an OpenDocument file of another kind")
        raise detection.wrong_type(subject, name, what)
    # The format puts "mimetype" first and uncompressed so that it can be recognised
    # from its first bytes; an archive that does not was not written as an ODT.
    if infos[0].header_offset != 0 or infos[0].compress_type != zipfile.ZIP_STORED:
        raise refuse(
            "damaged",
            _(
                "%(file)s looks like an OpenDocument text file but is not put together as "
                "one. Open it in LibreOffice, save it again and upload that copy."
            ),
            subject,
        )
    if "content.xml" not in names:
        raise damaged(subject, type_phrase("odt"))
    for entry in names:
        if entry.startswith("Scripts/") or (
            entry.startswith("Basic/")
            and not entry.endswith("/")
            and entry.rpartition("/")[2] not in _ODF_MACRO_INDEXES
        ):
            raise _refused("macros", subject)
