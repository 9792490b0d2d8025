"""Security headers on representative pages, private downloads that browsers neither
render nor keep, and the sign-in and two-factor rate limits on allauth's pages and
on the admin, which signs in through them.

The sign-in limits are ``ACCOUNT_RATE_LIMITS`` in ``imhcf/settings.py`` (README,
"Sign-in limits"): ``login_failed`` allows 30 failures a minute and 300 an hour from one
address, and 5 in 5 minutes per account and address together (``accounts.adapter``);
``login`` allows 300 sign-in posts in 5 minutes from one address. Two-factor codes count
against ``login_failed`` keyed on the user (``allauth/mfa/base/internal/flows.py``). The
counters live in the cache, which the autouse fixture empties per test.

Over 400 lines on purpose: each header and limit with the request that proves it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence import services as evidence_services
from evidence.models import DocumentJob, EvidenceFile
from register.services import applying, reviewing
from selfassess import services as selfassess_services
from tests.accounts.helpers import current_totp_code
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import PASSWORD, UserFactory
from tests.imhcf.test_production_settings import PRODUCTION_ENV
from tests.register import helpers
from tests.security.conftest import html_of
from tests.security.scenes import logged_in

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
MFA = reverse("mfa_authenticate")
TOO_MANY = "Too many failed attempts to sign in."


# --- Security headers ------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    headers = response.headers
    policy = {
        part.strip().split()[0]: part.strip().split()[1:]
        for part in headers["Content-Security-Policy"].split(";")
        if part.strip()
    }
    script_src = policy.get("script-src", policy["default-src"])
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


# Inline code a strict CSP would block: the page would silently lose it.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


@pytest.fixture
def scene(request, practitioner, reviewer, admin_user, version):
    """A practitioner with an assessment and an item, and an application under review."""
    helpers.make_ready_applicant(practitioner, version)
    item = EvidenceItemFactory(owner=practitioner)
    application = helpers.submit(request.getfixturevalue("other_practitioner"), version)
    reviewing.application_claim(application=application, reviewer=reviewer)
    return {"item": item, "application": application}


PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/framework/"),
    ("anonymous", "/framework/glossary/"),
    ("anonymous", "/register/?q=Smith"),
    ("anonymous", "/register/verify/"),
    ("anonymous", LOGIN),
    ("anonymous", "/accounts/signup/"),
    ("anonymous", "/no-such-page/"),
    ("practitioner", "/assessment/"),
    ("practitioner", "/assessment/domains/1/"),
    ("practitioner", "/assessment/plan/"),
    ("practitioner", "/evidence/"),
    ("practitioner", "/evidence/new/"),
    ("practitioner", "ITEM"),
    ("practitioner", "/evidence/cpd/"),
    ("practitioner", "/register/apply/"),
    ("reviewer", "/review/"),
    ("reviewer", "REVIEW"),
    ("admin", "/admin/"),
    ("admin", "/staff/applications/"),
    ("admin", "/staff/entries/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_pages_carry_the_security_headers_and_no_inline_code(request, scene, who, path):
    people = {
        "anonymous": None,
        "practitioner": request.getfixturevalue("practitioner"),
        "reviewer": request.getfixturevalue("reviewer"),
        "admin": request.getfixturevalue("admin_user"),
    }
    path = {
        "ITEM": reverse("evidence:item_detail", args=[scene["item"].pk]),
        "REVIEW": reverse("register:review_detail", args=[scene["application"].pk]),
    }.get(path, path)
    client = logged_in(people[who]) if people[who] else Client()

    response = client.get(path)

    assert response.status_code == (404 if path == "/no-such-page/" else 200), path
    assert_security_headers(response)
    assert_no_inline_code(html_of(response))


def test_redirects_fragments_and_refusals_carry_the_headers_too(
    practitioner_client, practitioner, version
):
    helpers.make_profile(practitioner)
    rating = selfassess_services.assessment_start(user=practitioner).ratings.first()

    answers = [
        practitioner_client.post(reverse("evidence:cpd_record_request"), {"period": "last12"}),
        practitioner_client.post(
            reverse("selfassess:rating_save", args=[rating.pk]),
            {"value": "achieved", "note": "", "revision": rating.revision},
            HTTP_HX_REQUEST="true",
        ),
        practitioner_client.get(reverse("evidence:cpd_record_request")),  # 405
        Client().get(reverse("evidence:list")),  # to the sign-in page
    ]

    assert [a.status_code for a in answers] == [302, 200, 405, 302]
    for answer in answers:
        assert_security_headers(answer)


# --- Private downloads ---------------------------------------------------------------------------


def assert_private_download(response, filename_part: str) -> None:
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert filename_part in disposition
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_evidence_files_download_as_private_attachments_for_owner_and_reviewer(
    practitioner, reviewer, version
):
    item = helpers.make_ready_applicant(practitioner, version)
    evidence_file = evidence_services.evidence_file_add(
        item=item, uploaded=SimpleUploadedFile("supervision.png", _png(), "image/png")
    )
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=helpers.DECLARED
    )
    reviewing.application_claim(application=application, reviewer=reviewer)
    url = reverse("evidence:file_download", args=[evidence_file.pk])

    for reader in (practitioner, reviewer):
        response = logged_in(reader).get(url)
        assert_private_download(response, "supervision.png")
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_hostile_upload_name_cannot_add_headers_to_the_download(
    practitioner_client, practitioner
):
    item = EvidenceItemFactory(owner=practitioner)
    hostile_name = 'cert"; evil=1\r\nSet-Cookie: x=1 <script>.png'

    upload = practitioner_client.post(
        reverse("evidence:file_upload", args=[item.pk]),
        {"files": SimpleUploadedFile(hostile_name, _png(), "image/png")},
    )
    assert upload.status_code == 302
    evidence_file = EvidenceFile.objects.get(item=item)

    response = practitioner_client.get(reverse("evidence:file_download", args=[evidence_file.pk]))

    assert_private_download(response, ".png")
    assert "Set-Cookie" not in response.headers
    assert "\r" not in response.headers["Content-Disposition"]
    assert "\n" not in response.headers["Content-Disposition"]


def test_a_finished_cpd_record_downloads_as_a_private_attachment(practitioner_client, practitioner):
    EvidenceItemFactory(owner=practitioner)
    job = evidence_services.document_request(
        owner=practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params={"start": "2026-01-01", "end": "2026-06-30"},
    )
    evidence_services.document_render(job_id=job.pk)

    response = practitioner_client.get(reverse("evidence:document_download", args=[job.pk]))

    assert_private_download(response, "cpd-record-2026-01-01-to-2026-06-30.pdf")
    assert response.headers["Content-Type"] == "application/pdf"


# --- Sign-in rate limits: allauth's page and the admin -----------------------------------------


def _log_in(client, email, password, *, next_url="", **extra):
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data, **extra)


def test_the_admin_login_page_hands_over_to_allauths(anon_client):
    response = anon_client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_the_admin_login_form_checks_no_password_at_all(admin_user):
    """Posting credentials to Django's own admin login only redirects to allauth, so it
    cannot be used to guess passwords around allauth's limits, nor to sign in."""
    client = Client()

    answers = [
        client.post("/admin/login/", {"username": admin_user.email, "password": password})
        for password in ["wrong"] * 12 + [PASSWORD]
    ]

    assert {a.status_code for a in answers} == {302}
    assert {a.url.split("?")[0] for a in answers} == {LOGIN}
    assert "_auth_user_id" not in client.session
    # None of those counted as failures: the right password still works on allauth's page.
    assert _log_in(client, admin_user.email, PASSWORD, next_url="/admin/").status_code == 302


def test_failed_admin_sign_ins_lock_the_account_even_for_the_right_password(admin_user):
    client = Client()
    for _ in range(5):
        response = _log_in(client, admin_user.email, "not-the-password", next_url="/admin/")
        assert response.status_code == 200

    locked = _log_in(client, admin_user.email, PASSWORD, next_url="/admin/")

    assert locked.status_code == 200
    assert TOO_MANY in html_of(locked)
    assert_security_headers(locked)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_thirty_failed_sign_ins_from_one_address_lock_that_address_out(db):
    people = [UserFactory(email=f"staff{n}@example.org", is_staff=True) for n in range(31)]
    client = Client()
    for person in people[:30]:
        response = _log_in(client, person.email, "not-the-password", REMOTE_ADDR="198.51.100.7")
        assert TOO_MANY not in html_of(response)

    from_there = _log_in(client, people[30].email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    elsewhere = _log_in(Client(), people[30].email, PASSWORD, REMOTE_ADDR="198.51.100.8")

    assert TOO_MANY in html_of(from_there)
    assert elsewhere.status_code == 302


def test_a_flood_of_admin_sign_in_posts_from_one_address_is_refused(admin_user):
    client = Client()
    answers = [
        _log_in(client, f"x{n}@example.org", "x", next_url="/admin/", REMOTE_ADDR="203.0.113.50")
        for n in range(301)
    ]

    assert {a.status_code for a in answers[:300]} == {200}
    assert answers[-1].status_code == 429
    assert "Too many attempts" in html_of(answers[-1])
    assert_security_headers(answers[-1])


# --- Two-factor code rate limits ----------------------------------------------------------------


def _password_step(user) -> Client:
    client = Client()
    response = _log_in(client, user.email, PASSWORD, next_url="/admin/")
    assert response.status_code == 302 and response.url == MFA
    return client


def _wrong_code(secret: str) -> str:
    """A well-formed code that is not the current one (nor the one either side)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    valid = {format_hotp_value(hotp_value(secret, counter + d)) for d in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_five_wrong_codes_lock_the_second_step_even_for_the_right_code(admin_user):
    client = _password_step(admin_user)
    wrong = _wrong_code(admin_user.totp_secret)
    for _ in range(5):
        response = client.post(MFA, {"code": wrong})
        assert response.status_code == 200
        assert TOO_MANY not in html_of(response)

    locked = client.post(MFA, {"code": current_totp_code(admin_user.totp_secret)})

    assert locked.status_code == 200
    assert TOO_MANY in html_of(locked)
    assert_security_headers(locked)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_code_limit_follows_the_account_not_the_session(admin_user, reviewer):
    first = _password_step(admin_user)
    wrong = _wrong_code(admin_user.totp_secret)
    for _ in range(5):
        first.post(MFA, {"code": wrong})

    # Signing in again with the password does not buy five more guesses...
    again = _password_step(admin_user)
    refused = again.post(MFA, {"code": current_totp_code(admin_user.totp_secret)})
    # ...while another person's second step is untouched.
    other = _password_step(reviewer)
    accepted = other.post(MFA, {"code": current_totp_code(reviewer.totp_secret)})

    assert TOO_MANY in html_of(refused)
    assert "_auth_user_id" not in again.session
    assert accepted.status_code == 302
    assert int(other.session["_auth_user_id"]) == reviewer.pk


def test_a_right_code_before_the_limit_signs_in_and_resets_the_count(admin_user):
    client = _password_step(admin_user)
    wrong = _wrong_code(admin_user.totp_secret)
    for _ in range(4):
        client.post(MFA, {"code": wrong})

    response = client.post(MFA, {"code": current_totp_code(admin_user.totp_secret)})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("code", ["", "\x00", "1" * 1000, "<script>", "\u0660" * 6, "12 34 56"])
def test_malformed_codes_are_a_clear_error_not_a_crash(admin_user, code):
    client = _password_step(admin_user)

    response = client.post(MFA, {"code": code})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "<script>" not in html_of(response)


# --- Production settings -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for name, path, secure in [("login", "/accounts/login/", True), ("http", "/register/", False)]:
    response = client.get(path, secure=secure, HTTP_HOST="register.example.org")
    answers[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {k: dict(v) for k, v in response.cookies.items()},
    }
print(json.dumps(answers))
"""


def test_production_sign_in_page_sets_only_secure_cookies_and_plain_http_moves_to_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            **PRODUCTION_ENV,  # the same production settings as tests/imhcf
            "DJANGO_SETTINGS_MODULE": "imhcf.settings",
            "IMHCF_MANIFEST_STATIC": "false",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    login = answers["login"]
    assert login["status"] == 200
    assert login["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    csrf = login["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    assert answers["http"]["status"] == 301
    assert answers["http"]["headers"]["Location"].startswith("https://register.example.org/")
