"""The employers' API (issue 14, part 4): public fields only, ETags, rate limits, and its
OpenAPI description, against which schemathesis generates requests and checks every answer."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings

from register.api import OPENAPI
from register.models import RegisterEntry
from tests.register.public_factories import make_entry

E = RegisterEntry.Status


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _get(client, number, **headers):
    return client.get(reverse("register:api_entry", args=[number]), headers=headers)


def test_a_registered_entry_gives_its_public_fields_only(client, db):
    entry = make_entry(name="Ama Mensah", restriction="")
    response = _get(client, entry.registration_number)
    assert response.status_code == 200
    assert response.json() == {
        "registration_number": entry.registration_number,
        "status": "registered",
        "registered": True,
        "name": "Ama Mensah",
        "level": entry.level,
        "restrictions": None,
        "valid_until": entry.valid_until.isoformat(),
    }
    assert response["Cache-Control"] == "no-cache"


def test_conditions_and_suspension_are_shown_with_their_wording(client, db):
    conditions = make_entry(name="Cara Conditions", restriction="Monthly supervision.")
    suspended = make_entry(name="Sid Suspended", status=E.SUSPENDED, restriction="Suspended.")
    first = _get(client, conditions.registration_number).json()
    second = _get(client, suspended.registration_number).json()
    assert (first["status"], first["restrictions"]) == (
        "registered_with_conditions",
        "Monthly supervision.",
    )
    assert (second["status"], second["restrictions"]) == ("suspended", "Suspended.")


@pytest.mark.parametrize("status", [E.LAPSED, E.REMOVED])
def test_someone_not_registered_is_never_named(client, db, status):
    entry = make_entry(name="Nina Notnow", status=status)
    body = _get(client, entry.registration_number).json()
    assert body["status"] == "not_registered"
    assert body["name"] is None and body["valid_until"] is None
    assert "Nina" not in str(body)


def test_in_the_grace_period_the_answer_is_expired(client, db):
    entry = make_entry(valid_until=timezone.localdate() - timedelta(days=2))
    assert _get(client, entry.registration_number).json()["status"] == "expired"


def test_unknown_and_malformed_numbers_answer_404_in_json(client, db):
    assert _get(client, "IMH-999999-9").status_code == 404
    response = _get(client, "not-a-number")
    assert response.status_code == 404
    assert response.json() == {"detail": "No register entry has this number."}


def test_an_unchanged_answer_is_304_and_a_change_gives_a_new_etag(client, db):
    entry = make_entry()
    first = _get(client, entry.registration_number)
    etag = first["ETag"]
    again = _get(client, entry.registration_number, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    RegisterEntry.objects.filter(pk=entry.pk).update(status=E.SUSPENDED, restriction="Now.")
    changed = _get(client, entry.registration_number, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_checks_are_rate_limited_per_address(client, db, settings):
    settings.IMHCF_API_RATE = "3/m"
    entry = make_entry()
    answers = [_get(client, entry.registration_number).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert "Too many requests" in _get(client, entry.registration_number).json()["detail"]


def test_the_openapi_description_is_served(client, db):
    response = client.get(reverse("register:api_openapi"))
    assert response.status_code == 200
    assert response.json() == OPENAPI


# --- Schemathesis: requests generated from the description, every answer checked against it ---

schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture
def app(db, settings):
    settings.IMHCF_API_RATE = "100000/m"
    for status in (E.ACTIVE, E.SUSPENDED, E.LAPSED):
        make_entry(status=status, restriction="Supervised practice." if status != E.ACTIVE else "")
    # As Django's own test client does: the WSGI handler would otherwise close the
    # test's database connection at the end of each request, mid-transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# The WSGI test client sends no client address, which the rate limit needs (as gunicorn gives).
ADDRESS = {"environ_overrides": {"REMOTE_ADDR": "192.0.2.10"}}


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_description(case, app):
    response = case.call(app=app, **ADDRESS)
    case.validate_response(response)


def test_schemathesis_meets_real_entries(app, client):
    """The generated numbers rarely exist; the real ones are checked against the schema too."""
    for entry in RegisterEntry.objects.all():
        case = schema["/api/v1/register/{number}"]["GET"].Case(
            path_parameters={"number": entry.registration_number}
        )
        response = case.call(app=app, **ADDRESS)
        assert response.status_code == 200, response.text[:3000]
        case.validate_response(response)


# --- The bulk check ----------------------------------------------------------------------------


def make_employer(user, *, verified: bool = True, role: str = "team_lead"):
    """``user`` leads a team in an organisation (verified by staff unless said otherwise)."""
    from workforce.models import Membership, Organisation

    organisation = Organisation.objects.create(
        name="Riverside NHS Trust", kind="nhs", nation="england", region="london", verified=verified
    )
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )
    return organisation


def test_a_signed_in_employer_checks_a_csv_of_numbers_and_formulas_come_back_as_text(
    client, db, practitioner
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    registered = make_entry(name="Ama Mensah")
    lapsed = make_entry(name="Nina Notnow", status=E.LAPSED)
    make_employer(practitioner)
    client.force_login(practitioner)
    upload = SimpleUploadedFile(
        "numbers.csv",
        (
            "registration number\n"
            f"{registered.registration_number}\n"
            f"{lapsed.registration_number.lower()}\n"
            '=HYPERLINK("http://evil.example")\n'
        ).encode(),
        content_type="text/csv",
    )
    response = client.post(reverse("register:bulk_check"), {"numbers": upload})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("number_given,registration_number,status,name")
    assert lines[1].startswith(f"{registered.registration_number},") and "Ama Mensah" in lines[1]
    assert ",not_registered," in lines[2] and "Nina" not in lines[2]
    assert lines[3].startswith("\"'=HYPERLINK(") and ",unknown," in lines[3]


def test_the_bulk_check_needs_a_sign_in(client, db):
    response = client.get(reverse("register:bulk_check"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("verified", "role", "merged", "allowed"),
    [
        (True, "team_lead", False, True),
        (True, "organisation_admin", False, True),
        (True, "member", False, False),
        (False, "team_lead", False, False),
        (True, "team_lead", True, False),
    ],
)
def test_the_bulk_check_is_for_leads_of_a_verified_organisation(
    client, db, practitioner, verified, role, merged, allowed
):
    from workforce.models import Organisation

    organisation = make_employer(practitioner, verified=verified, role=role)
    if merged:
        organisation.merged_into = Organisation.objects.create(
            name="Riverside and Hillside NHS Trust",
            kind="nhs",
            nation="england",
            region="london",
            verified=True,
        )
        organisation.save()
    client.force_login(practitioner)
    response = client.get(reverse("register:bulk_check"))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "for employers" in response.content.decode()
        # Nor can they post a file past the page.
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("n.csv", b"IMH-100001-7\n", content_type="text/csv")
        assert client.post(reverse("register:bulk_check"), {"numbers": upload}).status_code == 403


def test_staff_may_use_the_bulk_check(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("register:bulk_check")).status_code == 200
