"""Scenes the bad-input tests start from: a practitioner with a profile, an assessment
or an item; an application claimed, decided or on the register. Each takes pytest's
``request`` and returns the people, clients and objects involved, by name."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.test import Client

from imhcf.models import Statement
from register.models import RegisterEntry
from register.services import (
    applying,
    concern_appeals,
    concerns,
    cpd_audits,
    reference_links,
    references,
    reviewing,
)
from selfassess import services as selfassess_services
from tests.evidence.factories import EvidenceItemFactory
from tests.register import helpers


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def practitioner_scene(request) -> dict:
    practitioner = request.getfixturevalue("practitioner")
    version = request.getfixturevalue("version")
    helpers.make_profile(practitioner)
    return {"user": practitioner, "client": logged_in(practitioner), "version": version}


def assessment_scene(request) -> dict:
    ctx = practitioner_scene(request)
    assessment = selfassess_services.assessment_start(user=ctx["user"])
    ctx["rating"] = assessment.ratings.select_related("statement__competency__domain").first()
    return ctx


def item_scene(request) -> dict:
    ctx = practitioner_scene(request)
    ctx["item"] = EvidenceItemFactory(
        owner=ctx["user"],
        title="Attachment in the first year",
        provider="Regional IMH network",
        description="Six sessions on attunement.",
        start_date=date(2026, 3, 14),
        hours=Decimal("6"),
    )
    ctx["statement"] = Statement.objects.filter(competency__domain__version=ctx["version"]).first()
    return ctx


def claimed_scene(request) -> dict:
    """An application both reviewers have claimed; the first reviews through the pages."""
    practitioner = request.getfixturevalue("practitioner")
    reviewer = request.getfixturevalue("reviewer")
    second = request.getfixturevalue("second_reviewer")
    application = helpers.submit(practitioner, request.getfixturevalue("version"))
    for person in (reviewer, second):
        reviewing.application_claim(application=application, reviewer=person)
    application.refresh_from_db()
    return {
        "practitioner": practitioner,
        "reviewer": reviewer,
        "second": second,
        "application": application,
        "client": logged_in(practitioner),
        "reviewer_client": logged_in(reviewer),
        "admin_client": logged_in(request.getfixturevalue("admin_user")),
        "assignment": application.assignments.get(reviewer=reviewer),
        "statement": application.dossier_statements.order_by("pk").first(),
    }


def decided_scene(request, recommendation: str) -> dict:
    ctx = claimed_scene(request)
    for person in (ctx["reviewer"], ctx["second"]):
        helpers.recommend(ctx["application"], person, recommendation)
    ctx["application"].refresh_from_db()
    return ctx


def entry_scene(request) -> dict:
    ctx = decided_scene(request, "approve")
    ctx["entry"] = RegisterEntry.objects.get(application=ctx["application"])
    return ctx


def profile_data(**overrides) -> dict:
    return {
        "role": "health_visitor",
        "role_other": "",
        "service_setting": "universal",
        "sector": "public",
        "organisation": "Riverside Health Visiting",
        "nation": "england",
        "region": "london",
        "target_level": "1",
        **overrides,
    }


def item_data(item, **overrides) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "start_date": item.start_date.isoformat(),
        "end_date": "",
        "hours": str(item.hours),
        "provider": item.provider,
        "description": item.description,
        **overrides,
    }


REFEREES = [
    ("line_manager", "Mo Manager", "Team manager", "mo@example.org", "My line manager"),
    ("supervisor", "Sue Supervisor", "Supervisor", "sue@example.org", "Monthly supervision"),
]


def references_scene(request) -> dict:
    """An application waiting for two referees; the first has opened their emailed link."""
    request.getfixturevalue("settings").IMHCF_REFEREE_KINDS = [kind for kind, *_ in REFEREES]
    practitioner = request.getfixturevalue("practitioner")
    helpers.make_ready_applicant(practitioner, request.getfixturevalue("version"))
    application = applying.application_submit(
        applicant=practitioner,
        level=1,
        declarations=helpers.DECLARED,
        referees=[references.Referee(*referee) for referee in REFEREES],
    )
    reference = application.references.order_by("pk").first()
    referee_client = Client()
    url = reference_links.link_mint(reference.pk)
    referee_client.get(url.removeprefix(settings.IMHCF_PUBLIC_BASE_URL))
    return {
        "practitioner": practitioner,
        "application": application,
        "reference": reference,
        "link": reference.links.get(),
        "client": logged_in(practitioner),
        "referee_client": referee_client,
        "admin_client": logged_in(request.getfixturevalue("admin_user")),
    }


def declined_reference_scene(request) -> dict:
    ctx = references_scene(request)
    references.reference_decline(link=ctx["link"], reason="Too busy this term.")
    ctx["reference"].refresh_from_db()
    return ctx


def concern_form_scene(request) -> dict:
    """A registrant on the register, and a member of the public at the concern form."""
    ctx = entry_scene(request)
    # Each test sends the form a few times; the rate limit has its own test.
    request.getfixturevalue("settings").IMHCF_CONCERN_RATE = "1000/h"
    ctx["public_client"] = Client()
    return ctx


def investigating_concern_scene(request) -> dict:
    """A concern being handled by the admin, the registrant invited to respond."""
    ctx = entry_scene(request)
    admin = request.getfixturevalue("admin_user")
    ctx["concern"] = helpers.concern_taken_forward(ctx["entry"], admin)
    return ctx


def received_concern_scene(request) -> dict:
    """A concern just raised, waiting for triage."""
    ctx = entry_scene(request)
    ctx["concern"] = helpers.raise_concern(ctx["entry"])
    return ctx


def decided_concern_scene(request) -> dict:
    """Conditions decided on a concern; the registrant may appeal."""
    ctx = investigating_concern_scene(request)
    ctx["concern"] = concerns.concern_decide(
        concern=ctx["concern"],
        handler=request.getfixturevalue("admin_user"),
        outcome="conditions",
        reasons="Supervision needed.",
        public_text="Monthly supervision.",
    )
    return ctx


def appealed_concern_scene(request) -> dict:
    """The registrant appealed the conditions; an administrator who took no part hears it."""
    from tests.conftest import enable_totp
    from tests.factories import UserFactory

    ctx = decided_concern_scene(request)
    ctx["concern"] = concern_appeals.concern_appeal(
        concern=ctx["concern"],
        registrant=ctx["practitioner"],
        statement="The supervision I already have covers this; please look again.",
    )
    hearer = UserFactory(full_name="Hal Hearer", is_staff=True)
    enable_totp(hearer)
    ctx["hearer_client"] = logged_in(hearer)
    return ctx


def cpd_audit_scene(request) -> dict:
    """The registrant's second renewal, chosen for a CPD audit; their log has activities."""
    from django.utils import timezone

    from register.models import Renewal

    ctx = entry_scene(request)
    entry = ctx["entry"]
    EvidenceItemFactory(
        owner=ctx["practitioner"],
        start_date=timezone.localdate(),
        hours=Decimal("15"),
        title="Course",
    )
    renewal = helpers.renewal_made(entry, status=Renewal.Status.AUDIT, cpd_hours="15")
    ctx["audit"] = helpers.audit_drawn(renewal, draw=7)
    return ctx


def claimed_cpd_audit_scene(request) -> dict:
    """The audit's record sent, and taken by a reviewer who decides it."""
    ctx = cpd_audit_scene(request)
    ctx["audit"] = cpd_audits.cpd_audit_submit(
        audit=ctx["audit"], practitioner=ctx["practitioner"], statement="All there."
    )
    ctx["audit"] = cpd_audits.cpd_audit_claim(audit=ctx["audit"], reviewer=ctx["reviewer"])
    return ctx
