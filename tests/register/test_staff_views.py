"""The admins' pages: applications, moderation, appeals, register entries, audit trail.

Over 400 lines on purpose: each staff page and action, with the checks every view gets.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import REVIEWERS_GROUP
from imhcf import services as imhcf_services
from imhcf.models import WorkerHeartbeat
from register.models import Appeal, Application, AuditEvent, Notification, RegisterEntry
from register.services import applying
from tests.conftest import client_for, enable_totp
from tests.factories import UserFactory, build_framework
from tests.register import helpers

APPLICATIONS = reverse("register:staff_applications")
ENTRIES = reverse("register:staff_entries")


@pytest.fixture
def moderated(application, reviewer, second_reviewer):
    """Reviewers disagree: one approves, the other rejects."""
    helpers.disagree(application, reviewer, second_reviewer, "No evidence of applied practice")
    assert helpers.status_now(application) == Application.Status.MODERATION
    return application


def app_url(application) -> str:
    return reverse("register:staff_application", args=[application.pk])


def moderate_url(application) -> str:
    return reverse("register:staff_moderate", args=[application.pk])


def appeal_url(application) -> str:
    return reverse("register:staff_appeal_decide", args=[application.pk])


def entry_url(entry) -> str:
    return reverse("register:staff_entry", args=[entry.pk])


def action_url(entry, action) -> str:
    return reverse("register:staff_entry_action", args=[entry.pk, action])


def make_admin(name: str, *, reviewer: bool = False):
    user = UserFactory(full_name=name, is_staff=True)
    if reviewer:
        user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    enable_totp(user)
    return user


def _refused_back_on_its_page(client, url, data, application) -> str:
    """Posting ``data`` to ``url`` is refused with a redirect back to the application's page,
    whose HTML this returns; ``application`` is read again."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(app_url(application), 302)]
    application.refresh_from_db()
    return response.content.decode()


# --- Applications list --------------------------------------------------------------------


def test_applications_list_puts_moderation_and_appeals_first(
    moderated, other_practitioner, version, admin_client
):
    waiting = helpers.submit(other_practitioner, version)
    response = admin_client.get(APPLICATIONS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(app_url(moderated)) < html.index(app_url(waiting))


def test_applications_list_filters_by_status(moderated, other_practitioner, version, admin_client):
    waiting = helpers.submit(other_practitioner, version)
    html = admin_client.get(APPLICATIONS, {"status": "submitted"}).content.decode()
    assert app_url(waiting) in html
    assert app_url(moderated) not in html


# --- Application page ---------------------------------------------------------------------


def test_application_page_shows_both_verdicts_side_by_side_and_the_audit_trail(
    moderated, admin_client
):
    response = admin_client.get(app_url(moderated))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rosa Reviewer" in html and "Rhys Reviewer" in html
    assert "No evidence of applied practice" in html
    assert "Needs more" in html  # the rejecting reviewer's comments
    assert "The reviewers differ on 6 statements" in html
    assert "Audit trail" in html
    for label in ("Submitted", "Claimed by a reviewer", "Recommendation"):
        assert label in html
    assert "With a moderator" in html
    assert "Messages sent" in html
    assert moderate_url(moderated) in html


def test_admin_moderates_a_disagreement_to_approval(
    moderated, practitioner, admin_user, admin_client
):
    response = admin_client.post(
        moderate_url(moderated),
        {"moderate-outcome": "approve", "moderate-reasons": "The evidence meets Level 1."},
    )
    assert response.status_code == 302
    assert helpers.status_now(moderated) == Application.Status.APPROVED
    assert moderated.decided_by == admin_user
    assert RegisterEntry.objects.filter(application=moderated).count() == 1
    event = AuditEvent.objects.filter(application=moderated, action="decide").get()
    assert event.actor == admin_user and event.reason == "The evidence meets Level 1."
    assert (
        Notification.objects.filter(recipient=practitioner, application=moderated)
        .filter(dedupe_key__startswith="decision:")
        .exists()
    )


def test_moderation_needs_reasons_and_keeps_the_choice(moderated, admin_client):
    response = admin_client.post(moderate_url(moderated), {"moderate-outcome": "reject"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Give the reasons" in html
    assert re.search(r'value="reject"\s+id="id_moderate-outcome_2" required checked', html)
    assert helpers.status_now(moderated) == Application.Status.MODERATION


def test_moderating_an_application_not_in_moderation_is_refused(application, admin_client):
    data = {"moderate-outcome": "approve", "moderate-reasons": "Fine."}
    page = _refused_back_on_its_page(admin_client, moderate_url(application), data, application)
    assert "can no longer be done" in page
    assert application.status == Application.Status.SUBMITTED


# --- Appeals ------------------------------------------------------------------------------


@pytest.fixture
def appealed(application, practitioner, second_reviewer):
    """Rejected by an admin-reviewer and a reviewer, then appealed by the practitioner."""
    admin_reviewer = make_admin("Alex Admin-Reviewer", reviewer=True)
    helpers.decide(
        application, admin_reviewer, second_reviewer, "reject", "reject", reasons="Not enough"
    )
    assert helpers.status_now(application) == Application.Status.REJECTED
    applying.application_appeal(
        application=application,
        applicant=practitioner,
        statement="My supervision records were not considered; they cover every domain.",
    )
    application.refresh_from_db()
    application.admin_reviewer = admin_reviewer
    return application


def test_admin_who_reviewed_the_application_cannot_decide_its_appeal(appealed):
    client = client_for(appealed.admin_reviewer)
    page = client.get(app_url(appealed)).content.decode()
    assert "someone else must hear the appeal" in page
    data = {"appeal-decision": "uphold", "appeal-reasons": "I agree now."}
    page = _refused_back_on_its_page(client, appeal_url(appealed), data, appealed)
    assert "someone else must hear the appeal" in page
    assert appealed.status == Application.Status.APPEALED


def test_another_admin_upholds_the_appeal_and_the_practitioner_is_registered(
    appealed, admin_user, admin_client
):
    page = admin_client.get(app_url(appealed)).content.decode()
    assert "My supervision records were not considered" in page
    response = admin_client.post(
        appeal_url(appealed),
        {"appeal-decision": "uphold", "appeal-reasons": "The supervision records meet Level 1."},
    )
    assert response.status_code == 302
    assert helpers.status_now(appealed) == Application.Status.APPROVED
    assert Appeal.objects.get(application=appealed).status == Appeal.Status.UPHELD
    assert Appeal.objects.get(application=appealed).decided_by == admin_user
    assert RegisterEntry.objects.filter(application=appealed).count() == 1


def test_dismissing_an_appeal_keeps_the_rejection(appealed, admin_client):
    admin_client.post(
        appeal_url(appealed),
        {"appeal-decision": "dismiss", "appeal-reasons": "The records were considered."},
    )
    assert helpers.status_now(appealed) == Application.Status.REJECTED
    assert Appeal.objects.get(application=appealed).status == Appeal.Status.DISMISSED
    assert not RegisterEntry.objects.exists()


# --- Entries ------------------------------------------------------------------------------


def test_entries_list_searches_by_number_and_name_with_status_filter(entry, admin_client):
    by_number = admin_client.get(ENTRIES, {"q": entry.registration_number.lower()})
    assert entry_url(entry) in by_number.content.decode()
    by_name = admin_client.get(ENTRIES, {"q": "priya"})
    assert entry_url(entry) in by_name.content.decode()
    nobody = admin_client.get(ENTRIES, {"q": "Zebedee"})
    assert entry_url(entry) not in nobody.content.decode()
    assert "No entries match your search." in nobody.content.decode()
    suspended_only = admin_client.get(ENTRIES, {"status": "suspended"})
    assert entry_url(entry) not in suspended_only.content.decode()


def test_suspend_remove_reinstate_with_reasons_appear_in_the_audit_trail(
    entry, admin_user, admin_client
):
    response = admin_client.post(
        action_url(entry, "suspend"),
        {
            "suspend-restriction": "May practise only under supervision.",
            "suspend-reason": "Fitness to practise referral.",
        },
    )
    assert response.status_code == 302
    assert helpers.status_now(entry) == RegisterEntry.Status.SUSPENDED
    assert entry.restriction == "May practise only under supervision."

    admin_client.post(action_url(entry, "remove"), {"remove-reason": "Referral upheld."})
    assert helpers.status_now(entry) == RegisterEntry.Status.REMOVED

    admin_client.post(action_url(entry, "reinstate"), {"reinstate-reason": "Appeal succeeded."})
    assert helpers.status_now(entry) == RegisterEntry.Status.ACTIVE
    assert entry.restriction == ""

    html = admin_client.get(entry_url(entry)).content.decode()
    trail = html[html.index("Audit trail") :]
    for text in (
        "Suspended",
        "Fitness to practise referral.",
        "Removed",
        "Referral upheld.",
        "Reinstated",
        "Appeal succeeded.",
        "Ada Admin",
    ):
        assert text in trail
    assert list(
        AuditEvent.objects.filter(entry=entry).values_list("action", "actor", "reason")
    ) == [
        ("suspend", admin_user.pk, "Fitness to practise referral."),
        ("remove", admin_user.pk, "Referral upheld."),
        ("reinstate", admin_user.pk, "Appeal succeeded."),
    ]


def test_suspending_without_a_reason_is_refused_and_keeps_the_restriction_typed(
    entry, admin_client
):
    response = admin_client.post(
        action_url(entry, "suspend"),
        {"suspend-restriction": "Only under supervision.", "suspend-reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a reason" in html
    assert "Only under supervision." in html
    assert helpers.status_now(entry) == RegisterEntry.Status.ACTIVE
    assert not AuditEvent.objects.filter(entry=entry).exists()


def test_an_action_not_allowed_from_the_current_state_is_refused(entry, admin_client):
    response = admin_client.post(
        action_url(entry, "reinstate"), {"reinstate-reason": "Why not."}, follow=True
    )
    assert response.redirect_chain == [(entry_url(entry), 302)]
    assert "can no longer be done" in response.content.decode()
    assert not AuditEvent.objects.filter(entry=entry).exists()


def test_unknown_entry_action_is_404(entry, admin_client):
    assert admin_client.post(action_url(entry, "delete"), {"delete-reason": "x"}).status_code == 404


def test_entry_page_shows_the_suspend_form_for_an_active_entry(entry, admin_client):
    html = admin_client.get(entry_url(entry)).content.decode()
    assert action_url(entry, "suspend") in html
    assert action_url(entry, "remove") in html
    assert action_url(entry, "reinstate") not in html
    assert 'name="suspend-restriction"' in html


def test_staff_and_public_pages_name_a_region_the_same_way(entry, admin_client, client):
    # "Western" alone could be anywhere; both audiences see it with its nation.
    RegisterEntry.objects.filter(pk=entry.pk).update(region="ni_western")
    public = client.get(reverse("register:entry", args=[entry.registration_number]))
    staff_page = admin_client.get(entry_url(entry))
    staff_list = admin_client.get(ENTRIES)

    for response in (public, staff_page, staff_list):
        assert response.status_code == 200
        assert "Western, Northern Ireland" in response.content.decode()


# --- Access -------------------------------------------------------------------------------


def _staff_pages(application, entry):
    return [
        APPLICATIONS,
        app_url(application),
        ENTRIES,
        entry_url(entry),
    ]


def _staff_actions(application, entry):
    return [
        moderate_url(application),
        appeal_url(application),
        action_url(entry, "suspend"),
        action_url(entry, "remove"),
        action_url(entry, "reinstate"),
    ]


def test_staff_urls_send_anonymous_visitors_to_sign_in(entry, application, anon_client):
    for url in _staff_pages(application, entry):
        assert anon_client.get(url).url.startswith(reverse("account_login"))
    for url in _staff_actions(application, entry):
        assert anon_client.post(url).url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["practitioner_client", "other_client", "reviewer_client"])
def test_staff_urls_are_404_for_practitioners_and_reviewers(entry, application, request, who):
    client = request.getfixturevalue(who)
    for url in _staff_pages(application, entry):
        assert client.get(url).status_code == 404, url
    for url in _staff_actions(application, entry):
        assert client.post(url, {"suspend-reason": "x", "remove-reason": "x"}).status_code == 404
    assert helpers.status_now(entry) == RegisterEntry.Status.ACTIVE


def test_staff_pages_are_200_for_an_admin(entry, application, admin_client):
    for url in _staff_pages(application, entry):
        assert admin_client.get(url).status_code == 200, url


def test_staff_pages_refuse_post_and_actions_refuse_get(entry, application, admin_client):
    for url in _staff_pages(application, entry):
        assert admin_client.post(url).status_code == 405, url
    for url in _staff_actions(application, entry):
        assert admin_client.get(url).status_code == 405, url


def test_staff_user_without_mfa_is_sent_to_set_it_up(entry):
    no_mfa = UserFactory(is_staff=True)
    response = client_for(no_mfa).get(ENTRIES)
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_earlier_rounds_can_be_viewed(
    application, practitioner, reviewer, second_reviewer, admin_client
):
    helpers.decide(
        application, reviewer, second_reviewer, "changes", "changes", reasons="Round one comment"
    )
    applying.application_resubmit(application=application, applicant=practitioner)
    html = admin_client.get(app_url(application), {"round": 1}).content.decode()
    assert "Dossier, round 1" in html
    assert "Needs more" in html  # round one's verdict comments
    html = admin_client.get(app_url(application), {"round": 99}).content.decode()
    assert "Dossier, round 2" in html


# --- Query budget -------------------------------------------------------------------------


# Session, user, MFA check (authenticator), the application; then assignments
# with reviewers, statements, links with evidence, files, glossary terms,
# verdicts, audit trail with actors, notifications, appeal, register entry, references.
# (Whether the admin is also a reviewer, for the menu, comes with the user row.)
STAFF_APPLICATION_QUERIES = 15


@pytest.mark.parametrize("size", [(2, 3), (7, 10)], ids=["6 statements", "70 statements"])
def test_staff_application_page_query_count_does_not_grow_with_the_dossier(
    size, practitioner, reviewer, second_reviewer, admin_client, django_assert_num_queries
):
    application = helpers.submit(
        practitioner, build_framework(domains=size[0], competencies_per_domain=size[1])
    )
    helpers.disagree(application, reviewer, second_reviewer, "No")
    with django_assert_num_queries(STAFF_APPLICATION_QUERIES):
        response = admin_client.get(app_url(application))
    assert response.status_code == 200


def test_entries_list_query_count_does_not_grow_with_the_register(
    entry, version, admin_client, django_assert_num_queries
):
    # Session, user (with its reviewer flag), MFA check, count for the
    # paginator, the page of entries, the worker's last heartbeat.
    with django_assert_num_queries(6):
        admin_client.get(ENTRIES)
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            practitioner=entry.practitioner,
            application=helpers.submit(UserFactory(), version),
            registration_number=f"T{n:06d}",
            display_name=f"Person {n}",
            level=1,
            region="london",
            recognised_on=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=365),
        )
        for n in range(3)
    )
    with django_assert_num_queries(6):
        response = admin_client.get(ENTRIES)
    body = response.content.decode()
    # Every entry is listed, each linked once: the fixture's entry and the three added.
    entry_links = re.findall(rf'href="{re.escape(ENTRIES)}(\d+)/"', body)
    assert sorted(map(int, entry_links)) == sorted(
        RegisterEntry.objects.values_list("pk", flat=True)
    )
    assert len(entry_links) == 4


# --- The whole flow through the pages -------------------------------------------------------


def _judge_and_recommend(client, application, met, recommendation, reasons=""):
    application.refresh_from_db()
    for statement in application.dossier_statements.filter(round=application.round):
        prefix = f"s{statement.pk}"
        client.post(
            reverse("register:review_statement_save", args=[application.pk, statement.pk]),
            {f"{prefix}-met": met, f"{prefix}-comment": "" if met == "met" else "Not shown"},
        )
    return client.post(
        reverse("register:review_recommend", args=[application.pk]),
        {"recommendation": recommendation, "reasons": reasons},
    )


def test_disagreement_goes_to_an_admin_who_decides_through_the_pages(
    application, reviewer_client, second_reviewer, admin_client
):
    second_client = client_for(second_reviewer)
    for client in (reviewer_client, second_client):
        assert (
            client.post(reverse("register:review_claim", args=[application.pk])).status_code == 302
        )
    _judge_and_recommend(reviewer_client, application, "met", "approve")
    _judge_and_recommend(second_client, application, "not_met", "reject", "Too thin")
    listing = admin_client.get(APPLICATIONS).content.decode()
    assert app_url(application) in listing and "With a moderator" in listing
    response = admin_client.post(
        moderate_url(application),
        {"moderate-outcome": "changes", "moderate-reasons": "Add supervision evidence."},
    )
    assert response.status_code == 302
    assert helpers.status_now(application) == Application.Status.CHANGES_REQUESTED


def test_rejection_then_appeal_heard_by_an_admin_who_did_not_review(
    application, practitioner, second_reviewer, admin_client
):
    admin_reviewer = make_admin("Alex Admin-Reviewer", reviewer=True)
    first_client, second_client = client_for(admin_reviewer), client_for(second_reviewer)
    for client in (first_client, second_client):
        client.post(reverse("register:review_claim", args=[application.pk]))
    _judge_and_recommend(first_client, application, "not_met", "reject", "No applied practice")
    _judge_and_recommend(second_client, application, "not_met", "reject", "No applied practice")
    assert helpers.status_now(application) == Application.Status.REJECTED

    applying.application_appeal(
        application=application,
        applicant=practitioner,
        statement="My placement log shows applied practice in every domain.",
    )
    refused = first_client.post(
        appeal_url(application),
        {"appeal-decision": "uphold", "appeal-reasons": "On reflection, yes."},
        follow=True,
    )
    assert "someone else must hear the appeal" in refused.content.decode()
    decided = admin_client.post(
        appeal_url(application),
        {"appeal-decision": "dismiss", "appeal-reasons": "The log was considered."},
    )
    assert decided.status_code == 302
    assert helpers.status_now(application) == Application.Status.REJECTED
    trail = admin_client.get(app_url(application)).content.decode()
    assert "Appeal decided" in trail and "The log was considered." in trail


# --- The background worker ------------------------------------------------------------------


@pytest.mark.parametrize("page", [APPLICATIONS, ENTRIES], ids=["applications", "entries"])
def test_staff_pages_say_when_no_worker_has_ever_run(page, admin_client):
    html = admin_client.get(page).content.decode()
    assert "The background worker is down." in html
    assert "No worker has been seen since this site was set up." in html


def test_staff_pages_say_the_worker_is_down_with_when_it_was_last_seen(admin_client, settings):
    settings.IMHCF_WORKER_STALE_SECONDS = 60
    seen = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(hostname="celery@staff-test", last_seen=seen)
    html = admin_client.get(APPLICATIONS).content.decode()
    assert "The background worker is down." in html
    when = timezone.localtime(seen).strftime("%H:%M")
    assert f"It was last seen at {timezone.localtime(seen).day} " in html
    assert f", {when} (5\xa0minutes ago)" in html


def test_staff_pages_say_nothing_about_a_worker_that_is_running(admin_client):
    imhcf_services.worker_heartbeat_record(hostname="celery@staff-test")
    assert "background worker" not in admin_client.get(ENTRIES).content.decode()
