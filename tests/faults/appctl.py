"""Set-up and housekeeping for the fault tests, run in a subprocess against the private stack.

    python -m tests.faults.appctl <command> '<json arguments>'

The test process's Django points at the main test database, so anything that
must happen in the private database (people, register decisions, the sweeper,
the periodic email sender) runs here, through the same services the app uses.
The result is printed as one JSON line after ``APPCTL-RESULT``.
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imhcf.settings")
django.setup()

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import REVIEWERS_GROUP  # noqa: E402
from evidence import services as evidence_services  # noqa: E402
from evidence.models import EvidenceItem  # noqa: E402
from imhcf.models import FrameworkVersion  # noqa: E402
from register import tasks as register_tasks  # noqa: E402
from register.models import Application, RegisterEntry  # noqa: E402
from register.selectors.notifications import pending_notification_ids  # noqa: E402
from register.services.notifications import notifications_release_stale  # noqa: E402
from selfassess import services as selfassess_services  # noqa: E402
from tests.factories import PASSWORD, UserFactory  # noqa: E402
from tests.faults.services import RESULT_MARK  # noqa: E402
from tests.register import helpers  # noqa: E402


def _published() -> FrameworkVersion:
    return FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)


def practitioner(
    *,
    email: str,
    name: str = "Fatima Faults",
    profile: bool = False,
    assessment: bool = False,
    activities: int = 0,
) -> dict:
    """A signed-up practitioner with a verified address, and as much history as asked for."""
    user = UserFactory(email=email, full_name=name)
    result: dict = {"id": user.pk, "email": user.email, "password": PASSWORD}
    if profile or assessment:
        helpers.make_profile(user)
    if assessment:
        with transaction.atomic():
            started = selfassess_services.assessment_start(user=user)
        result["assessment_id"] = started.pk
    if activities:
        today = timezone.localdate()
        EvidenceItem.objects.bulk_create(
            EvidenceItem(
                owner=user,
                kind=EvidenceItem.Kind.TRAINING,
                title=f"Activity {n}",
                start_date=today - timedelta(days=1 + n % 300),
                hours=Decimal("1.5"),
                provider="Regional IMH network",
                description=f"Reflection on activity {n}: what I learnt and will change.",
            )
            for n in range(activities)
        )
    return result


def _reviewers() -> tuple:
    return tuple(UserFactory(groups=[REVIEWERS_GROUP]) for _ in range(2))


def submitted(*, email: str, name: str = "Aisha Applicant") -> dict:
    """A practitioner with a Level 1 application submitted and waiting for review."""
    user = UserFactory(email=email, full_name=name)
    application = helpers.submit(user, _published(), level=1)
    return {"id": user.pk, "email": user.email, "password": PASSWORD, "application": application.pk}


def approve(*, application: int) -> dict:
    """Two reviewers claim, review every statement and agree: the decision is made."""
    app = Application.objects.get(pk=application)
    helpers.approve(app, *_reviewers())
    app.refresh_from_db()
    entry = RegisterEntry.objects.get(application=app)
    return {"status": app.status, "entry": entry.pk, "number": entry.registration_number}


def registered(*, email: str, name: str = "Rowan Registered") -> dict:
    """A practitioner on the register (approved at Level 1), who may ask for a certificate."""
    result = submitted(email=email, name=name)
    result.update(approve(application=result["application"]))
    return result


def sweep() -> dict:
    """One pass of the document sweeper, as the beat schedule runs it."""
    return evidence_services.documents_sweep()


def send_pending() -> dict:
    """One pass of the periodic email sender, as the beat schedule runs it."""
    notifications_release_stale()
    pending = pending_notification_ids()
    register_tasks.send_pending_notifications()
    return {"queued": pending}


COMMANDS = {
    f.__name__: f for f in (practitioner, submitted, approve, registered, sweep, send_pending)
}


def batch(*, steps: list[list]) -> dict:
    """Several commands in one process: Django starts once, not once per person."""
    return {"results": [COMMANDS[name](**arguments) for name, arguments in steps]}


COMMANDS["batch"] = batch


def main(argv: list[str]) -> None:
    command = COMMANDS[argv[1]]
    arguments = json.loads(argv[2]) if len(argv) > 2 else {}
    result = command(**arguments)
    print(RESULT_MARK + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv)
