"""A registered practitioner's data rights, end to end in Chromium.

Signs in, downloads the Open Badges credential from the application page and
checks it on the public checker by uploading the file; asks for all their data
and downloads the ZIP once the progress page says it is ready; then closes the
account, waits out the cooling-off (the daily run is called with a later clock)
and finds the account gone: signed out, and the password no longer works.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from privacy import retention
from privacy.models import DataRequest
from tests.factories import PASSWORD, UserFactory, build_framework
from tests.register.helpers import approve, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "priya@example.org"
SHOTS = "/tmp/rights-{}-{}.png"


def _shoot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name, 1280), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS.format(name, 390), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_in(page, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_download_check_export_and_close_the_account(page, private_storage, held_jobs, tmp_path):
    _waiting, run_held = held_jobs
    user = UserFactory(full_name="Priya Practitioner", email=EMAIL)
    reviewers = [UserFactory(email=f"r{i}@example.org", groups=["Reviewers"]) for i in (1, 2)]
    application = approve(submit(user, build_framework(domains=2)), *reviewers)

    page.goto("/privacy/")
    expect(page.get_by_role("heading", name="Consents we ask for")).to_be_visible()
    _shoot(page, "notice")
    _sign_in(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # The credential, from the application page, checked on the public checker.
    page.goto(f"/register/applications/{application.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download credential (.jwt, signed)").click()
    token_path = tmp_path / "credential.jwt"
    download_info.value.save_as(token_path)
    assert token_path.read_text().count(".") == 2
    _shoot(page, "application")
    page.get_by_role("link", name="Check a credential").click()
    page.get_by_label("Or upload the file").set_input_files(token_path)
    page.get_by_role("button", name="Check the credential").click()
    expect(page.get_by_role("heading", name="Genuine and current")).to_be_visible()
    expect(page.get_by_text(application.register_entry.registration_number)).to_be_visible()
    _shoot(page, "verified")

    # All their data, made in the background.
    page.get_by_role("link", name="Your data").click()
    page.get_by_role("button", name="Download all my data").click()
    expect(page.locator("#document-status")).to_contain_text("Waiting to start")
    assert run_held() == 1
    ready = page.get_by_role("link", name="Download the ZIP file")
    expect(ready).to_be_visible(timeout=15_000)
    with page.expect_download() as zip_info:
        ready.click()
    archive = zipfile.ZipFile(io.BytesIO(open(zip_info.value.path(), "rb").read()))  # noqa: SIM115
    data = json.loads(archive.read("data.json"))
    assert data["person"]["email"] == EMAIL
    assert "index.html" in archive.namelist()
    assert any(s["model"] == "register.RegisterEntry" and s["count"] for s in data["sections"])
    _shoot(page, "export-ready")

    # Close the account: confirm, wait out the cooling-off, and the account is gone.
    page.get_by_role("link", name="Your data").click()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_text("This field is required.", exact=True)).to_be_visible()
    page.get_by_label(re.compile("I understand that my data will be erased")).check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("button", name="Keep my account")).to_be_visible()
    _shoot(page, "closing")
    request = DataRequest.objects.get(kind="erasure")
    assert retention.retention_run(now=request.due_at + timedelta(seconds=1))["accounts_erased"]

    page.goto("/account/my-data/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _sign_in(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The one refusal was meant: closing without ticking the box answers 400 and says why.
    refused = [p for p in page.problems if p.startswith("400 ") and p.endswith("/my-data/close/")]
    assert len(refused) == 1
    assert not [p for p in page.problems if p not in refused and "/accounts/login/" not in p]
