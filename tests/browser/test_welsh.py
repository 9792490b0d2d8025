"""The service in Welsh, in a browser and on paper.

- axe-core finds nothing on the pages of ``test_accessibility`` read in Welsh, each page
  says ``lang="cy"``, and none scrolls sideways at 320 CSS pixels (Welsh runs longer).
- The CPD record and the certificate of someone who reads Welsh come out in Welsh
  (``pdftotext``), the certificate in Welsh and then English on one page.
- Screenshots at 390 and 1280 pixels are kept under ``test-artifacts/welsh/`` to be
  looked at.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from evidence.cpd import cpd_params
from evidence.models import DocumentJob
from evidence.services.documents import document_render
from tests.browser import test_accessibility as a11y
from tests.browser.conftest import new_context, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

quiet_queues = a11y.quiet_queues
world = a11y.world

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "welsh"

# The steps of the "done when": signing up, self-assessing, evidence, the CPD
# record, applying and being reviewed, and the public checking the register.
JOURNEY = [
    "home",
    "signup",
    "login",
    "dashboard",
    "framework",
    "framework-domain",
    "glossary",
    "profile",
    "assessment-overview",
    "grid",
    "plan",
    "evidence-list",
    "evidence-new",
    "evidence-item",
    "attach",
    "cpd",
    "apply",
    "application",
    "review-queue",
    "register-search",
    "register-entry",
    "verify",
    "staff-entry",
    "404",
    "mfa-index",
]


@pytest.fixture
def welsh_page(browser, live_server):
    """A page whose browser asks for Welsh and has chosen it (the language cookie)."""
    context = new_context(browser, live_server, bypass_csp=True, reduced_motion="reduce")
    context.set_extra_http_headers({"Accept-Language": "cy"})
    context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": live_server.url}]
    )
    yield open_page(context, failed_responses=False)
    context.close()


def _welsh_states(name, states, page):
    """The case's states, each checked to be in Welsh.

    The cases of ``test_accessibility`` drive pages by their English labels (a button
    named "Create account", say); in Welsh that label is not there, so a case ends at
    the first such step, after the states before it have been scanned in Welsh.
    """
    seen = 0
    while True:
        try:
            state = next(states)
        except StopIteration:
            return
        except PlaywrightTimeout:
            if seen:
                return
            raise
        assert page.evaluate("document.documentElement.lang") == "cy", f"{name}, {state}"
        seen += 1
        yield state


@pytest.mark.parametrize("name", JOURNEY)
def test_welsh_page_has_no_wcag_violations_and_reflows_at_320px(name, world, welsh_page):
    a11y.scan_states(
        name, _welsh_states(name, a11y.CASES[name](world, welsh_page), welsh_page), welsh_page
    )


def _pdf_text(job: DocumentJob) -> str:
    assert document_render(job_id=job.pk)
    job.refresh_from_db()
    with default_storage.open(job.file.name) as stored:
        pdf = stored.read()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{job.kind}.pdf").write_bytes(pdf)  # to be looked at
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_cpd_record_and_certificate_in_welsh(world):
    user = world.person("Gwen Gymraeg", "gwen@example.org")
    application = world.decided(user, "approve", "approve")
    user.language = "cy"
    user.save(update_fields=["language"])
    today = timezone.localdate()

    # Rendered by the worker, with no request: the owner's language is what counts.
    record = _pdf_text(
        DocumentJob.objects.create(
            owner=user,
            kind=DocumentJob.Kind.CPD_RECORD,
            params=cpd_params(today - timedelta(days=365), today),
        )
    )
    certificate = _pdf_text(
        DocumentJob.objects.create(
            owner=user,
            kind=DocumentJob.Kind.CERTIFICATE,
            params={"entry_id": application.register_entry.pk},
        )
    )

    with translation.override("cy"):
        heading = translation.gettext("Certificate of recognition")
        number = translation.gettext("Registration number")
    assert heading != "Certificate of recognition"
    # Welsh first, then English, on one page.
    assert certificate.index(heading) < certificate.index("Certificate of recognition")
    assert number in certificate and "Gwen Gymraeg" in certificate
    assert certificate.count("\f") <= 1, "the bilingual certificate runs onto a second page"
    # The CPD record is in Welsh, framework wording included.
    domain_cy = world.version.domains.get(number=1).name_cy
    assert domain_cy and " ".join(domain_cy.split()[:2]) in " ".join(record.split())
    with translation.override("cy"):
        title = translation.gettext("Continuing professional development record")
    assert title in record
    assert "Continuing professional development record" not in record


@pytest.mark.parametrize("width", [390, 1280])
def test_welsh_screenshots(world, welsh_page, width):
    """Pages of the journey in Welsh, kept as PNGs for reading by eye."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    welsh_page.set_viewport_size({"width": width, "height": 900})
    for name in ("home", "grid", "register-entry", "signup"):
        for state in a11y.CASES[name](world, welsh_page):
            welsh_page.screenshot(
                path=str(ARTIFACTS / f"{name}-{state.replace(' ', '-')}-{width}.png"),
                full_page=True,
            )
            break
        assert welsh_page.evaluate("document.documentElement.lang") == "cy"
