"""The register's URLs, mounted at the site root (paths start with register/, review/ or staff/)."""

from django.urls import URLPattern, path, re_path

from register import api
from register.views import (
    bulk_check,
    concerns,
    cpd_audits,
    health,
    practitioner,
    preferences,
    public,
    referee,
    references,
    review,
    staff,
)

app_name = "register"


def _named(route: str, view) -> URLPattern:
    """A register URL is named after its view, so the name cannot drift from it."""
    return path(route, view, name=view.__name__)


# Practitioners: applying, their applications, renewal, certificates.
practitioner_patterns: list = [
    _named("register/apply/", practitioner.apply),
    _named("register/apply/<int:level>/check/", practitioner.apply_check),
    _named("register/apply/<int:level>/submit/", practitioner.apply_submit),
    _named("register/applications/", practitioner.my_applications),
    _named("register/applications/<int:pk>/", practitioner.application_detail),
    _named("register/applications/<int:pk>/withdraw/", practitioner.application_withdraw),
    _named("register/applications/<int:pk>/resubmit/", practitioner.application_resubmit),
    _named("register/applications/<int:pk>/appeal/", practitioner.application_appeal),
    _named("register/entries/<int:pk>/certificate/", practitioner.certificate_request),
    _named("register/entries/<int:pk>/renew/", practitioner.renew),
    _named(
        "register/applications/<int:pk>/references/<int:reference_pk>/replace/",
        references.reference_replace,
    ),
    # A concern about the practitioner, once they have been told of it, and their appeal.
    _named("register/my-concerns/<int:pk>/", concerns.my_concern),
    _named("register/my-concerns/<int:pk>/respond/", concerns.my_concern_respond),
    # A renewal chosen for a CPD audit: the practitioner sends their record.
    _named("register/audits/<int:pk>/", cpd_audits.cpd_audit),
]

# Referees: no account; the emailed link is the key (see register.views.referee).
referee_patterns: list = [
    _named("references/respond/", referee.referee_respond),
    _named("references/decline/", referee.referee_decline),
    _named("references/thank-you/", referee.referee_done),
    _named("references/<str:token>/", referee.referee_link),
]

# Reviewers: the queue and the review of a claimed application.
review_patterns: list = [
    _named("review/", review.review_queue),
    _named("review/<int:pk>/", review.review_detail),
    _named("review/<int:pk>/claim/", review.review_claim),
    _named("review/<int:pk>/statements/<int:statement_pk>/", review.review_statement_save),
    _named("review/<int:pk>/domains/<int:number>/met/", review.review_domain_met),
    _named("review/<int:pk>/recommend/", review.review_recommend),
    _named("review/<int:pk>/release/", review.review_release),
    _named("review/renewals/<int:pk>/", review.renewal_review),
    _named("review/audits/<int:pk>/", cpd_audits.cpd_audit_review),
    _named("review/audits/<int:pk>/claim/", cpd_audits.cpd_audit_claim),
    _named("review/audits/<int:pk>/decide/", cpd_audits.cpd_audit_decide),
    _named("review/audits/<int:pk>/record.pdf", cpd_audits.cpd_audit_record_pdf),
    # Reviewers and admins: each notice by email, or a daily digest.
    _named("register/notification-settings/", preferences.notification_settings),
]

# Admins: all applications, moderation, appeals, entries and the audit trail.
staff_patterns: list = [
    _named("staff/applications/", staff.staff_applications),
    _named("staff/applications/export.csv", staff.staff_applications_csv),
    _named("staff/audit.csv", staff.staff_audit_csv),
    _named("staff/entries/export.csv", staff.staff_entries_csv),
    _named("staff/applications/<int:pk>/", staff.staff_application),
    _named("staff/applications/<int:pk>/moderate/", staff.staff_moderate),
    _named("staff/applications/<int:pk>/appeal/", staff.staff_appeal_decide),
    _named(
        "staff/applications/<int:pk>/references/<int:reference_pk>/waive/",
        references.staff_reference_waive,
    ),
    _named("staff/concerns/", concerns.staff_concerns),
    _named("staff/concerns/<int:pk>/", concerns.staff_concern),
    _named("staff/concerns/<int:pk>/<slug:action>/", concerns.staff_concern_action),
    # The register's own health: what waits, and for how long (PSA re-accreditation data).
    _named("staff/register-health/", health.register_health),
    _named("staff/register-health/export.csv", health.register_health_csv),
    _named("staff/entries/", staff.staff_entries),
    _named("staff/entries/<int:pk>/", staff.staff_entry),
    _named("staff/entries/<int:pk>/<slug:action>/", staff.staff_entry_action),
]

# Anyone: search, entry pages and verification. The entry page's pattern only
# matches registration numbers, so it cannot shadow the pages above.
public_patterns: list = [
    _named("register/", public.search),
    _named("register/concerns/", concerns.concern_start),
    _named("register/concerns/received/", concerns.concern_received),
    _named("register/verify/", public.verify_lookup),
    _named("register/verify/<str:number>/", public.verify),
    re_path(r"^register/(?P<number>IMH-\d{6}-\d)/$", public.entry, name="entry"),
]

# Employers' automated checks: read-only JSON, and its OpenAPI description.
api_patterns: list = [
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/register/<str:number>", api.register_entry, name="api_entry"),
    # The same answers for a CSV of numbers, for a signed-in employer.
    _named("register/check/", bulk_check.bulk_check),
]

urlpatterns = (
    practitioner_patterns
    + referee_patterns
    + review_patterns
    + staff_patterns
    + public_patterns
    + api_patterns
)
