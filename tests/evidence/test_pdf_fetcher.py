"""WeasyPrint may fetch our static files and data: URLs, and nothing else."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from evidence.cpd import cpd_record_context
from evidence.pdf import BASE_URL, StaticOnlyFetcher, render_pdf
from tests.evidence.factories import EvidenceItemFactory

HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    ' <iframe src="https://example.org/"></iframe> <script>alert(1)</script>'
)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/static/css/pdf.css",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/imhcf/settings.py",
        f"{BASE_URL}media/anything",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_serves_our_stylesheet_and_data_urls():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch(f"{BASE_URL}static/css/pdf.css").read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_practitioner_text_with_references_reaches_the_pdf_as_text(practitioner, tmp_path):
    EvidenceItemFactory(
        owner=practitioner,
        title=f"Workshop {HOSTILE}",
        description=f"Reflection {HOSTILE}",
        start_date=timezone.localdate(),
    )
    today = timezone.localdate()
    pdf = render_pdf(
        "pdf/cpd_record.html", cpd_record_context(practitioner, today - timedelta(days=1), today)
    )
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "file:///etc/passwd" in text  # shown as text...
    assert "root:" not in text  # ...never fetched
    assert "<script>alert(1)</script>" in text
