"""The practitioner's application page and its actions: withdraw, resubmit, appeal, certificate.

Over 400 lines on purpose: the page and each of its four actions, with the checks every view
gets.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence import services as evidence_services
from evidence.models import DocumentJob
from register.models import (
    Appeal,
    Application,
    DossierStatement,
    RegisterEntry,
    ReviewAssignment,
)
from register.services import reviewing
from selfassess.models import Rating
from tests.factories import build_framework
from tests.register.helpers import approve, recommend, review_all, submit


@pytest.fixture
def framework(db):
    return build_framework(domains=7, competencies_per_domain=2)


@pytest.fixture
def application(practitioner, framework):
    return submit(practitioner, framework)


def detail_url(application, **query) -> str:
    url = reverse("register:application_detail", args=[application.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def action_url(name: str, application) -> str:
    return reverse(f"register:application_{name}", args=[application.pk])


def claim_both(application, *reviewers) -> list[ReviewAssignment]:
    return [
        reviewing.application_claim(application=application, reviewer=reviewer)
        for reviewer in reviewers
    ]


def request_changes(application, reviewer, second_reviewer) -> Application:
    """Both reviewers mark 1.01 L1 not met with their own comment and ask for changes."""
    comments = {
        reviewer: "Say more about attunement.",
        second_reviewer: "Add a reflective account.",
    }
    for assignment in claim_both(application, reviewer, second_reviewer):
        for statement in DossierStatement.objects.filter(application=application, round=1):
            reviewing.statement_review_save(
                assignment=assignment,
                dossier_statement=statement,
                met=statement.key != "1.01/L1",
                comment=comments[assignment.reviewer] if statement.key == "1.01/L1" else "",
            )
        reviewing.application_recommend(
            assignment=assignment,
            recommendation="changes",
            reasons=f"Reasons from the reviewer who claimed at {assignment.claimed_at:%H%M%S%f}.",
        )
    application.refresh_from_db()
    return application


def reject(application, reviewer, second_reviewer) -> Application:
    claim_both(application, reviewer, second_reviewer)
    recommend(application, reviewer, "reject", reasons="Not enough evidence of practice.")
    recommend(application, second_reviewer, "reject", reasons="Not enough evidence of practice.")
    application.refresh_from_db()
    return application


# The page ---------------------------------------------------------------------------------------


def test_owner_sees_the_status_in_plain_words_and_what_happens_next(
    practitioner_client, application
):
    response = practitioner_client.get(detail_url(application))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Status: Waiting for reviewers" in page
    assert "waiting for 2 reviewers to pick it up" in page
    assert "Withdraw the application" in page
    assert "Resubmit" not in page
    assert "Statement 7.02 level 1." in page


def test_the_page_lists_every_message_to_the_practitioner_newest_first(
    practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)

    page = practitioner_client.get(detail_url(application)).content.decode()

    changes = page.index("The reviewers have asked for changes to your application")
    received = page.index(application.notifications.earliest("created_at").subject)
    assert changes < received


def test_messages_to_reviewers_are_not_shown_to_the_practitioner(
    practitioner_client, application, reviewer, second_reviewer
):
    claim_both(application, reviewer, second_reviewer)
    practitioner_client.post(action_url("withdraw", application))

    page = practitioner_client.get(detail_url(application)).content.decode()

    assert application.notifications.filter(recipient=reviewer).exists()
    subjects = application.notifications.filter(recipient=reviewer).values_list(
        "subject", flat=True
    )
    assert all(subject not in page for subject in subjects)


def test_changes_requested_shows_each_not_met_comment_without_reviewer_names_and_the_reasons(
    practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)

    page = practitioner_client.get(detail_url(application)).content.decode()

    assert "Status: Changes requested" in page
    assert "1 statement marked not met" in page
    assert "Say more about attunement." in page
    assert "Add a reflective account." in page
    assert "Reviewer 1" in page and "Reviewer 2" in page
    assert "Reasons from the reviewer who claimed at" in page
    assert page.count("The reviewers marked this statement as not met.") == 1
    assert "Rosa" not in page and "Rhys" not in page
    assert action_url("resubmit", application) in page


def test_feedback_stays_hidden_while_the_reviewers_are_still_working(
    practitioner_client, application, reviewer, second_reviewer
):
    assignment, _second = claim_both(application, reviewer, second_reviewer)
    review_all(assignment, met=False, comment="A draft thought")

    page = practitioner_client.get(detail_url(application)).content.decode()

    assert "Status: Being reviewed" in page
    assert "A draft thought" not in page
    assert "not met" not in page


def test_the_cached_round_gives_way_to_the_feedback_and_follows_the_language(
    practitioner, practitioner_client, application, reviewer, second_reviewer
):
    # While in review the round as sent is rendered once per language and cached
    # (register/dossier_html.py); the decision brings the feedback in at once.
    english = practitioner_client.get(detail_url(application)).content.decode()
    assert "Your rating:" in english
    again = practitioner_client.get(detail_url(application)).content.decode()
    assert again.split('id="dossier-title"')[1] == english.split('id="dossier-title"')[1]
    practitioner.language = "cy"
    practitioner.save(update_fields=["language"])
    welsh = practitioner_client.get(detail_url(application)).content.decode()
    assert "Eich sgôr:" in welsh and "Your rating:" not in welsh
    practitioner.language = "en-gb"
    practitioner.save(update_fields=["language"])

    request_changes(application, reviewer, second_reviewer)

    page = practitioner_client.get(detail_url(application)).content.decode()
    assert "Say more about attunement." in page
    assert page.count("The reviewers marked this statement as not met.") == 1


def test_earlier_rounds_stay_viewable_after_resubmitting(
    practitioner, practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)
    item = practitioner.evidence_items.get()
    evidence_services.evidence_item_update(item=item, data={"title": "Course, with reflections"})
    practitioner_client.post(action_url("resubmit", application), {"note": "Added reflections."})

    latest = practitioner_client.get(detail_url(application)).content.decode()
    first = practitioner_client.get(detail_url(application, round=1)).content.decode()

    assert "Course, with reflections" in latest
    assert "Say more about attunement." not in latest
    assert "Round 1" in latest and "Round 2" in latest
    assert "Infant mental health foundation course" in first
    assert "Say more about attunement." in first


def test_other_people_get_404_for_an_application(
    other_client, reviewer_client, admin_client, application
):
    for client in (other_client, reviewer_client):
        assert client.get(detail_url(application)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_an_application(anon_client, application):
    response = anon_client.get(detail_url(application))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_application_page_refuses_post(practitioner_client, application):
    assert practitioner_client.post(detail_url(application)).status_code == 405


def test_my_applications_lists_applications_and_offers_to_apply_when_none_is_open(
    practitioner, practitioner_client, application
):
    url = reverse("register:my_applications")
    page = practitioner_client.get(url).content.decode()
    assert detail_url(application) in page
    assert "Waiting for reviewers" in page
    assert reverse("register:apply") not in page.split("</h1>")[0].split("<h1")[1]

    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    assert (
        'href="' + reverse("register:apply") + '"' in practitioner_client.get(url).content.decode()
    )


def test_my_applications_is_for_signed_in_people_and_get_only(
    anon_client, practitioner_client, other_client, application
):
    url = reverse("register:my_applications")
    assert reverse("account_login") in anon_client.get(url)["Location"]
    assert practitioner_client.post(url).status_code == 405
    assert detail_url(application) not in other_client.get(url).content.decode()


# Query budget -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domains", "competencies", "level", "statements"),
    [(1, 2, 1, 2), (7, 3, 3, 63)],
    ids=["2-statements", "63-statements"],
)
def test_application_page_query_count_does_not_grow_with_the_dossier(
    practitioner,
    practitioner_client,
    reviewer,
    second_reviewer,
    django_assert_num_queries,
    domains,
    competencies,
    level,
    statements,
):
    version = build_framework(domains=domains, competencies_per_domain=competencies)
    application = approve(submit(practitioner, version, level=level), reviewer, second_reviewer)
    assert application.dossier_statements.count() == statements
    url = detail_url(application)

    # 1 session, 2 user, 3 application (access helper), 4 dossier statements, 5 dossier evidence,
    # 6 dossier files (prefetch), 7 dossier links, 8 reviewers' not-met comments,
    # 9 notifications, 10 register entry, 11 appeal, 12 round dates from the audit trail,
    # 13 the referees and their status.
    with django_assert_num_queries(13):
        response = practitioner_client.get(url)
    assert response.status_code == 200


# Withdraw -----------------------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_first(practitioner_client, application):
    response = practitioner_client.get(action_url("withdraw", application))

    assert response.status_code == 200
    assert "Withdraw your application?" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_withdrawing_closes_the_application_and_releases_its_reviewers(
    practitioner_client, application, reviewer
):
    reviewing.application_claim(application=application, reviewer=reviewer)

    response = practitioner_client.post(
        action_url("withdraw", application), {"reason": "Changing jobs"}, follow=True
    )

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert not application.assignments.filter(released_at__isnull=True).exists()
    assert response.redirect_chain[-1][0] == detail_url(application)
    page = response.content.decode()
    assert "Your application is withdrawn." in page
    assert "Withdraw the application" not in page
    assert application.audit_events.filter(action="withdraw", reason="Changing jobs").exists()


def test_withdraw_is_not_offered_after_a_decision(
    practitioner_client, application, reviewer, second_reviewer
):
    reject(application, reviewer, second_reviewer)

    assert (
        "Withdraw the application"
        not in practitioner_client.get(detail_url(application)).content.decode()
    )
    response = practitioner_client.post(action_url("withdraw", application), follow=True)
    assert "can no longer be withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_withdraw_by_put_is_405(practitioner_client, application):
    assert practitioner_client.put(action_url("withdraw", application)).status_code == 405


def test_other_practitioner_gets_404_when_withdrawing(other_client, application):
    assert other_client.get(action_url("withdraw", application)).status_code == 404
    assert other_client.post(action_url("withdraw", application)).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_anonymous_withdraw_is_sent_to_sign_in(anon_client, application):
    response = anon_client.post(action_url("withdraw", application))
    assert reverse("account_login") in response["Location"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# Resubmit -----------------------------------------------------------------------------------------


def test_resubmitting_after_changes_freezes_a_new_round_for_the_same_reviewers(
    practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)

    page = practitioner_client.get(action_url("resubmit", application)).content.decode()
    response = practitioner_client.post(
        action_url("resubmit", application), {"note": "Added a reflective account."}, follow=True
    )

    assert "Everything is in place" in page
    application.refresh_from_db()
    assert (application.round, application.status) == (2, Application.Status.IN_REVIEW)
    assert DossierStatement.objects.filter(application=application, round=2).count() == 14
    assert set(application.assignments.values_list("reviewer", flat=True)) == {
        reviewer.pk,
        second_reviewer.pk,
    }
    assert "Your application is resubmitted." in response.content.decode()


def test_resubmit_page_shows_what_the_task_list_still_lacks(
    practitioner, practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)
    Rating.objects.filter(
        assessment__user=practitioner, statement__competency__code="4.02", statement__level=1
    ).update(value=Rating.Value.WORKING_TOWARDS)

    response = practitioner_client.get(action_url("resubmit", application))

    page = response.content.decode()
    assert "Still missing" in page
    assert "4.02 L1" in page
    assert 'name="note"' not in page


def test_resubmit_refused_by_the_service_keeps_the_note_and_says_why(
    practitioner, practitioner_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)
    practitioner.evidence_items.get().links.filter(statement__competency__code="5.01").delete()

    response = practitioner_client.post(
        action_url("resubmit", application), {"note": "My careful note."}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The application is not ready yet" in page
    application.refresh_from_db()
    assert application.round == 1


def test_resubmit_needs_a_note(practitioner_client, application, reviewer, second_reviewer):
    request_changes(application, reviewer, second_reviewer)

    response = practitioner_client.post(action_url("resubmit", application), {"note": " "})

    assert response.status_code == 400
    assert "Tell the reviewers what you have changed." in response.content.decode()


def test_resubmit_is_only_for_changes_requested(practitioner_client, application):
    response = practitioner_client.post(action_url("resubmit", application), {"note": "x"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.round == 1


def test_resubmit_by_put_is_405_and_others_get_404(
    practitioner_client, other_client, application, reviewer, second_reviewer
):
    request_changes(application, reviewer, second_reviewer)
    assert practitioner_client.put(action_url("resubmit", application)).status_code == 405
    assert other_client.get(action_url("resubmit", application)).status_code == 404
    assert other_client.post(action_url("resubmit", application), {"note": "x"}).status_code == 404


def test_anonymous_resubmit_is_sent_to_sign_in(anon_client, application):
    response = anon_client.post(action_url("resubmit", application), {"note": "x"})
    assert reverse("account_login") in response["Location"]


# Appeal -------------------------------------------------------------------------------------------


def test_rejected_practitioner_can_appeal_within_the_window(
    practitioner_client, application, reviewer, second_reviewer
):
    reject(application, reviewer, second_reviewer)
    deadline = timezone.localtime(application.decided_at + timedelta(days=28))

    detail = practitioner_client.get(detail_url(application)).content.decode()
    form = practitioner_client.get(action_url("appeal", application)).content.decode()
    response = practitioner_client.post(
        action_url("appeal", application),
        {"statement": "The reviewers missed my supervision reports for domain 6."},
        follow=True,
    )

    assert "Not enough evidence of practice." in detail
    assert "Appeal the decision" in detail
    assert f"{deadline:%-d %B %Y}" in form
    application.refresh_from_db()
    assert application.status == Application.Status.APPEALED
    assert Appeal.objects.get(application=application).statement.startswith("The reviewers")
    page = response.content.decode()
    assert "Your appeal is sent." in page
    assert "Status: Appeal under consideration" in page


def test_appeal_after_the_window_is_refused(
    practitioner_client, application, reviewer, second_reviewer, settings
):
    settings.IMHCF_APPEAL_WINDOW_DAYS = 28
    reject(application, reviewer, second_reviewer)
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=29)
    )

    detail = practitioner_client.get(detail_url(application)).content.decode()
    response = practitioner_client.post(
        action_url("appeal", application),
        {"statement": "The reviewers missed my supervision reports for domain 6."},
        follow=True,
    )

    assert "Appeal the decision" not in detail
    assert "The time for an appeal ended on" in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_appeal_needs_a_statement_of_some_substance(
    practitioner_client, application, reviewer, second_reviewer
):
    reject(application, reviewer, second_reviewer)

    response = practitioner_client.post(action_url("appeal", application), {"statement": "Unfair"})

    assert response.status_code == 400
    assert "Explain in a few sentences" in response.content.decode()
    assert not Appeal.objects.exists()


def test_appeal_is_only_for_a_rejected_application(practitioner_client, application):
    response = practitioner_client.get(action_url("appeal", application), follow=True)
    assert "This decision cannot be appealed." in response.content.decode()


def test_appeal_by_put_is_405_others_get_404_and_anonymous_signs_in(
    practitioner_client, other_client, anon_client, application, reviewer, second_reviewer
):
    reject(application, reviewer, second_reviewer)
    url = action_url("appeal", application)
    assert practitioner_client.put(url).status_code == 405
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"statement": "x" * 30}).status_code == 404
    assert reverse("account_login") in anon_client.post(url, {"statement": "x" * 30})["Location"]
    assert not Appeal.objects.exists()


# Approved: the entry and the certificate ------------------------------------------------------


@pytest.fixture
def approved(application, reviewer, second_reviewer):
    return approve(application, reviewer, second_reviewer)


def certificate_url(entry) -> str:
    return reverse("register:certificate_request", args=[entry.pk])


def test_approved_application_shows_the_entry_and_a_certificate_button(
    practitioner_client, approved
):
    entry = approved.register_entry

    page = practitioner_client.get(detail_url(approved)).content.decode()

    assert "Status: Approved" in page
    assert entry.registration_number in page
    assert entry.valid_until.strftime("%-d %B %Y") in page
    assert f'action="{certificate_url(entry)}"' in page
    assert "Download certificate" in page
    assert reverse("register:entry", args=[entry.registration_number]) in page


def test_certificate_request_makes_a_job_and_shows_its_progress(
    practitioner, practitioner_client, approved
):
    entry = approved.register_entry

    response = practitioner_client.post(certificate_url(entry))

    job = DocumentJob.objects.get(owner=practitioner)
    assert (job.kind, job.params) == (DocumentJob.Kind.CERTIFICATE, {"entry_id": entry.pk})
    assert response["Location"] == reverse("evidence:document_detail", args=[job.pk])
    # A double click asks for the same document.
    practitioner_client.post(certificate_url(entry))
    assert DocumentJob.objects.count() == 1


def test_no_certificate_once_removed_from_the_register(practitioner_client, approved):
    entry = approved.register_entry
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.REMOVED)

    response = practitioner_client.post(certificate_url(entry), follow=True)

    assert "there is no certificate to download" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_certificate_request_by_get_is_405(practitioner_client, approved):
    assert practitioner_client.get(certificate_url(approved.register_entry)).status_code == 405


def test_other_practitioner_gets_404_for_a_certificate(other_client, approved):
    assert other_client.post(certificate_url(approved.register_entry)).status_code == 404
    assert not DocumentJob.objects.exists()


def test_anonymous_certificate_request_is_sent_to_sign_in(anon_client, approved):
    response = anon_client.post(certificate_url(approved.register_entry))
    assert reverse("account_login") in response["Location"]
