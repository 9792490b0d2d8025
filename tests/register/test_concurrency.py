"""Two people acting on one application at the same moment, on real PostgreSQL row locks."""

import threading

import pytest
from django.db import close_old_connections

from register.errors import RegisterError
from register.models import Application, AuditEvent, Notification, RegisterEntry
from register.services import reviewing
from tests.factories import build_framework
from tests.realservices import require_postgresql
from tests.register import helpers

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*actions):
    """Run the actions in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as exc:  # collected and asserted on by the caller
            results[index] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_reviewers_approving_at_once_give_one_decision_entry_and_email(
    practitioner, reviewer, second_reviewer
):
    require_postgresql()
    version = build_framework(domains=7, competencies_per_domain=2)
    application = helpers.submit(practitioner, version)
    assignments = [
        reviewing.application_claim(application=application, reviewer=r)
        for r in (reviewer, second_reviewer)
    ]
    for assignment in assignments:
        helpers.review_all(assignment)

    results = _race(
        *[
            (
                lambda a=a: reviewing.application_recommend(
                    assignment=a, recommendation="approve", reasons=""
                )
            )
            for a in assignments
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert RegisterEntry.objects.filter(application=application).count() == 1
    assert (
        Notification.objects.filter(dedupe_key__startswith=f"decision:{application.pk}:").count()
        == 1
    )
    assert AuditEvent.objects.filter(application=application, action="recommend").count() == 2


def test_a_double_click_on_moderation_decides_once(
    practitioner, reviewer, second_reviewer, admin_user
):
    require_postgresql()
    version = build_framework(domains=7, competencies_per_domain=2)
    application = helpers.submit(practitioner, version)
    for r in (reviewer, second_reviewer):
        reviewing.application_claim(application=application, reviewer=r)
    helpers.recommend(application, reviewer, "approve")
    helpers.recommend(application, second_reviewer, "reject")

    def decide():
        return reviewing.application_moderate(
            application=application, moderator=admin_user, outcome="approve", reasons="Sound."
        )

    results = _race(decide, decide)
    refused = [r for r in results if isinstance(r, RegisterError)]
    assert len(refused) == 1, results
    assert RegisterEntry.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(application=application, action="decide").count() == 1
