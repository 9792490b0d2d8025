"""The self-assessment, the development plan and the CPD log printed: no navigation or
buttons, every level of the grid, and only the chosen rating. /tmp/print-*.png to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_grid_phone import signed_in  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path", ["/assessment/", "/assessment/domains/1/", "/assessment/plan/", "/evidence/cpd/"]
)
def test_pages_print_as_documents(signed_in, path):  # noqa: F811
    page = signed_in(1280)
    page.goto(path)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".btn:visible")).to_have_count(0)
    if path == "/assessment/domains/1/":
        expect(page.locator(".beyond-target").first).to_be_visible()
        expect(page.locator(".rating-option:visible")).to_have_count(
            page.locator(".rating-cell").count()
        )
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=f"/tmp/print-{name}.png", full_page=False)
