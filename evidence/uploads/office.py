"""What is inside a DOCX or an ODT.

Every XML part is parsed with defusedxml, which refuses the DTDs and entities that XML bombs
and external-entity attacks need (documents never use them). Relationships, Word fields and
ODF links are read for anything fetched or run when the file is opened. Parts that are OLE
compound files (macro projects, objects embedded from other programs) are refused, oletools
saying which; its own DOCX readers are not used, as they parse XML without those guards and
miss fields inside tracked changes.
"""

import re
import warnings
import zipfile

import defusedxml.ElementTree as DefusedET
import olefile
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from evidence.uploads.refusals import UploadRefused, damaged, refuse, type_phrase

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Word fields that pull in a file named in their instruction.
_WORD_INCLUDES = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "IMPORT"}
# LibreOffice lists macro libraries in these even when there are none.
_ODF_MACRO_INDEXES = {"script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml"}


def _odf(namespace: str, *names: str) -> set[str]:
    return {f"{{urn:oasis:names:tc:opendocument:xmlns:{namespace}:1.0}}{n}" for n in names}


# ODF elements that run something or keep a live link to another program, and links that
# someone follows by clicking (every other link the word processor follows by itself).
_ODF_MACROS = _odf("script", "event-listener") | _odf("presentation", "event-listener")
_ODF_MACROS |= _odf("drawing", "applet", "plugin") | _odf("text", "script")
_ODF_DDE = _odf("text", "dde-connection-decl", "dde-connection") | _odf("table", "dde-link")
_ODF_DDE |= _odf("office", "dde-source")
_ODF_CLICKED = _odf("text", "a") | _odf("drawing", "a")


def _refused(code: str, subject: str) -> UploadRefused:
    # Translators: each completes a refusal that starts with the quoted file name.
    as_pdf = _("Save it as PDF and upload that copy.")
    message, hint = {
        "macros": (
            _("%(file)s contains macros or other active content, which we do not accept."),
            _("Save a copy without macros (in Word, “Word Document (.docx)”), or as PDF."),
        ),
        "external_content": (
            _(
                "%(file)s fetches content from another computer or the internet when it is "
                "opened (a template, picture, frame or document), which can reveal a reader's "
                "Windows sign-in."
            ),
            as_pdf,
        ),
        "dde": (_("%(file)s contains DDE fields, which can start programs."), as_pdf),
        "alt_chunk": (_("%(file)s has a web page or document inserted whole (altChunk)."), as_pdf),
        "embedded_object": (
            _("%(file)s contains an object embedded from another program (OLE)."),
            _("Paste it as a picture instead, or save the document as PDF."),
        ),
        "xml_dtd": (
            _("%(file)s contains XML declarations (a DTD or entities) that attacks use."),
            _("Save it again from your word processor and upload that copy."),
        ),
    }[code]
    return refuse(code, message, subject, hint)


def check_parts(kind: str, archive: zipfile.ZipFile, subject: str) -> None:
    infos = archive.infolist()
    if kind == "docx":
        with archive.open("[Content_Types].xml") as part:
            types = part.read(1024 * 1024).lower()
        if b"macroenabled" in types or b"vbaproject" in types:
            raise _refused("macros", subject)
    # The format puts "mimetype" first and uncompressed so that it can be recognised from
    # its first bytes; an archive that does not was not written as an ODT.
    elif infos[0].compress_type != zipfile.ZIP_STORED or "content.xml" not in archive.namelist():
        raise damaged(subject, type_phrase("odt"))
    for entry in {info.filename.lower() for info in infos if not info.is_dir()}:
        if (
            entry.startswith(("word/activex/", "scripts/"))
            or entry.endswith("vbaproject.bin")
            or (entry.startswith("basic/") and entry.rpartition("/")[2] not in _ODF_MACRO_INDEXES)
        ):
            raise _refused("macros", subject)
    for info in infos:
        # Every part is read to its end, which checks its CRC: what we store is an archive a
        # word processor can open.
        with archive.open(info) as part:
            head = part.read(512)
            while part.read(1024 * 1024):
                pass
        if head.startswith(olefile.MAGIC):
            raise _refused(_ole_kind(archive.read(info), info.filename), subject)
        looks_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        if (looks_xml or info.filename.endswith((".xml", ".rels"))) and (
            finding := _scan_xml(archive, info, kind)
        ):
            raise _refused(finding, subject)


def _ole_kind(data: bytes, filename: str) -> str:
    # 0.25 s to import, so only documents that carry an OLE part pay for it; it calls
    # pyparsing by names that now warn.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser
    try:
        parser = VBA_Parser(filename, data=data)
        try:
            return "macros" if parser.detect_vba_macros() else "embedded_object"
        finally:
            parser.close()
    except Exception:  # olevba cannot read it: refused as an object all the same
        return "embedded_object"


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> str | None:
    fields: list[str] = []  # Word field instructions, innermost last
    try:
        with archive.open(info) as part:
            for event, element in DefusedET.iterparse(part, ("start", "end"), forbid_dtd=True):
                if event == "start":
                    judge = _judge_word(element, fields) if kind == "docx" else _judge_odf(element)
                    if judge:
                        return judge
                elif element.tag == _W + "instrText":
                    if not fields:  # an instruction with no field begun: judged on its own
                        fields.append("")
                    fields[-1] += element.text or ""
                else:
                    element.clear()
    except DefusedXmlException:
        return "xml_dtd"
    return next(filter(None, map(_judge_field, fields)), None)


def _judge_word(element, fields: list[str]) -> str | None:
    if element.tag == _RELATIONSHIP:
        kind = element.get("Type", "").rsplit("/", 1)[-1].lower()
        if kind == "afchunk":
            return "alt_chunk"
        if element.get("TargetMode", "").lower() == "external" and kind != "hyperlink":
            return "external_content"
    elif element.tag == _W + "altChunk":
        return "alt_chunk"
    elif element.tag == _W + "fldSimple":
        return _judge_field(element.get(_W + "instr", ""))
    elif element.tag == _W + "fldChar":
        field_type = element.get(_W + "fldCharType")
        if field_type == "begin":
            fields.append("")
        elif field_type == "end" and fields:
            return _judge_field(fields.pop())
    return None


def _judge_field(instruction: str) -> str | None:
    from oletools.msodde import FIELD_DDE_REGEX  # 0.13 s; only documents with fields pay

    if FIELD_DDE_REGEX.match(instruction + " "):
        return "dde"
    words = [word.strip('"') for word in instruction.split()]
    if words and words[0].upper() in _WORD_INCLUDES and any(map(_is_remote, words[1:])):
        return "external_content"
    return None


def _is_remote(target: str) -> bool:
    # A scheme longer than a drive letter ("http:", "file:", "smb:"), or a network path.
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]+:|\\\\|//", target))


def _judge_odf(element) -> str | None:
    href = element.get(_XLINK_HREF) or ""
    if element.tag in _ODF_MACROS or href.lower().startswith(("vnd.sun.star.script:", "macro:")):
        return "macros"
    if element.tag in _ODF_DDE:
        return "dde"
    if element.tag not in _ODF_CLICKED and (_is_remote(href) or href.startswith(("/", "../"))):
        return "external_content"
    return None
