"""A practitioner evidences three statements with one certificate, end to end in Chromium.

Signs in, starts a self-assessment, records a workshop from a statement's row
in the grid, uploads its certificate (a real PDF) on the item's page, attaches
the same item to two more statements from the grid, reads the counts there,
then asks for the CPD record, watches the progress page turn to ready by
itself, and downloads the PDF.

The record is made by the real Celery task, run eagerly in this process (the
Redis and worker round trip is tests/evidence/test_worker_roundtrip.py). So
that the progress page has something to wait for, the task is held back after
the request commits and runs when the page first polls for its status, as a
worker picking the job up a moment later would.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
import weasyprint
from django.utils import timezone
from playwright.sync_api import expect

from evidence.models import EvidenceLink
from imhcf.models import Statement
from tests.browser.conftest import first_status_poll_held
from tests.factories import PASSWORD, UserFactory
from tests.register.helpers import make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "priya@example.org"
TITLE = "Attachment workshop certificate"
WHY = "Covered on day two of the workshop"
SHOTS = "/tmp/evjourney-{}.png"
GRID = re.compile(r"/assessment/domains/1/(\?levels=all)?(#s-\d+)?$")
NONE_YET = re.compile(r"^\s*Evidence:\s+none yet\s+·\s+attach evidence\s*$")
ONE_ITEM = re.compile(r"^\s*Evidence:\s+1 item\s+·\s+add more\s*$")


@pytest.fixture
def certificate(tmp_path):
    """A real one-page PDF, as a training provider would send."""
    path = tmp_path / "attachment-workshop-certificate.pdf"
    path.write_bytes(
        weasyprint.HTML(
            string=(
                "<h1>Certificate of attendance</h1>"
                "<p>Priya Practitioner attended the two-day workshop "
                "<em>Attachment and attunement in the first year</em>.</p>"
            )
        ).write_pdf()
    )
    return path


def _statement(version, code: str, level: int) -> Statement:
    return Statement.objects.get(
        competency__domain__version=version, competency__code=code, level=level
    )


def _cell(page, statement):
    return page.locator(f"#s-{statement.pk}")


def _evidence(page, statement):
    """The grid cell's evidence line, as a person reads it."""
    return page.locator(f"#ev-{statement.pk}")


def test_one_certificate_evidences_three_statements_and_reaches_the_cpd_record(
    page, shipped_framework, private_storage, held_jobs, certificate, tmp_path
):
    waiting, run_held = held_jobs
    user = UserFactory(full_name="Priya Practitioner", email=EMAIL)
    make_profile(user)
    first = _statement(shipped_framework, "1.01", 1)
    second = _statement(shipped_framework, "1.02", 2)
    third = _statement(shipped_framework, "1.03", 3)
    untouched = _statement(shipped_framework, "1.01", 2)
    attended = timezone.localdate() - timedelta(days=20)

    # Sign in through the form and start a self-assessment.
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="My assessment").click()
    page.get_by_role("button", name="Start my self-assessment").click()
    page.wait_for_url(GRID)
    expect(_evidence(page, first)).to_have_text(NONE_YET)

    # From the first statement's row: record the workshop, and come back to the grid.
    _cell(page, first).get_by_role("link", name="attach evidence").click()
    expect(page.get_by_role("heading", name="Evidence for 1.01, level 1")).to_be_visible()
    expect(page.get_by_text("You have not recorded any evidence yet.")).to_be_visible()
    new = page.locator("form", has=page.get_by_role("button", name="Save and attach"))
    new.get_by_label("Training or course").check()
    new.get_by_role("textbox", name=re.compile(r"^Title")).fill(TITLE)
    new.get_by_label("Date (or first day)").fill(attended.isoformat())
    new.get_by_role("textbox", name=re.compile(r"^Hours")).fill("6")
    new.get_by_role("textbox", name=re.compile(r"^Provider")).fill(
        "Northshire Infant Mental Health Network"
    )
    new.get_by_role("textbox", name=re.compile(r"^Description")).fill(
        "Two days on attachment and attunement; I will use the video feedback exercise."
    )
    new.get_by_role("button", name="Save and attach").click()
    page.wait_for_url(GRID)
    expect(page.locator(".messages")).to_contain_text(f"Your evidence “{TITLE}” is saved.")
    expect(_evidence(page, first)).to_have_text(ONE_ITEM)

    # On the item's own page, upload the certificate.
    page.get_by_role("link", name="Evidence", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator("#files")).to_contain_text("No files yet")
    page.get_by_label("Add files").set_input_files(certificate)
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/evidence/\d+/#files$"))
    expect(page.locator(".messages")).to_contain_text("1 file added.")
    files = page.locator("#files table.file-table tbody tr")
    expect(files).to_have_count(1)
    expect(files).to_contain_text("PDF")
    # The stored certificate comes back exactly as uploaded, through the private download.
    with page.expect_download() as stored_info:
        files.get_by_role("link", name=certificate.name, exact=True).click()
    stored = tmp_path / "stored-certificate.pdf"
    stored_info.value.save_as(stored)
    assert stored_info.value.suggested_filename == certificate.name
    assert stored.read_bytes() == certificate.read_bytes()
    kept = [f for f in private_storage.rglob("*") if f.is_file()]
    assert [f.read_bytes() for f in kept] == [certificate.read_bytes()]
    assert certificate.name not in str(kept[0])  # stored under a random key
    page.screenshot(path=SHOTS.format("1-item-with-file"), full_page=True)

    # Back in the grid, attach the same item to two more statements.
    page.get_by_role("link", name="My assessment").click()
    page.get_by_role("link", name="Carry on rating").click()
    page.wait_for_url(GRID)
    for statement, heading in (
        (second, "Evidence for 1.02, level 2"),
        (third, "Evidence for 1.03, level 3"),
    ):
        # The grid opens at the practitioner's target level; levels above it are one tap away.
        show_all = page.get_by_role("link", name="Show all three levels")
        if show_all.count():
            show_all.click()
            page.wait_for_url(GRID)
        _cell(page, statement).get_by_role("link", name="attach evidence").click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        existing = page.locator(
            "form", has=page.get_by_role("button", name="Attach chosen evidence")
        )
        existing.get_by_role("checkbox", name=TITLE).check()
        existing.get_by_role("textbox").fill(WHY)
        existing.get_by_role("button", name="Attach chosen evidence").click()
        page.wait_for_url(GRID)
        expect(page.locator(".messages")).to_contain_text("1 item of evidence attached to")
        expect(_evidence(page, statement)).to_have_text(ONE_ITEM)

    # The grid counts the one item under each of the three statements, and none elsewhere.
    page.reload()
    for statement in (first, second, third):
        expect(_evidence(page, statement)).to_have_text(ONE_ITEM)
    expect(_evidence(page, untouched)).to_have_text(NONE_YET)
    page.evaluate("window.scrollTo(0, 0)")
    top = _cell(page, first).bounding_box()["y"] - 60
    bottom = page.locator(f"#ev-{third.pk}").bounding_box()
    page.screenshot(
        path=SHOTS.format("2-grid-counts"),
        full_page=True,
        clip={"x": 0, "y": top, "width": 1280, "height": bottom["y"] + bottom["height"] + 20 - top},
    )
    assert set(
        EvidenceLink.objects.filter(item__owner=user).values_list("statement_id", flat=True)
    ) == {first.pk, second.pk, third.pk}

    # The item page lists all three.
    page.get_by_role("link", name="Evidence", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    linked = page.locator("#statements .linked-statements > li")
    expect(linked).to_have_count(3)
    assert [" ".join(t.split()[:2]) for t in linked.all_inner_texts()] == [
        "1.01 L1",
        "1.02 L2",
        "1.03 L3",
    ]
    assert linked.filter(has_text=WHY).count() == 2

    # The CPD log shows the workshop; ask for the record.
    page.get_by_role("link", name="CPD", exact=True).click()
    expect(page.get_by_role("heading", name="CPD log", level=1)).to_be_visible()
    activities = page.get_by_role("region", name="Activities", exact=True)
    expect(activities.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Download my CPD record").click()
    page.wait_for_url(re.compile(r"/evidence/documents/\d+/$"))
    status = page.locator("#document-status")
    expect(status).to_contain_text("Waiting to start")
    assert len(waiting) == 1  # asked for once, held until the page polls
    page.screenshot(path=SHOTS.format("3-cpd-progress"), full_page=True)

    # The page polls by itself. Its first poll is held while the worker makes the PDF
    # (in this thread, with the server idle), then answered: the page turns to ready.
    page.evaluate("window.__sameDocument = true")
    with first_status_poll_held(page, "the page never polled for its status"):
        expect(status).to_contain_text("Waiting to start")
        assert run_held() == 1
    expect(status).to_contain_text("Your document is ready.", timeout=15_000)
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    assert status.get_attribute("hx-get") is None  # settled, so it stops polling
    page.screenshot(path=SHOTS.format("4-cpd-ready"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    saved = tmp_path / "cpd-record.pdf"
    download.save_as(saved)
    assert download.suggested_filename.endswith(".pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TITLE in " ".join(text.split())
    for code in ("1.01", "1.02", "1.03"):
        assert code in text

    assert page.problems == []
