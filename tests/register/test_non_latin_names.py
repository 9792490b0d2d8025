"""Names in any script print in the PDFs, with the fonts bin/setup and the image install.

WeasyPrint falls back, glyph by glyph, from the stylesheet's DejaVu Sans to whatever
fontconfig offers; without the Noto fonts a Chinese name is a row of empty boxes.
"""

import subprocess
import unicodedata
from datetime import date

import pytest
from django.core.files.storage import default_storage

from evidence import services
from evidence.cpd import cpd_params
from evidence.models import DocumentJob
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import build_framework
from tests.register.helpers import approve, submit

CHINESE = "王秀英"
ARABIC = "فاطمة الزهراء"

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def named(practitioner):
    practitioner.full_name = f"{CHINESE} {ARABIC}"
    practitioner.save(update_fields=["full_name"])
    return practitioner


def _render(owner, kind: str, params: dict, tmp_path) -> tuple[str, str]:
    job = DocumentJob.objects.create(owner=owner, kind=kind, params=params)
    services.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error_message
    pdf = tmp_path / f"{kind}.pdf"
    with default_storage.open(job.file.name) as handle:
        pdf.write_bytes(handle.read())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    # pdftotext may give Arabic in its presentation forms; NFKC folds them to letters.
    return fonts.stdout, unicodedata.normalize("NFKC", text.stdout)


def _assert_names_printed(fonts: str, text: str) -> None:
    assert "CJK" in fonts, fonts  # a Noto CJK face is embedded for the Chinese name
    assert CHINESE in text
    # Arabic is stored in visual order in some PDFs; either order shows the letters are there.
    assert ARABIC in text or ARABIC[::-1] in text, text


def test_a_chinese_and_arabic_name_prints_in_the_cpd_record(named, tmp_path):
    EvidenceItemFactory(owner=named, title="Seminar", start_date=date(2026, 3, 2))
    fonts, text = _render(
        named, "cpd_record", cpd_params(date(2026, 1, 1), date(2026, 12, 31)), tmp_path
    )
    _assert_names_printed(fonts, text)


def test_a_chinese_and_arabic_name_prints_on_the_certificate(
    named, reviewer, second_reviewer, tmp_path
):
    application = submit(named, build_framework(domains=7, competencies_per_domain=1))
    entry = approve(application, reviewer, second_reviewer).register_entry
    fonts, text = _render(named, "certificate", {"entry_id": entry.pk}, tmp_path)
    _assert_names_printed(fonts, text)
