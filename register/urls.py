"""The register's URLs, mounted at the site root (paths start with register/, review/ or staff/)."""

from django.urls import path, re_path

from imhcf.routes import named
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


# Practitioners: applying, their applications, renewal, certificates.
practitioner_patterns: list = [
    named("register/apply/", practitioner.apply),
    named("register/apply/<int:level>/check/", practitioner.apply_check),
    named("register/apply/<int:level>/submit/", practitioner.apply_submit),
    named("register/applications/", practitioner.my_applications),
    named("register/applications/<int:pk>/", practitioner.application_detail),
    named("register/applications/<int:pk>/withdraw/", practitioner.application_withdraw),
    named("register/applications/<int:pk>/resubmit/", practitioner.application_resubmit),
    named("register/applications/<int:pk>/appeal/", practitioner.application_appeal),
    named("register/entries/<int:pk>/certificate/", practitioner.certificate_request),
    named("register/entries/<int:pk>/renew/", practitioner.renew),
    named(
        "register/applications/<int:pk>/references/<int:reference_pk>/replace/",
        references.reference_replace,
    ),
    # A concern about the practitioner, once they have been told of it, and their appeal.
    named("register/my-concerns/<int:pk>/", concerns.my_concern),
    named("register/my-concerns/<int:pk>/respond/", concerns.my_concern_respond),
    # A renewal chosen for a CPD audit: the practitioner sends their record.
    named("register/audits/<int:pk>/", cpd_audits.cpd_audit),
]

# Referees: no account; the emailed link is the key (see register.views.referee).
referee_patterns: list = [
    named("references/respond/", referee.referee_respond),
    named("references/decline/", referee.referee_decline),
    named("references/thank-you/", referee.referee_done),
    named("references/<str:token>/", referee.referee_link),
]

# Reviewers: the queue and the review of a claimed application.
review_patterns: list = [
    named("review/", review.review_queue),
    named("review/<int:pk>/", review.review_detail),
    named("review/<int:pk>/claim/", review.review_claim),
    named("review/<int:pk>/statements/<int:statement_pk>/", review.review_statement_save),
    named("review/<int:pk>/domains/<int:number>/met/", review.review_domain_met),
    named("review/<int:pk>/recommend/", review.review_recommend),
    named("review/<int:pk>/release/", review.review_release),
    named("review/renewals/<int:pk>/", review.renewal_review),
    named("review/audits/<int:pk>/", cpd_audits.cpd_audit_review),
    named("review/audits/<int:pk>/claim/", cpd_audits.cpd_audit_claim),
    named("review/audits/<int:pk>/decide/", cpd_audits.cpd_audit_decide),
    named("review/audits/<int:pk>/record.pdf", cpd_audits.cpd_audit_record_pdf),
    # Reviewers and admins: each notice by email, or a daily digest.
    named("register/notification-settings/", preferences.notification_settings),
]

# Admins: all applications, moderation, appeals, entries and the audit trail.
staff_patterns: list = [
    named("staff/applications/", staff.staff_applications),
    named("staff/applications/export.csv", staff.staff_applications_csv),
    named("staff/audit.csv", staff.staff_audit_csv),
    named("staff/entries/export.csv", staff.staff_entries_csv),
    named("staff/applications/<int:pk>/", staff.staff_application),
    named("staff/applications/<int:pk>/moderate/", staff.staff_moderate),
    named("staff/applications/<int:pk>/appeal/", staff.staff_appeal_decide),
    named(
        "staff/applications/<int:pk>/references/<int:reference_pk>/waive/",
        references.staff_reference_waive,
    ),
    named("staff/concerns/", concerns.staff_concerns),
    named("staff/concerns/<int:pk>/", concerns.staff_concern),
    named("staff/concerns/<int:pk>/<slug:action>/", concerns.staff_concern_action),
    # The register's own health: what waits, and for how long (PSA re-accreditation data).
    named("staff/register-health/", health.register_health),
    named("staff/register-health/export.csv", health.register_health_csv),
    named("staff/entries/", staff.staff_entries),
    named("staff/entries/<int:pk>/", staff.staff_entry),
    named("staff/entries/<int:pk>/<slug:action>/", staff.staff_entry_action),
]

# Anyone: search, entry pages and verification. The entry page's pattern only
# matches registration numbers, so it cannot shadow the pages above.
public_patterns: list = [
    named("register/", public.search),
    named("register/concerns/", concerns.concern_start),
    named("register/concerns/received/", concerns.concern_received),
    named("register/verify/", public.verify_lookup),
    named("register/verify/<str:number>/", public.verify),
    re_path(r"^register/(?P<number>IMH-\d{6}-\d)/$", public.entry, name="entry"),
]

# Employers' automated checks: read-only JSON, and its OpenAPI description.
api_patterns: list = [
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/register/<str:number>", api.register_entry, name="api_entry"),
    # The same answers for a CSV of numbers, for a signed-in employer.
    named("register/check/", bulk_check.bulk_check),
]

urlpatterns = (
    practitioner_patterns
    + referee_patterns
    + review_patterns
    + staff_patterns
    + public_patterns
    + api_patterns
)
