"""What a complete PDF looks like from outside: the header, and the end-of-file marker last."""

import subprocess
from pathlib import Path


def assert_complete_pdf(content: bytes) -> None:
    assert content.startswith(b"%PDF-"), f"not a PDF: {content[:20]!r}"
    # A PDF ends with %%EOF, optionally followed by one end-of-line.
    assert content.rstrip(b"\r\n").endswith(b"%%EOF"), f"truncated PDF: ends {content[-40:]!r}"


def pdf_text(content: bytes, workdir: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it."""
    path = workdir / "check.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
