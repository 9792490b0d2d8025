"""The register's URLs, mounted at the site root (paths start with register/, review/ or staff/)."""

from django.urls import path, re_path

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
    path("register/apply/", practitioner.apply, name="apply"),
    path("register/apply/<int:level>/check/", practitioner.apply_check, name="apply_check"),
    path("register/apply/<int:level>/submit/", practitioner.apply_submit, name="apply_submit"),
    path("register/applications/", practitioner.my_applications, name="my_applications"),
    path(
        "register/applications/<int:pk>/",
        practitioner.application_detail,
        name="application_detail",
    ),
    path(
        "register/applications/<int:pk>/withdraw/",
        practitioner.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "register/applications/<int:pk>/resubmit/",
        practitioner.application_resubmit,
        name="application_resubmit",
    ),
    path(
        "register/applications/<int:pk>/appeal/",
        practitioner.application_appeal,
        name="application_appeal",
    ),
    path(
        "register/entries/<int:pk>/certificate/",
        practitioner.certificate_request,
        name="certificate_request",
    ),
    path("register/entries/<int:pk>/renew/", practitioner.renew, name="renew"),
    path(
        "register/applications/<int:pk>/references/<int:reference_pk>/replace/",
        references.reference_replace,
        name="reference_replace",
    ),
    # A concern about the practitioner, once they have been told of it, and their appeal.
    path("register/my-concerns/<int:pk>/", concerns.my_concern, name="my_concern"),
    path(
        "register/my-concerns/<int:pk>/respond/",
        concerns.my_concern_respond,
        name="my_concern_respond",
    ),
    # A renewal chosen for a CPD audit: the practitioner sends their record.
    path("register/audits/<int:pk>/", cpd_audits.cpd_audit, name="cpd_audit"),
]

# Referees: no account; the emailed link is the key (see register.views.referee).
referee_patterns: list = [
    path("references/respond/", referee.referee_respond, name="referee_respond"),
    path("references/decline/", referee.referee_decline, name="referee_decline"),
    path("references/thank-you/", referee.referee_done, name="referee_done"),
    path("references/<str:token>/", referee.referee_link, name="referee_link"),
]

# Reviewers: the queue and the review of a claimed application.
review_patterns: list = [
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review_detail, name="review_detail"),
    path("review/<int:pk>/claim/", review.review_claim, name="review_claim"),
    path(
        "review/<int:pk>/statements/<int:statement_pk>/",
        review.review_statement_save,
        name="review_statement_save",
    ),
    path(
        "review/<int:pk>/domains/<int:number>/met/",
        review.review_domain_met,
        name="review_domain_met",
    ),
    path("review/<int:pk>/recommend/", review.review_recommend, name="review_recommend"),
    path("review/<int:pk>/release/", review.review_release, name="review_release"),
    path("review/renewals/<int:pk>/", review.renewal_review, name="renewal_review"),
    path("review/audits/<int:pk>/", cpd_audits.cpd_audit_review, name="cpd_audit_review"),
    path("review/audits/<int:pk>/claim/", cpd_audits.cpd_audit_claim, name="cpd_audit_claim"),
    path("review/audits/<int:pk>/decide/", cpd_audits.cpd_audit_decide, name="cpd_audit_decide"),
    path(
        "review/audits/<int:pk>/record.pdf",
        cpd_audits.cpd_audit_record_pdf,
        name="cpd_audit_record_pdf",
    ),
    # Reviewers and admins: each notice by email, or a daily digest.
    path(
        "register/notification-settings/",
        preferences.notification_settings,
        name="notification_settings",
    ),
]

# Admins: all applications, moderation, appeals, entries and the audit trail.
staff_patterns: list = [
    path("staff/applications/", staff.staff_applications, name="staff_applications"),
    path(
        "staff/applications/export.csv",
        staff.staff_applications_csv,
        name="staff_applications_csv",
    ),
    path("staff/audit.csv", staff.staff_audit_csv, name="staff_audit_csv"),
    path("staff/entries/export.csv", staff.staff_entries_csv, name="staff_entries_csv"),
    path("staff/applications/<int:pk>/", staff.staff_application, name="staff_application"),
    path("staff/applications/<int:pk>/moderate/", staff.staff_moderate, name="staff_moderate"),
    path(
        "staff/applications/<int:pk>/appeal/",
        staff.staff_appeal_decide,
        name="staff_appeal_decide",
    ),
    path(
        "staff/applications/<int:pk>/references/<int:reference_pk>/waive/",
        references.staff_reference_waive,
        name="staff_reference_waive",
    ),
    path("staff/concerns/", concerns.staff_concerns, name="staff_concerns"),
    path("staff/concerns/<int:pk>/", concerns.staff_concern, name="staff_concern"),
    path(
        "staff/concerns/<int:pk>/<slug:action>/",
        concerns.staff_concern_action,
        name="staff_concern_action",
    ),
    # The register's own health: what waits, and for how long (PSA re-accreditation data).
    path("staff/register-health/", health.register_health, name="register_health"),
    path(
        "staff/register-health/export.csv",
        health.register_health_csv,
        name="register_health_csv",
    ),
    path("staff/entries/", staff.staff_entries, name="staff_entries"),
    path("staff/entries/<int:pk>/", staff.staff_entry, name="staff_entry"),
    path(
        "staff/entries/<int:pk>/<slug:action>/",
        staff.staff_entry_action,
        name="staff_entry_action",
    ),
]

# Anyone: search, entry pages and verification. The entry page's pattern only
# matches registration numbers, so it cannot shadow the pages above.
public_patterns: list = [
    path("register/", public.search, name="search"),
    path("register/concerns/", concerns.concern_start, name="concern_start"),
    path("register/concerns/received/", concerns.concern_received, name="concern_received"),
    path("register/verify/", public.verify_lookup, name="verify_lookup"),
    path("register/verify/<str:number>/", public.verify, name="verify"),
    re_path(r"^register/(?P<number>IMH-\d{6}-\d)/$", public.entry, name="entry"),
]

# Employers' automated checks: read-only JSON, and its OpenAPI description.
api_patterns: list = [
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/register/<str:number>", api.register_entry, name="api_entry"),
    # The same answers for a CSV of numbers, for a signed-in employer.
    path("register/check/", bulk_check.bulk_check, name="bulk_check"),
]

urlpatterns = (
    practitioner_patterns
    + referee_patterns
    + review_patterns
    + staff_patterns
    + public_patterns
    + api_patterns
)
