"""Shared set-up for the bad-input tests: private files in a temporary folder, an empty
cache, a small published framework, and the hostile strings the tests type."""

import subprocess
from datetime import date

import pytest
from django.core.cache import cache
from django.utils.html import escape

from tests.factories import build_framework

# Each payload carries a marker no page contains of its own accord, so "the raw
# payload is absent" cannot pass or fail by coincidence.
SCRIPT = '<script>alert("imhcf-xss")</script>'
IMAGE = "<img src=x onerror=alert('imhcf-img')>"
ATTRIBUTE = '" autofocus onfocus="alert(\'imhcf-attr\')" data-x="'
MARKUP_PAYLOADS = (SCRIPT, IMAGE, ATTRIBUTE)

NON_LATIN = "Ψυχική υγεία βρεφών · 婴儿心理健康 · صحة الرضع النفسية · 👶🏽 Łódź"
# Right-to-left override, a bell, an escape sequence, vertical tab and form feed:
# PostgreSQL takes all of these (only NUL is refused), so they are stored as typed.
CONTROLS = "bell\x07 escape\x1b[31m rtl\u202eoverride vt\x0b ff\x0c end"
NUL = "before\x00after"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters, used TOTP codes and glossary marking all live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def version(db):
    """Two domains of three competencies: six statements at each level."""
    return build_framework(domains=2, competencies_per_domain=3)


def html_of(response) -> str:
    return response.content.decode()


def assert_shown_escaped(html: str, text: str) -> None:
    """``text`` is on the page as text: escaped, and never as live markup."""
    for payload in MARKUP_PAYLOADS:
        if payload in text:
            assert payload not in html, f"unescaped {payload!r} in the page"
    assert escape(text) in html, f"{text[:80]!r} is not shown on the page"


def assert_no_live_markup(html: str) -> None:
    for payload in MARKUP_PAYLOADS:
        assert payload not in html, f"unescaped {payload!r} in the page"


def pdf_text(content: bytes, tmp_path) -> str:
    """What a reader copying from the PDF gets, by poppler's pdftotext."""
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def cpd_record_text(owner, tmp_path) -> str:
    """``owner``'s CPD record for January to June 2026, made by the document service, as
    ``pdf_text`` reads it."""
    from evidence import services as evidence_services
    from evidence.cpd import cpd_params
    from evidence.models import DocumentJob

    job = DocumentJob.objects.create(
        owner=owner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params=cpd_params(date(2026, 1, 1), date(2026, 6, 30)),
    )
    assert evidence_services.document_render(job_id=job.pk) is True
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return pdf_text(handle.read(), tmp_path)


@pytest.fixture(autouse=True)
def _private_files(private_storage):
    """Every security test writes files under tmp_path, never var/."""
