"""Emails go after commit, are retried, and a failed send never undoes a decision."""

import pytest
from django.core import mail

from register.models import Application, Notification
from register.selectors.notifications import pending_notification_ids
from register.services import notifications
from register.tasks import send_notification_task
from tests.factories import build_framework
from tests.register import helpers


class BrokenSMTP:
    """An email backend whose server is unreachable."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def application(practitioner, db):
    return helpers.submit(practitioner, build_framework(domains=7, competencies_per_domain=1))


def test_nothing_is_emailed_before_commit(practitioner, django_capture_on_commit_callbacks, db):
    version = build_framework(domains=7, competencies_per_domain=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        helpers.submit(practitioner, version)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_notification_is_sent_once_even_if_asked_twice(application):
    notification = Notification.objects.get(application=application)
    assert notifications.notification_send(notification_id=notification.pk) is True
    assert notifications.notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT


def test_smtp_down_keeps_the_decision_and_sends_later(
    application, reviewer, second_reviewer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        helpers.approve(application, reviewer, second_reviewer)
    decision = Notification.objects.get(dedupe_key__startswith=f"decision:{application.pk}:")

    settings.EMAIL_BACKEND = "tests.register.test_notifications.BrokenSMTP"
    with pytest.raises(ConnectionRefusedError):
        notifications.notification_send(notification_id=decision.pk)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.register_entry.status == "active"
    decision.refresh_from_db()
    assert decision.email_status == Notification.EmailStatus.PENDING
    assert decision.email_attempts == 1

    # SMTP is back: the periodic sender finds the message and it goes out once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert decision.pk in pending_notification_ids()
    send_notification_task.apply(args=[decision.pk])
    decision.refresh_from_db()
    assert decision.email_status == Notification.EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == ["[IMHCF] You are recognised at Level 1"]


def test_an_email_that_keeps_failing_is_given_up_after_the_set_attempts(application, settings):
    settings.EMAIL_BACKEND = "tests.register.test_notifications.BrokenSMTP"
    settings.IMHCF_EMAIL_MAX_ATTEMPTS = 2
    notification = Notification.objects.get(application=application)
    for _ in range(2):
        with pytest.raises(ConnectionRefusedError):
            notifications.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.pk not in pending_notification_ids()


def test_email_body_is_plain_text_not_html_escaped(practitioner, db):
    practitioner.full_name = "Siân O'Brien & Co"
    practitioner.save()
    helpers.submit(practitioner, build_framework(domains=7, competencies_per_domain=1))
    body = Notification.objects.get(recipient=practitioner).body
    assert "Siân O'Brien & Co" in body
    assert "&amp;" not in body and "&#x27;" not in body
