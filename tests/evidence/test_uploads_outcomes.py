"""What becomes of an upload: clean files from common tools are kept and still open; damaged
copies of them are kept only if they still open, otherwise refused with a reason; and nothing
refused is ever stored."""

import io
import subprocess
import zipfile

import defusedxml.ElementTree as DefusedET
import docx
import pikepdf
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pikepdf import String

from evidence.models import EvidenceFile
from evidence.uploads import UploadRefused
from tests.evidence import test_uploads_office as office
from tests.evidence import test_uploads_pdf as pdfs
from tests.evidence.factories import EvidenceItemFactory
from tests.evidence.samples import (
    docx_entries,
    fixture_bytes,
    hand_pdf,
    inspect,
    make_zip,
    object_stream,
    odt_bytes,
    refusal,
)


def tagged_weasyprint_pdf() -> bytes:
    html = "<html lang='en-GB'><h1>Certificate</h1><p>Attended six hours of IMH training.</p>"
    return weasyprint.HTML(string=html).write_pdf(pdf_tags=True)


def python_docx_bytes() -> bytes:
    made = docx.Document()
    made.add_paragraph("Reflective supervision, January to June 2026.")
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


def pdf_info(data: bytes) -> str:
    return subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=60
    ).stdout.decode()


def opens(kind: str, data: bytes) -> None:
    """Open an accepted file as a reader would, failing if it cannot be."""
    if kind == "pdf":
        with pikepdf.open(io.BytesIO(data)) as opened:
            assert len(opened.pages) >= 1
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    elif kind == "docx":
        docx.Document(io.BytesIO(data))
    elif kind == "odt":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            DefusedET.fromstring(archive.read("content.xml"))


# --- Clean files from common tools -----------------------------------------------------------


def test_tagged_pdf_from_weasyprint_is_accepted_and_opens():
    data = tagged_weasyprint_pdf()
    assert "Tagged:          yes" in pdf_info(data)
    assert inspect("certificate.pdf", data).content == data
    opens("pdf", data)


def test_tagged_pdf_from_libreoffice_is_accepted_and_opens():
    data = fixture_bytes("supervision-report.pdf")
    info = pdf_info(data)
    assert "LibreOffice" in info and "Tagged:          yes" in info
    assert inspect("supervision-report.pdf", data).content == data
    opens("pdf", data)


# --- Damaged copies: accepted only if they still open -----------------------------------------

SAMPLES = {
    "WeasyPrint PDF": ("pdf", tagged_weasyprint_pdf),
    "LibreOffice PDF": ("pdf", lambda: fixture_bytes("supervision-report.pdf")),
    "PDF with object streams": ("pdf", lambda: pdfs.built(object_streams=True)),
    "hand-made PDF with an object stream": (
        "pdf",
        lambda: hand_pdf(extra=[object_stream(b"<< /Type /Annot >>")]),
    ),
    "python-docx DOCX": ("docx", python_docx_bytes),
    "LibreOffice DOCX": ("docx", lambda: fixture_bytes("supervision-report-libreoffice.docx")),
    "LibreOffice ODT": ("odt", lambda: fixture_bytes("supervision-report.odt")),
    "minimal ODT": ("odt", odt_bytes),
}
_CACHE: dict[str, bytes] = {}
# Things an attacker would splice in; most edits break the file, some make it hostile.
SPLICES = [
    b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
    b"/AA << /O << /S /URI /URI (https://203.0.113.9/) >> >>",
    b"/S /GoToR /F (\\\\\\\\203.0.113.9\\\\share\\\\x.pdf)",
    b"%%EOF\n",
    b"startxref\n0\n",
    b'<w:fldSimple w:instr="DDEAUTO cmd x"/>',
    b'TargetMode="External"',
    b"<!DOCTYPE x [<!ENTITY a 'a'>]>",
]
CODES = {
    "damaged", "polyglot", "encrypted", "wrong_type", "javascript", "launch", "remote_file",
    "submit_form", "import_data", "auto_uri", "embedded_file", "xfa", "rich_media", "macros",
    "external_content", "dde", "alt_chunk", "embedded_object", "xml_dtd", "zip_bomb",
    "unsafe_paths", "image_too_large",
}  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    label=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=4),
    splice=st.one_of(st.none(), st.tuples(st.integers(min_value=0), st.sampled_from(SPLICES))),
    cut=st.one_of(st.none(), st.integers(min_value=1)),
)
def test_mutated_real_files_are_accepted_and_still_open_or_refused_with_a_reason(
    label, edits, splice, cut
):
    kind, make = SAMPLES[label]
    if label not in _CACHE:
        _CACHE[label] = make()
    data = bytearray(_CACHE[label])
    for position, value in edits:
        data[position % len(data)] = value
    if splice is not None:
        at = splice[0] % len(data)
        data[at:at] = splice[1]
    if cut is not None:
        data = data[: cut % len(data) + 1]
    try:
        clean = inspect(f"upload.{kind}", bytes(data))
    except UploadRefused as refused:
        assert refused.code in CODES
        assert refused.message.startswith("“upload.")
        return
    opens(clean.kind, clean.content)


# --- Nothing refused is stored ---------------------------------------------------------------


def _hostile_uploads():
    js = pdfs.action("JavaScript", JS=String("app.alert(1)"))
    return {
        "JavaScript PDF": ("report.pdf", pdfs.built(pdfs.on_open(js))),
        "GoToR PDF": (
            "report.pdf",
            pdfs.built(pdfs.on_open(pdfs.action("GoToR", F=String(pdfs.UNC)))),
        ),
        "PDF opening a web address": (
            "report.pdf",
            pdfs.built(pdfs.on_open(pdfs.action("URI", URI=String("https://x.example/")))),
        ),
        "PDF with an attachment": (
            "report.pdf",
            pdfs.built(
                lambda pdf: pdf.attachments.__setitem__(
                    "a.exe", pikepdf.AttachedFileSpec(pdf, b"MZ")
                )
            ),
        ),
        "damaged PDF": ("report.pdf", pdfs.built()[:-40]),
        "remote template DOCX": (
            "report.docx",
            make_zip(
                docx_entries(
                    **{
                        "word/_rels/settings.xml.rels": office.relationships(
                            office.relationship("attachedTemplate", office.UNC)
                        )
                    }
                )
            ),
        ),
        "DDE DOCX": (
            "report.docx",
            make_zip(
                docx_entries(
                    **{
                        "word/document.xml": office.document(
                            '<w:p><w:fldSimple w:instr="DDEAUTO cmd x"/></w:p>'
                        )
                    }
                )
            ),
        ),
        "macro ODT": ("reflection.odt", office.odt_with('<draw:applet draw:code="x"/>')),
    }


@pytest.mark.parametrize("label", sorted(_hostile_uploads()))
def test_refused_uploads_are_shown_why_and_never_stored(
    label, practitioner, practitioner_client, private_storage
):
    name, data = _hostile_uploads()[label]
    reason = refusal(name, data).message
    item = EvidenceItemFactory(owner=practitioner)

    response = practitioner_client.post(
        reverse("evidence:file_upload", args=[item.pk]), {"files": SimpleUploadedFile(name, data)}
    )

    assert response.status_code == 400
    assert reason in " ".join(response.context["upload_form"].errors["files"])
    assert not EvidenceFile.objects.exists()
    assert not [path for path in private_storage.rglob("*") if path.is_file()]
