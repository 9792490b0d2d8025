"""Attendance the provider confirms, evidence in one step, and the mark reviewers see."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence import services as evidence_services
from evidence.models import EvidenceItem
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.training.helpers import statements_of
from training import services
from training.errors import TrainingError
from training.models import Attendance, AttendanceCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_days_ago():
    """Its session began three days ago (the conftest's course began twenty)."""
    return 3


@pytest.fixture
def session(course):
    return course.sessions.get()


def test_provider_confirms_attendance_by_email(session, provider_client, practitioner):
    response = provider_client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {"emails": "PRIYA@example.org, new.person@example.org\nnew.person@example.org"},
    )
    assert response.status_code == 302
    rows = dict(Attendance.objects.values_list("email", "user_id"))
    assert rows == {"priya@example.org": practitioner.pk, "new.person@example.org": None}


def test_a_typo_in_the_list_saves_nothing(session, provider_client):
    response = provider_client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {"emails": "good@example.org\nnot an address"},
    )
    assert response.status_code == 400
    assert "not an address" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_attendance_listed_before_sign_up_is_found_by_verified_address(session, provider_staff):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text="late@example.org"
    )
    later = UserFactory(email="late@example.org")

    client = client_for(later)
    page = client.get(reverse("training:my_courses"))
    assert session.course.title in page.content.decode()


def test_codes_are_single_use(session, provider_staff, practitioner, other_practitioner):
    code = services.attendance_codes_issue(session=session, user=provider_staff, count=1)[0]
    typed = code.code[:5].lower() + "-" + code.code[5:]
    attendance = services.attendance_code_redeem(user=practitioner, code=typed)
    assert (attendance.user, attendance.method) == (practitioner, Attendance.Method.CODE)
    with pytest.raises(TrainingError):
        services.attendance_code_redeem(user=other_practitioner, code=code.code)
    assert AttendanceCode.objects.get(pk=code.pk).attendance == attendance


def test_redeeming_a_wrong_code_through_the_page(practitioner_client):
    response = practitioner_client.post(reverse("training:redeem"), {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 400
    assert "was not recognised" in response.content.decode()


def test_the_course_becomes_evidence_in_one_step_marked_confirmed(
    session, provider_staff, practitioner, practitioner_client
):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    attendance = Attendance.objects.get()
    form = practitioner_client.get(reverse("training:attendance_evidence", args=[attendance.pk]))
    statements = form.context["form"].fields["statement"].initial
    assert len(statements) == 6
    keep = statements[:5]
    response = practitioner_client.post(
        reverse("training:attendance_evidence", args=[attendance.pk]),
        {"statement": keep, "reflection": "I now narrate what the baby might feel."},
    )
    item = EvidenceItem.objects.get(owner=practitioner)
    assert response["Location"] == reverse("evidence:item_detail", args=[item.pk])
    course = session.course
    assert (item.title, item.hours, item.start_date, item.provider) == (
        course.title,
        course.hours,
        session.starts_on,
        course.provider.name,
    )
    assert sorted(item.links.values_list("statement_id", flat=True)) == sorted(keep)
    assert item.attendance_confirmed_by == course.provider.name
    detail = practitioner_client.get(reverse("evidence:item_detail", args=[item.pk]))
    assert "Attendance confirmed" in detail.content.decode()
    # A second go goes to the item rather than making another.
    again = practitioner_client.get(reverse("training:attendance_evidence", args=[attendance.pk]))
    assert again["Location"] == reverse("evidence:item_detail", args=[item.pk])


def test_only_mapped_statements_can_be_linked(session, provider_staff, practitioner, version):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    unmapped = statements_of(version, 12)[-1]
    with pytest.raises(TrainingError):
        services.attendance_to_evidence(
            attendance=Attendance.objects.get(),
            user=practitioner,
            statement_ids=[unmapped.pk],
            reflection="",
        )


def test_changing_what_was_confirmed_removes_the_mark(session, provider_staff, practitioner):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    item = services.attendance_to_evidence(
        attendance=Attendance.objects.get(), user=practitioner, statement_ids=[], reflection=""
    )
    evidence_services.evidence_item_update(item=item, data={"description": "A reflection."})
    assert EvidenceItem.objects.get(pk=item.pk).attendance_confirmed
    evidence_services.evidence_item_update(item=item, data={"start_date": date(2020, 1, 1)})
    assert not EvidenceItem.objects.get(pk=item.pk).attendance_confirmed


def test_a_confirmation_withdrawn_by_the_provider_leaves_ordinary_evidence(
    session, provider_staff, provider_client, practitioner
):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    attendance = Attendance.objects.get()
    item = services.attendance_to_evidence(
        attendance=attendance, user=practitioner, statement_ids=[], reflection=""
    )
    provider_client.post(reverse("training:attendance_remove", args=[attendance.pk]))
    item.refresh_from_db()
    assert not item.attendance_confirmed
    assert not Attendance.objects.exists()


def test_other_people_get_404_for_an_attendance(
    session, provider_staff, practitioner, other_client
):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    attendance = Attendance.objects.get()
    for name in ("attendance_evidence", "attendance_feedback"):
        assert (
            other_client.get(reverse(f"training:{name}", args=[attendance.pk])).status_code == 404
        )
    response = other_client.post(reverse("training:attendance_consent", args=[attendance.pk]))
    assert response.status_code == 404


def test_feedback_is_anonymous_and_given_once(
    session, provider_staff, practitioner, practitioner_client
):
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text=practitioner.email
    )
    attendance = Attendance.objects.get()
    url = reverse("training:attendance_feedback", args=[attendance.pk])
    response = practitioner_client.post(url, {"rating": "4", "comment": "Very practical."})
    assert response.status_code == 302
    feedback = session.feedback.get()
    assert (feedback.rating, feedback.comment) == (4, "Very practical.")
    assert not any(f.name == "user" for f in feedback._meta.get_fields())
    with pytest.raises(TrainingError):
        services.feedback_give(attendance=attendance, user=practitioner, rating=5, comment="")


def test_reviewers_see_the_mark_in_the_frozen_dossier(
    version, practitioner, reviewer, reviewer_client
):
    from register.models import DossierEvidence
    from register.services import applying, reviewing
    from tests.register.helpers import DECLARED, make_ready_applicant

    item = make_ready_applicant(practitioner, version, level=1)
    evidence_services.evidence_attendance_confirm(
        item=item, confirmed_by="Northern IMH Training", confirmed_at=timezone.now()
    )
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=DECLARED
    )
    assert DossierEvidence.objects.get(application=application).attendance_confirmed_by == (
        "Northern IMH Training"
    )
    reviewing.application_claim(application=application, reviewer=reviewer)
    page = reviewer_client.get(reverse("register:review_detail", args=[application.pk]))
    assert page.status_code == 200
    assert "Attendance confirmed" in page.content.decode()
    assert "Northern IMH Training" in page.content.decode()


def test_the_cpd_record_shows_the_mark(practitioner, private_storage, tmp_path):
    from tests.evidence.factories import EvidenceItemFactory
    from tests.security.conftest import cpd_record_text

    confirmed = EvidenceItemFactory(
        owner=practitioner, title="Attunement course", start_date=date(2026, 3, 1)
    )
    evidence_services.evidence_attendance_confirm(
        item=confirmed, confirmed_by="Northern IMH Training", confirmed_at=timezone.now()
    )
    EvidenceItemFactory(
        owner=practitioner, title="Self-reported reading", start_date=date(2026, 3, 2)
    )
    text = " ".join(cpd_record_text(practitioner, tmp_path).split())
    assert "Attendance confirmed by the provider, Northern IMH Training" in text
    assert text.count("Attendance confirmed") == 1
