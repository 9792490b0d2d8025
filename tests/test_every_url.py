"""Every URL the project defines, asked for by every role.

The URL resolver is walked, so a new page cannot slip past: a URL name that
``ACCESS`` does not know fails ``test_every_url_has_an_access_expectation``
until someone writes down who may see it. Each (URL, role) pair is its own
test, read as "GET evidence:item_detail as other_practitioner".

The roles: anonymous; the practitioner who owns the objects in the URL; another
practitioner asking for the same URL (the practitioner's object); a reviewer
assigned to the practitioner's application and one who is not; an admin; and
four people of the workforce app: the admin of the practitioner's organisation,
the lead of the practitioner's team (the practitioner shares with them), a
commissioner for England, and the lead of a team in another organisation.
Rows written before those four existed give six answers; the four then answer
as the other practitioner does (each has a profile and an assessment of their
own, and none of the practitioner's objects).
Objects of others answer 404, never 403 or 200, and so do ids that name
nothing, however large. State changes refuse GET (405), no GET writes to the
database whatever it answers, and a POST-only URL answers an empty POST
without crashing.

One world of objects is built once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint inside it, so a POST that
changes something is undone before the next test.

Over 400 lines on purpose: the access table of every URL and role is one table, on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import REVIEWERS_GROUP
from evidence.models import DocumentJob
from imhcf.models import Statement, WorkerHeartbeat
from privacy import services as privacy_services
from register.models import Application, CpdAudit, Reference, Renewal
from register.services import applying, reference_links, reviewing
from register.services.references import Referee
from selfassess import services as selfassess_services
from selfassess.models import Assessment
from tests.conftest import enable_totp
from tests.factories import UserFactory, build_framework
from tests.register.helpers import (
    DECLARED,
    approve,
    attach_file,
    audit_drawn,
    concern_taken_forward,
    make_profile,
    make_ready_applicant,
    recommend,
    renewal_made,
)
from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from tests.workforce.helpers import join
from training import services as training_services
from workforce import services as workforce_services
from workforce.models import Membership, Organisation, Team

# --- Which URLs ------------------------------------------------------------------------------

# URLs under these prefixes are not ours to check here; everything else the
# resolver knows must have a row in ACCESS. The second item, when given, says
# whose views the exclusion covers: a view of our own put under accounts/ is
# still checked.
EXCLUDED_PREFIXES: dict[str, str | None] = {
    # The Django admin (the "admin:" namespace): its access is Django's own
    # (is_staff and model permissions); its sign-in through allauth and its MFA
    # gate are tested in tests/accounts/ and tests/imhcf/test_admin.py.
    "admin/": None,
    # allauth's own sign-in, sign-up, password, email and MFA pages, tested in tests/accounts/.
    "accounts/": "allauth.",
    # Unnamed timing endpoints that exist only when IMHCF_BENCH_ENDPOINTS is on,
    # never in production; bench/ is their only user.
    "bench/": None,
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    """(name, route, view) for every pattern below ``resolver``; unnamed ones go by route."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, route, inner)
        else:
            yield (f"{namespace}{entry.name}" if entry.name else route), route, entry.callback


def _excluded(route: str, view) -> bool:
    return any(
        route.startswith(prefix) and (owner is None or view.__module__.startswith(owner))
        for prefix, owner in EXCLUDED_PREFIXES.items()
    )


def project_urls() -> dict[str, str]:
    """Every URL name the project itself defines, with its route."""
    return {
        name: "/" + route
        for name, route, view in _walk(get_resolver())
        if not _excluded(route, view)
    }


# --- What each role should get -----------------------------------------------------------------

BASE_ROLES = (
    "anonymous",
    "practitioner",
    "other_practitioner",
    "assigned_reviewer",
    "unassigned_reviewer",
    "admin",
)
# Four people of the workforce app (see the module docstring); rows written before they
# existed give six answers, and these four then get what the other practitioner gets.
WORKFORCE_ROLES = ("organisation_admin", "team_lead", "commissioner", "other_lead")
# Staff of the training provider whose course the URL names, and of another provider.
# Both are practitioners too; unless a row says otherwise they get what the other
# practitioner gets, since the practitioner's objects are none of their business.
PROVIDER_ROLES = ("provider_staff", "other_provider")
# Someone with no account who opened a referee's emailed link: their session holds it.
ROLES = (*BASE_ROLES, *WORKFORCE_ROLES, *PROVIDER_ROLES, "referee")


class _Login:
    def __repr__(self) -> str:
        return "a redirect to sign in"


# A redirect to the sign-in page that comes back here afterwards.
LOGIN = _Login()


class _Answered:
    def __repr__(self) -> str:
        return "an answer (200, 302 or 400) with a body or a redirect"


# For POSTs with an empty body: the form's errors, a refusal message or a redirect; not a crash.
OK = _Answered()


@dataclass(frozen=True)
class To:
    """A documented redirect to the named URL (the query string is not compared).

    ``refs`` name the URL's kwargs as attributes of the world, like ``Access.refs``.
    """

    name: str
    refs: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        return f"a redirect to {self.name}"


def to(name: str, **refs: str) -> To:
    return To(name, tuple(refs.items()))


# A practitioner without a profile (reviewers and admins here) is asked for one first.
PROFILE = to("selfassess:profile")


@dataclass(frozen=True)
class Access:
    """One URL's expected answers, one per role in ROLES order.

    ``get`` is what a GET answers. ``post`` is given for POST-only URLs (every
    signed-in GET is 405): what a POST with an empty body answers. ``refs``
    map the URL's kwargs to attributes of the world; ``query`` is appended,
    formatted with the world.
    """

    get: tuple
    refs: tuple[tuple[str, str], ...] = ()
    post: tuple | None = None
    query: str = ""


def _with_defaults(answers: tuple, providers) -> tuple:
    base, workforce = len(BASE_ROLES), len(BASE_ROLES) + len(WORKFORCE_ROLES)
    assert len(answers) in (base, workforce), "one answer per role"
    if len(answers) == base:
        answers = (*answers, *(answers[2],) * len(WORKFORCE_ROLES))
    return (*answers, *(providers or (answers[2],) * len(PROVIDER_ROLES)))


def url(
    get,
    *,
    post=None,
    query: str = "",
    providers=None,
    providers_post=None,
    referee=None,
    referee_post=None,
    **refs: str,
) -> Access:
    """``get`` and ``post`` answer for BASE_ROLES, or for BASE_ROLES and WORKFORCE_ROLES
    (the workforce rows); ``providers`` and ``providers_post`` for PROVIDER_ROLES. Roles a
    row leaves out get the other practitioner's answer; the referee, who has no account,
    gets the anonymous answer unless ``referee`` or ``referee_post`` says otherwise."""
    get = (*_with_defaults(tuple(get), providers), get[0] if referee is None else referee)
    if post is not None:
        post = (
            *_with_defaults(tuple(post), providers_post),
            post[0] if referee_post is None else referee_post,
        )
    return Access(get=tuple(get), refs=tuple(refs.items()), post=post, query=query)


def staff_action(**refs: str) -> Access:
    """An admin's action under /staff/: POST only, and for admins alone."""
    return url(POST_ONLY_LOGIN_FIRST, post=POST_STAFF_ONLY, **refs)


PUBLIC = (200,) * 6
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
# The practitioner's own object: theirs alone.
OWN = (LOGIN, 200, 404, 404, 404, 404)
# POST-only views decorated @login_required outside @require_POST: sign in first.
POST_ONLY_LOGIN_FIRST = (LOGIN, 405, 405, 405, 405, 405)
# POST-only views decorated @require_POST outside @login_required: the method first.
POST_ONLY = (405,) * 6
# A POST on the practitioner's own object: others are told it does not exist.
POST_OWN = (LOGIN, OK, 404, 404, 404, 404)
# A POST anyone signed in may make, about their own record.
POST_SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
# A page of the practitioner's own self-assessment: reviewers and admins have no
# profile, so they are sent to make one before anything is looked up.
OWN_SELFASSESS = (LOGIN, 200, 404, PROFILE, PROFILE, PROFILE)
SELFASSESS_PAGE = (LOGIN, 200, 200, PROFILE, PROFILE, PROFILE)
# Admin pages under /staff/, and what an admin alone may POST there.
STAFF_ONLY = (LOGIN, 404, 404, 404, 404, 200)
POST_STAFF_ONLY = (LOGIN, 404, 404, 404, 404, OK)
# Workforce rows name all ten roles.
SIGNED_IN_ALL = (LOGIN, *(200,) * 9)
OWN_ALL = (LOGIN, 200, *(404,) * 8)
POST_ONLY_LOGIN_FIRST_ALL = (LOGIN, *(405,) * 9)
POST_SIGNED_IN_ALL = (LOGIN, *(OK,) * 9)
# The practitioner's team: its lead and their organisation's admin; never staff as such.
LEADS = (LOGIN, 404, 404, 404, 404, 404, 200, 200, 404, 404)
POST_LEADS = (LOGIN, 404, 404, 404, 404, 404, OK, OK, 404, 404)
ORGANISATION_ADMIN = (LOGIN, 404, 404, 404, 404, 404, 200, 404, 404, 404)
POST_ORGANISATION_ADMIN = (LOGIN, 404, 404, 404, 404, 404, OK, 404, 404, 404)
# Commissioners in their area and staff; nobody else while the summary is not public.
INSIGHT = (404, 404, 404, 404, 404, 200, 404, 404, 200, 404)

# Training provider pages: the course's provider's staff only, with MFA; everyone else 404.
NOT_PROVIDER = (LOGIN, 404, 404, 404, 404, 404)
OWN_PROVIDER = (200, 404)
POST_OWN_PROVIDER = (OK, 404)


# Each row's answers are in BASE_ROLES order:
#   (anonymous, practitioner, other_practitioner, assigned_reviewer, unassigned_reviewer, admin)
# and, where given, providers=(provider_staff, other_provider).
def provider_post(pk: str) -> Access:
    """A provider's action on its own ``pk``: POST only, refused to everyone else."""
    return url(POST_ONLY, post=NOT_PROVIDER, providers_post=POST_OWN_PROVIDER, pk=pk)


# fmt: off
ACCESS: dict[str, Access] = {
    # --- Public framework pages --------------------------------------------------------------
    "home": url(PUBLIC),
    # The language switcher: anyone may choose a language (cookie, and account if signed in).
    "set_language": url(POST_ONLY, post=(OK,) * 6, referee_post=OK),
    "healthz": url(PUBLIC),
    "framework": url(PUBLIC),
    "framework_domain": url(PUBLIC, number="domain_number"),
    "framework_glossary": url(PUBLIC),
    "framework_download_json": url(PUBLIC),
    "framework_download_csv": url(PUBLIC),

    # --- The dashboard every role lands on --------------------------------------------------
    "dashboard:home": url(SIGNED_IN),

    # --- Self-assessment ---------------------------------------------------------------------
    "selfassess:profile": url(SIGNED_IN),
    "selfassess:overview": url(SELFASSESS_PAGE),
    "selfassess:start": url(POST_ONLY_LOGIN_FIRST, post=POST_SIGNED_IN),
    "selfassess:move": url(POST_ONLY_LOGIN_FIRST, post=POST_SIGNED_IN),
    "selfassess:complete": url(SELFASSESS_PAGE),
    # Each practitioner's grid shows their own assessment: the domain number is public.
    "selfassess:grid": url(SELFASSESS_PAGE, number="domain_number"),
    "selfassess:rating_save": url(POST_ONLY_LOGIN_FIRST, post=POST_OWN, pk="rating"),
    "selfassess:history": url(SELFASSESS_PAGE),
    # The practitioner's two snapshots; someone with none of their own is told 404.
    "selfassess:compare": url(
        OWN_SELFASSESS, query="earlier={first_snapshot}&later={second_snapshot}"
    ),
    "selfassess:snapshot": url(OWN_SELFASSESS, pk="first_snapshot"),
    "selfassess:plan": url(SELFASSESS_PAGE),
    "selfassess:goal_create": url(SELFASSESS_PAGE),
    "selfassess:goal_edit": url(OWN_SELFASSESS, pk="goal"),
    "selfassess:goal_progress": url(POST_ONLY_LOGIN_FIRST, post=POST_OWN, pk="goal"),
    "selfassess:goal_delete": url(POST_ONLY_LOGIN_FIRST, post=POST_OWN, pk="goal"),

    # --- Evidence and CPD ----------------------------------------------------------------------
    "evidence:list": url(SIGNED_IN),
    "evidence:item_create": url(SIGNED_IN),
    "evidence:item_detail": url(OWN, pk="item"),
    "evidence:item_edit": url(OWN, pk="item"),
    "evidence:item_delete": url(OWN, pk="item"),
    "evidence:item_statements": url(OWN, pk="item"),
    "evidence:file_upload": url(POST_ONLY, post=POST_OWN, pk="item"),
    # The file is in the dossier of the application the assigned reviewer has claimed.
    "evidence:file_download": url((LOGIN, 200, 404, 200, 404, 404), pk="evidence_file"),
    "evidence:file_delete": url(OWN, pk="evidence_file"),
    # A published statement is public; the page lists only the asker's own evidence.
    "evidence:attach": url(SIGNED_IN, statement_id="statement"),
    "evidence:cpd": url(SIGNED_IN),
    "evidence:cpd_record_request": url(POST_ONLY, post=POST_SIGNED_IN),
    "evidence:document_detail": url(OWN, pk="document"),
    "evidence:document_status": url(OWN, pk="document"),
    "evidence:document_retry": url(POST_ONLY, post=POST_OWN, pk="document"),
    "evidence:document_download": url(OWN, pk="document"),

    # --- Applying for the register -------------------------------------------------------------
    "register:apply": url(SIGNED_IN),
    # The practitioner has an application open, so goes to it; nobody else is ready to apply.
    "register:apply_check": url(
        (
            LOGIN,
            to("register:application_detail", pk="application"),
            to("register:apply"),
            to("register:apply"),
            to("register:apply"),
            to("register:apply"),
        ),
        level="level",
    ),
    "register:apply_submit": url(POST_ONLY, post=POST_SIGNED_IN, level="level"),
    "register:my_applications": url(SIGNED_IN),
    "register:application_detail": url(OWN, pk="application"),
    "register:application_withdraw": url(OWN, pk="application"),
    # Only an application with changes requested can be resubmitted; this one is in review.
    "register:application_resubmit": url(
        (LOGIN, to("register:application_detail", pk="application"), 404, 404, 404, 404),
        pk="application",
    ),
    "register:application_appeal": url(OWN, pk="rejected_application"),
    "register:certificate_request": url(POST_ONLY, post=POST_OWN, pk="entry"),
    # A declined referee on the application in review: too late to replace, so back to it.
    "register:reference_replace": url(
        (LOGIN, to("register:application_detail", pk="application"), 404, 404, 404, 404),
        pk="application",
        reference_pk="reference",
    ),

    # --- Referees (no account: the emailed link is the key) -------------------------------------
    # Whoever holds the link is the referee: it is swapped for a session mark at once.
    "register:referee_link": url((to("register:referee_respond"),) * 6, token="referee_token"),
    "register:referee_respond": url((404,) * 6, referee=200),
    "register:referee_decline": url(POST_ONLY, post=(404,) * 6, referee_post=OK),
    "register:referee_done": url(PUBLIC),

    # --- Employers' checks: read-only JSON for anyone --------------------------------------------
    "register:api_openapi": url(PUBLIC),
    "register:api_entry": url(PUBLIC, number="registration_number"),
    # Employers: leads of a verified organisation (the practitioner's is, and so are both
    # training providers, whose staff are its admins; the other lead's is not), and staff.
    # Anyone else signed in is told who it is for.
    "register:bulk_check": url(
        (LOGIN, 403, 403, 403, 403, 200, 200, 200, 403, 403), providers=(200, 200)
    ),

    # --- Concerns -----------------------------------------------------------------------------
    "register:concern_start": url(PUBLIC),
    "register:concern_received": url(PUBLIC),
    # The concern about the practitioner, who has been invited to respond.
    "register:my_concern": url(OWN, pk="concern"),
    "register:my_concern_respond": url(POST_ONLY_LOGIN_FIRST, post=POST_OWN, pk="concern"),
    "register:staff_concerns": url(STAFF_ONLY),
    "register:staff_concern": url(STAFF_ONLY, pk="concern"),
    "register:staff_concern_action": staff_action(pk="concern", action="concern_action"),
    "register:renew": url(OWN, pk="entry"),
    # A renewal of the practitioner's chosen for a CPD audit, with their record sent.
    "register:cpd_audit": url(OWN, pk="cpd_audit"),

    # --- Reviewing ------------------------------------------------------------------------------
    # Admins are not reviewers: they see applications under /staff/.
    "register:review_queue": url((LOGIN, 404, 404, 200, 200, 404)),
    "register:review_detail": url((LOGIN, 404, 404, 200, 404, 404), pk="application"),
    # The assigned reviewer is told they have it already; the other may claim it.
    "register:review_claim": url(
        POST_ONLY_LOGIN_FIRST, post=(LOGIN, 404, 404, OK, OK, 404), pk="application"
    ),
    "register:review_statement_save": url(
        POST_ONLY_LOGIN_FIRST,
        post=(LOGIN, 404, 404, OK, 404, 404),
        pk="application",
        statement_pk="dossier_statement",
    ),
    "register:review_domain_met": url(
        POST_ONLY_LOGIN_FIRST,
        post=(LOGIN, 404, 404, OK, 404, 404),
        pk="application",
        number="domain_number",
    ),
    "register:review_recommend": url(
        POST_ONLY_LOGIN_FIRST, post=(LOGIN, 404, 404, OK, 404, 404), pk="application"
    ),
    "register:review_release": url(
        POST_ONLY_LOGIN_FIRST, post=(LOGIN, 404, 404, OK, 404, 404), pk="application"
    ),
    # Any reviewer (or admin) may judge a renewal, except their own.
    "register:renewal_review": url((LOGIN, 404, 404, 200, 200, 200), pk="renewal"),
    # The same for a CPD audit; only the reviewer who took it gets its record's PDF
    # (nobody has taken the world's), and deciding needs the form filled in.
    "register:cpd_audit_review": url((LOGIN, 404, 404, 200, 200, 200), pk="cpd_audit"),
    "register:cpd_audit_claim": url(
        POST_ONLY_LOGIN_FIRST, post=(LOGIN, 404, 404, OK, OK, OK), pk="cpd_audit"
    ),
    "register:cpd_audit_decide": url(
        POST_ONLY_LOGIN_FIRST, post=(LOGIN, 404, 404, OK, OK, OK), pk="cpd_audit"
    ),
    "register:cpd_audit_record_pdf": url((LOGIN, 404, 404, 404, 404, 404), pk="cpd_audit"),
    # How reviewers and admins hear of new work; practitioners have no such choice.
    "register:notification_settings": url((LOGIN, 404, 404, 200, 200, 200)),

    # --- Admins ---------------------------------------------------------------------------------
    "register:staff_applications_csv": url(STAFF_ONLY),
    "register:staff_entries_csv": url(STAFF_ONLY),
    "register:staff_audit_csv": url(STAFF_ONLY),
    "register:register_health": url(STAFF_ONLY),
    "register:register_health_csv": url(STAFF_ONLY),
    "register:staff_applications": url(STAFF_ONLY),
    "register:staff_application": url(STAFF_ONLY, pk="application"),
    "register:staff_moderate": staff_action(pk="application"),
    "register:staff_appeal_decide": staff_action(pk="rejected_application"),
    "register:staff_reference_waive": staff_action(pk="application", reference_pk="reference"),
    "register:staff_entries": url(STAFF_ONLY),
    "register:staff_entry": url(STAFF_ONLY, pk="entry"),
    "register:staff_entry_action": staff_action(pk="entry", action="entry_action"),

    # --- Open Badges credentials ----------------------------------------------------------------
    "credentials:jwks": url(PUBLIC),
    "credentials:issuer": url(PUBLIC),
    "credentials:status_list": url(PUBLIC),
    "credentials:achievement": url(PUBLIC, version="version", level="level"),
    "credentials:verify": url(PUBLIC),
    # The first download issues the credential, so it is a POST.
    "credentials:download_jwt": url(POST_ONLY, post=POST_OWN, pk="entry"),
    "credentials:download_json": url(POST_ONLY, post=POST_OWN, pk="entry"),

    # --- Privacy and data rights ----------------------------------------------------------------
    "privacy:notice": url(PUBLIC),
    "privacy:my_data": url(SIGNED_IN),
    "privacy:export_create": url(POST_ONLY, post=POST_SIGNED_IN),
    # About the asker's own account; an empty POST is refused with the form's error.
    "privacy:erasure_create": url(POST_ONLY, post=POST_SIGNED_IN),
    "privacy:erasure_cancel": url(POST_ONLY, post=POST_SIGNED_IN),
    "privacy:staff_requests": url(STAFF_ONLY),
    # The world's request is the practitioner's own, not made yet: the admin is told so.
    "privacy:staff_export_download": url(
        POST_ONLY, post=POST_STAFF_ONLY, pk="data_request"
    ),

    # --- The public register --------------------------------------------------------------------
    "register:search": url(PUBLIC),
    "register:verify_lookup": url(PUBLIC),
    "register:verify": url(PUBLIC, number="registration_number"),
    "register:entry": url(PUBLIC, number="registration_number"),

    # --- Workforce: a member's own pages ----------------------------------------------------------
    # (anonymous, practitioner, other_practitioner, assigned_reviewer, unassigned_reviewer,
    #  admin, organisation_admin, team_lead, commissioner, other_lead)
    "workforce:mine": url(SIGNED_IN_ALL),
    "workforce:organisation_create": url(SIGNED_IN_ALL),
    # Anyone signed in may ask to join; the practitioner is told they are a member already.
    "workforce:join_request": url(
        POST_ONLY_LOGIN_FIRST_ALL, post=POST_SIGNED_IN_ALL, pk="organisation"
    ),
    # A genuine link: anyone signed in who has it sees the invitation.
    "workforce:invite_accept": url(SIGNED_IN_ALL, token="invite_token"),
    "workforce:sharing": url(OWN_ALL, pk="membership"),
    "workforce:leave": url(OWN_ALL, pk="membership"),
    "workforce:statistics": url(POST_ONLY_LOGIN_FIRST_ALL, post=POST_SIGNED_IN_ALL),
    "workforce:seen": url(SIGNED_IN_ALL),

    # --- Workforce: team leads and organisation admins (MFA) ------------------------------------
    "workforce:team_list": url(SIGNED_IN_ALL),
    "workforce:team_detail": url(LEADS, pk="team"),
    "workforce:team_export": url(LEADS, pk="team", fmt="export_format"),
    "workforce:member_detail": url(LEADS, pk="team", membership_pk="membership"),
    "workforce:team_invites": url(LEADS, pk="team"),
    "workforce:requirements": url(ORGANISATION_ADMIN, pk="team"),
    "workforce:organisation_admin": url(ORGANISATION_ADMIN, pk="organisation"),
    "workforce:requirement_delete": url(
        POST_ONLY_LOGIN_FIRST_ALL, post=POST_ORGANISATION_ADMIN, pk="requirement"
    ),
    "workforce:membership_update": url(
        POST_ONLY_LOGIN_FIRST_ALL, post=POST_ORGANISATION_ADMIN, pk="membership"
    ),
    "workforce:invite_revoke": url(POST_ONLY_LOGIN_FIRST_ALL, post=POST_LEADS, pk="invite"),
    # The request is to the lead's team, as a member: the lead may decide it too.
    "workforce:request_decide": url(POST_ONLY_LOGIN_FIRST_ALL, post=POST_LEADS, pk="join_request"),

    # --- Workforce: area insight (the public summary setting is off) -----------------------------
    "workforce:insight": url(INSIGHT),
    "workforce:insight_download": url(INSIGHT, fmt="download_format"),

    # --- Courses: the public catalogue and a practitioner's courses -------------------------
    "training:catalogue": url(PUBLIC),
    "training:course": url(PUBLIC, pk="course"),
    "training:my_courses": url(SIGNED_IN),
    "training:redeem": url(POST_ONLY_LOGIN_FIRST, post=POST_SIGNED_IN),
    # The practitioner's attendance, confirmed by the provider.
    "training:attendance_evidence": url(OWN, pk="attendance"),
    "training:attendance_consent": url(POST_ONLY_LOGIN_FIRST, post=POST_OWN, pk="attendance"),
    "training:attendance_feedback": url(OWN, pk="attendance"),

    # --- Training provider staff ----------------------------------------------------------------
    "training:provider_home": url(NOT_PROVIDER, providers=(200, 200)),
    "training:course_create": url(NOT_PROVIDER, providers=OWN_PROVIDER, provider_pk="provider"),
    "training:provider_course": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="course"),
    "training:course_edit": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="course"),
    "training:course_mappings": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="course"),
    "training:session_create": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="course"),
    "training:course_effectiveness": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="course"),
    "training:course_export": url(
        NOT_PROVIDER, providers=OWN_PROVIDER, pk="course", what="export_what", fmt="export_fmt"
    ),
    "training:session_edit": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="session"),
    "training:session_attendance": url(NOT_PROVIDER, providers=OWN_PROVIDER, pk="session"),
    "training:course_publish": provider_post("course"),
    "training:course_unpublish": provider_post("course"),
    "training:mapping_confirm": provider_post("mapping"),
    "training:session_codes": provider_post("session"),
    "training:session_codes_withdraw": provider_post("session"),
    "training:session_delete": provider_post("session"),
    "training:attendance_remove": provider_post("attendance"),

    # --- Framework staff review course mappings --------------------------------------------
    "training:staff_queue": url(STAFF_ONLY),
    "training:staff_review": url(STAFF_ONLY, pk="course"),
}
# fmt: on


# --- The world -------------------------------------------------------------------------------


def _reviewer(name: str, email: str, *, totp: bool = True):
    user = UserFactory(full_name=name, email=email, groups=[REVIEWERS_GROUP])
    if totp:
        enable_totp(user)
    return user


def build_world() -> SimpleNamespace:
    """The practitioner's objects in every state a URL needs, and the people who ask."""
    version = build_framework(domains=7, competencies_per_domain=1)
    practitioner = UserFactory(full_name="Priya Practitioner", email="priya@example.org")
    other = UserFactory(full_name="Owen Other", email="owen@example.org")
    assigned = _reviewer("Rosa Reviewer", "rosa@example.org")
    unassigned = _reviewer("Rhys Reviewer", "rhys@example.org")
    # They decide the practitioner's earlier applications and never make a request.
    deciders = [
        _reviewer("Dana Decider", "dana@example.org", totp=False),
        _reviewer("Dev Decider", "dev@example.org", totp=False),
    ]
    admin = UserFactory(
        full_name="Ada Admin", email="ada@example.org", is_staff=True, is_superuser=True
    )
    enable_totp(admin)

    # Evidence with a file, and every level 1 statement rated Achieved.
    item = make_ready_applicant(practitioner, version, level=1)
    evidence_file = attach_file(item)

    # Two snapshots in the history, then the assessment in progress carried from them.
    in_progress = Assessment.objects.get(user=practitioner, status=Assessment.Status.IN_PROGRESS)
    first = selfassess_services.assessment_complete(assessment=in_progress, target_level=1)
    in_progress = Assessment.objects.get(user=practitioner, status=Assessment.Status.IN_PROGRESS)
    second = selfassess_services.assessment_complete(assessment=in_progress, target_level=1)
    in_progress = Assessment.objects.get(user=practitioner, status=Assessment.Status.IN_PROGRESS)
    statement = Statement.objects.filter(competency__domain__version=version).first()
    goal = selfassess_services.goal_create(
        user=practitioner,
        description="Read about marked mirroring",
        activity="reading",
        due_date=timezone.localdate() + timedelta(days=90),
        statements=[statement],
    )

    # Recognised once (an active entry with a renewal waiting for a reviewer),
    # rejected once (still open to appeal), and now applying again, in review.
    approved = approve(
        applying.application_submit(applicant=practitioner, level=1, declarations=DECLARED),
        *deciders,
    )
    entry = approved.register_entry
    renewal = renewal_made(
        entry,
        status=Renewal.Status.NEEDS_JUDGEMENT,
        cpd_hours="4",
        equality_hours=Decimal("0"),
        explanation="I was on leave for most of the year.",
    )
    # An earlier renewal of the same entry, chosen for a CPD audit; the record is sent.
    audited = renewal_made(entry, status=Renewal.Status.AUDIT, days_ago=365)
    cpd_audit = audit_drawn(
        audited,
        status=CpdAudit.Status.SUBMITTED,
        draw=12,
        requested_at=timezone.now() - timedelta(days=360),
        due_on=timezone.localdate() - timedelta(days=330),
        submitted_at=timezone.now() - timedelta(days=340),
    )
    rejected = applying.application_submit(applicant=practitioner, level=1, declarations=DECLARED)
    for decider in deciders:
        reviewing.application_claim(application=rejected, reviewer=decider)
    for decider in deciders:
        recommend(rejected, decider, "reject")
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=DECLARED
    )
    reviewing.application_claim(application=application, reviewer=assigned)
    application.refresh_from_db()
    rejected.refresh_from_db()
    assert (application.status, rejected.status) == (
        Application.Status.IN_REVIEW,
        Application.Status.REJECTED,
    )

    document = DocumentJob.objects.create(
        owner=practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params={"start": "2025-04-01", "end": "2026-03-31"},
        status=DocumentJob.Status.DONE,
        finished_at=timezone.now(),
    )
    document.file.save("cpd.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    cpd_audit.record_document = document
    cpd_audit.save(update_fields=["record_document"])

    data_request = privacy_services.export_request(subject=practitioner, requested_by=practitioner)

    # The other practitioner has a profile and an assessment of their own, so
    # what they get for the practitioner's objects is about ownership, not set-up.
    make_profile(other, organisation="Hillside Family Centre")
    selfassess_services.assessment_start(user=other)

    # A referee who declined on the practitioner's application (so it is theirs to see),
    # and a trainee's application waiting for two referees, one of whom holds a live link.
    declined = Reference.objects.create(
        application=application,
        kind=Reference.Kind.LINE_MANAGER,
        name="Lee Manager",
        role="Team lead",
        email="lee@example.org",
        relationship="Line manager",
        status=Reference.Status.DECLINED,
        requested_at=timezone.now(),
    )
    trainee = UserFactory(full_name="Tara Trainee", email="tara@example.org")
    make_ready_applicant(trainee, version, level=1, organisation="Brookside Nursery")
    with override_settings(IMHCF_REFEREE_KINDS=["line_manager", "supervisor"]):
        awaiting = applying.application_submit(
            applicant=trainee,
            level=1,
            declarations=DECLARED,
            referees=[
                Referee("line_manager", "Mo Manager", "Manager", "mo@example.org", "Manages"),
                Referee("supervisor", "Sue Supervisor", "Supervisor", "sue@example.org", "Monthly"),
            ],
        )
    referee_url = reference_links.link_mint(awaiting.references.first().pk)

    # A concern about the practitioner's entry, with a case handler, and the practitioner told.
    concern = concern_taken_forward(entry, admin)

    workforce = _workforce_world(practitioner, first)

    # A training provider with a reviewed course the practitioner attended, and
    # another provider. Their staff are practitioners with assessments of their own.
    provider = make_provider("Northern IMH Training")
    provider_staff = make_staff(provider, "tutor@northern.example.org")
    other_provider = make_staff(
        make_provider("Southern IMH Training"), "tutor@southern.example.org"
    )
    for person in (provider_staff, other_provider):
        make_profile(person, organisation="A training provider")
        selfassess_services.assessment_start(user=person)
    course = make_course(provider, provider_staff, statements_of(version, 6), reviewed=True)
    session = course.sessions.get()
    training_services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    attendance = session.attendances.get()

    return SimpleNamespace(
        users={
            "practitioner": practitioner,
            "other_practitioner": other,
            "assigned_reviewer": assigned,
            "unassigned_reviewer": unassigned,
            "admin": admin,
            **workforce.pop("users"),
            "provider_staff": provider_staff,
            "other_provider": other_provider,
        },
        provider=provider.pk,
        course=course.pk,
        session=session.pk,
        mapping=course.mappings.first().pk,
        attendance=attendance.pk,
        export_what="attendance",
        export_fmt="csv",
        domain_number=1,
        level=1,
        version=version.pk,
        rating=in_progress.ratings.first().pk,
        first_snapshot=first.pk,
        second_snapshot=second.pk,
        goal=goal.pk,
        item=item.pk,
        evidence_file=evidence_file.pk,
        statement=statement.pk,
        document=document.pk,
        application=application.pk,
        rejected_application=rejected.pk,
        dossier_statement=application.dossier_statements.filter(round=application.round).first().pk,
        entry=entry.pk,
        entry_action="suspend",
        registration_number=entry.registration_number,
        renewal=renewal.pk,
        cpd_audit=cpd_audit.pk,
        reference=declined.pk,
        concern=concern.pk,
        concern_action="triage",
        referee_token=referee_url.rstrip("/").rsplit("/", 1)[1],
        data_request=data_request.pk,
        **workforce,
    )


def _workforce_world(practitioner, snapshot) -> dict:
    """The practitioner's organisation and team, sharing with its lead; and the four roles."""
    # Verified by staff, so its leads are employers for the bulk check; the other is not.
    org = Organisation.objects.create(
        name="Riverside NHS Trust", kind="nhs", nation="england", region="london", verified=True
    )
    team = Team.objects.create(organisation=org, name="Health visiting east")
    other_org = Organisation.objects.create(
        name="Hillside Council", kind="local_authority", nation="england", region="london"
    )
    other_team = Team.objects.create(organisation=other_org, name="Family hub")
    users = {}
    for role, name, email, organisation, member_team, team_role in (
        (
            "organisation_admin",
            "Oona Orgadmin",
            "oona@example.org",
            org,
            None,
            Membership.Role.ORGANISATION_ADMIN,
        ),
        ("team_lead", "Theo Teamlead", "theo@example.org", org, team, Membership.Role.TEAM_LEAD),
        ("commissioner", "Cleo Commissioner", "cleo@example.org", None, None, None),
        (
            "other_lead",
            "Lars Otherlead",
            "lars@example.org",
            other_org,
            other_team,
            Membership.Role.TEAM_LEAD,
        ),
    ):
        user = UserFactory(full_name=name, email=email)
        enable_totp(user)
        make_profile(user, organisation="Somewhere")
        selfassess_services.assessment_start(user=user)
        if organisation is not None:
            join(user, organisation, member_team, role=team_role)
        users[role] = user
    workforce_services.commissioner_grant(user=users["commissioner"], nation="england")

    membership = Membership.objects.create(
        user=practitioner,
        organisation=org,
        team=team,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )
    workforce_services.sharing_set(membership=membership, assessment=True, cpd=True)
    workforce_services.summary_refresh(user_id=practitioner.pk)
    requester = UserFactory(full_name="Rita Requester", email="rita@example.org")
    join_request = workforce_services.join_request(user=requester, organisation=org, team=team)
    invite = workforce_services.invite_create(
        organisation=org, team=team, role="member", created_by=users["team_lead"]
    )
    requirement = workforce_services.requirement_set(
        team=team, job_role="", team_role="", domains=[1], level=2
    )[0]
    assert snapshot.user_id == practitioner.pk
    return {
        "users": users,
        "organisation": org.pk,
        "team": team.pk,
        "membership": membership.pk,
        "join_request": join_request.pk,
        "invite": invite.pk,
        "invite_token": workforce_services.invite_token(invite),
        "requirement": requirement.pk,
        "export_format": "csv",
        "download_format": "csv",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once; rolled back after the module's last test, so nothing leaks to others."""
    storage = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("every-url-private"))},
        },
    }
    # Glossary marking is cached per framework version, and version ids are reused.
    cache.clear()
    # A worker is running, and stays "recent" however long the module takes: /healthz is 200.
    # The practitioner's applications predate referees; the trainee's asks for them.
    with (
        override_settings(
            STORAGES=storage, IMHCF_WORKER_STALE_SECONDS=24 * 3600, IMHCF_REFEREE_KINDS=[]
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        try:
            WorkerHeartbeat.objects.create(hostname="celery@every-url", last_seen=timezone.now())
            yield build_world()
        finally:
            # Each test's own atomic block is a savepoint inside this one.
            transaction.set_rollback(True)
    cache.clear()


def _url_for(world, name: str, access: Access) -> str:
    path = reverse(name, kwargs={kwarg: getattr(world, ref) for kwarg, ref in access.refs})
    if access.query:
        path += "?" + access.query.format(**vars(world))
    return path


def _client(world, role: str) -> Client:
    client = Client()
    if role == "referee":
        # Opening the emailed link is what makes someone the referee.
        opened = client.get(reverse("register:referee_link", args=[world.referee_token]))
        assert opened.status_code == 302, "the world's referee link should work"
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


# Sessions are written whenever a page pops a message, and a look at someone's shared
# data is recorded for them to see (the one audit a GET must write); nothing else is
# state a GET may change.
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ALLOWED_WRITES = ("django_session", "workforce_dataview")


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if WRITE.match(q["sql"]) and not any(table in q["sql"] for table in ALLOWED_WRITES)
    ]


def _check(response, expected, world, path: str) -> None:
    status = response.status_code
    location = response.headers.get("Location", "")
    said = f"{response.request['REQUEST_METHOD']} {path} answered {status}" + (
        f" to {location}" if location else ""
    )
    if expected is LOGIN:
        target = urlsplit(location)
        assert status == 302, f"expected {expected!r}, but {said}"
        assert target.path == resolve_url(settings.LOGIN_URL), f"expected {expected!r}, but {said}"
        assert parse_qs(target.query).get("next") == [path], f"expected {expected!r}, but {said}"
    elif expected is OK:
        assert status in (200, 302, 400), f"expected {expected!r}, but {said}"
        assert response.content or location, f"expected {expected!r}, but {said}, empty"
    elif isinstance(expected, To):
        target = reverse(expected.name, kwargs={k: getattr(world, ref) for k, ref in expected.refs})
        assert status == 302, f"expected {expected!r}, but {said}"
        assert urlsplit(location).path == target, f"expected {expected!r}, but {said}"
    else:
        assert status == expected, f"expected {expected}, but {said}"


# --- The tests ---------------------------------------------------------------------------------

URLS = project_urls()


def _get_cases() -> list:
    cases = []
    for name in URLS:
        if name not in ACCESS:
            cases.append(pytest.param(name, None, id=f"GET {name} has no expectation"))
            continue
        cases += [pytest.param(name, role, id=f"GET {name} as {role}") for role in ROLES]
    return cases


def _post_cases() -> list:
    return [
        pytest.param(name, role, id=f"POST {name} as {role}")
        for name, access in ACCESS.items()
        if access.post is not None and name in URLS
        for role in ROLES
    ]


def test_every_url_has_an_access_expectation():
    missing = sorted(set(URLS) - set(ACCESS))
    assert not missing, "\n".join(
        f"add an access expectation for {name} ({URLS[name]}) to ACCESS in {__name__}"
        for name in missing
    )


def test_every_expectation_names_a_url_that_exists():
    stale = sorted(set(ACCESS) - set(URLS))
    assert not stale, f"ACCESS has entries for URLs that no longer exist: {', '.join(stale)}"


def test_post_answers_are_given_exactly_for_post_only_urls():
    """A URL whose every signed-in GET is 405 changes state: say what a POST answers."""
    for name, access in ACCESS.items():
        # The signed-in roles: not the anonymous visitor, nor the referee, who has no account.
        signed_in = access.get[1 : ROLES.index("referee")]
        post_only = all(answer == 405 for answer in signed_in)
        assert post_only == (access.post is not None), name


@pytest.mark.parametrize(("name", "role"), _get_cases())
def test_get(world, db, name, role):
    if role is None:
        pytest.fail(f"add an access expectation for {name} ({URLS[name]}) to ACCESS")
    access = ACCESS[name]
    path = _url_for(world, name, access)
    client = _client(world, role)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    _check(response, access.get[ROLES.index(role)], world, path)
    assert not _writes(queries.captured_queries), f"GET {path} changed the database"


@pytest.mark.parametrize(("name", "role"), _post_cases())
def test_post_with_an_empty_body(world, db, name, role):
    access = ACCESS[name]
    path = _url_for(world, name, access)

    response = _client(world, role).post(path)

    _check(response, access.post[ROLES.index(role)], world, path)


# An id nobody has yet, and one past the largest a BigAutoField holds.
ABSENT_IDS = (10**6, 2**63)


# The world's URL kwargs that are not numbers; every other one is an id or a number.
TEXT_REFS = {
    "registration_number",
    "entry_action",
    "invite_token",
    "export_format",
    "download_format",
    "export_what",
    "export_fmt",
    "referee_token",
    "concern_action",
}


def _absent_cases() -> list:
    """Who sees the real object (GET 200, or a POST answered) asks for ids that name nothing."""
    cases = []
    for name, access in ACCESS.items():
        if name not in URLS or not {ref for _, ref in access.refs} - TEXT_REFS:
            continue
        for method, answers in (("GET", access.get), ("POST", access.post)):
            cases += [
                pytest.param(name, method, role, id=f"{method} {name} as {role}, absent ids")
                for role, answer in zip(ROLES, answers or (None,) * len(ROLES), strict=True)
                if answer is OK or answer == 200
            ]
    return cases


@pytest.mark.parametrize(("name", "method", "role"), _absent_cases())
def test_ids_that_name_nothing_answer_404(world, db, name, method, role):
    access = ACCESS[name]
    client = _client(world, role)
    for absent in ABSENT_IDS:
        kwargs = {
            kwarg: getattr(world, ref) if ref in TEXT_REFS else absent for kwarg, ref in access.refs
        }
        path = reverse(name, kwargs=kwargs)

        response = client.get(path) if method == "GET" else client.post(path)

        assert response.status_code == 404, f"{method} {path} answered {response.status_code}"
