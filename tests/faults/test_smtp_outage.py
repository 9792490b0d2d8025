"""The mail server is unreachable when reviewers approve an application.

The decision is made in PostgreSQL and the email is a row that waits for a
sender, so the approval stands and the practitioner is on the register at
once. When the mail server comes back, the periodic sender sends each waiting
email, and the retries scheduled while it was down send nothing twice.
"""

import re

import pytest

from tests.faults.browser import Browser
from tests.faults.services import free_port
from tests.faults.smtp import smtp_server
from tests.realservices import wait_for

pytestmark = pytest.mark.faults

RETRY = re.compile(r"send_notification_task\[([0-9a-f-]+)\] retry: Retry in")


def _notifications(pg, applicant) -> list[dict]:
    rows = pg.query(
        "SELECT id, subject, email_status, email_attempts FROM register_notification"
        " WHERE recipient_id = %s ORDER BY id",
        (applicant["id"],),
    )
    return [dict(zip(("id", "subject", "status", "attempts"), r, strict=True)) for r in rows]


def test_a_decision_stands_while_smtp_is_down_and_each_email_arrives_once_later(app, pg, email):
    smtp_port = free_port()  # nothing listens here until the test starts the server
    app.extra_env.update(
        {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "5",
        }
    )
    with app.worker() as worker:
        applicant = app.ctl("submitted", email=email("applicant"), name="Amara Approved")
        decision = app.ctl("approve", application=applicant["application"])
        assert decision["status"] == "approved"

        # The worker tried each email once, could not connect, and left it pending.
        def tried_once() -> list[dict]:
            found = _notifications(pg, applicant)
            tried = len(found) >= 2 and all(n["attempts"] == 1 for n in found)
            return found if tried and len(RETRY.findall(worker.output())) >= len(found) else []

        waiting = wait_for(
            tried_once,
            timeout=30,
            interval=0.3,
            what=f"the worker to fail to send\n{worker.output()[-3000:]}",
        )
        assert {n["status"] for n in waiting} == {"pending"}
        assert any("recognised" in n["subject"] for n in waiting), waiting

        # The decision stands: the register shows the entry, the applicant sees the outcome.
        ((status,),) = pg.query(
            "SELECT status FROM register_registerentry WHERE id = %s", (decision["entry"],)
        )
        assert status == "active"
        with app.web() as web:
            public = Browser(web.base_url).get(f"/register/{decision['number']}/")
            assert public.status == 200
            assert "Amara Approved" in public.text
            browser = Browser(web.base_url)
            browser.login(applicant["email"], applicant["password"])
            page = browser.get(f"/register/applications/{applicant['application']}/")
            assert page.status == 200
            assert decision["number"] in page.text

        with smtp_server(smtp_port) as smtp:
            queued = app.ctl("send_pending")["queued"]
            assert {n["id"] for n in waiting} <= set(queued)
            wait_for(
                lambda: {n["status"] for n in _notifications(pg, applicant)} == {"sent"},
                timeout=30,
                interval=0.5,
                what=f"the emails to be sent\n{worker.output()[-3000:]}",
            )

            # The retries the worker scheduled while SMTP was down still fire (30 s after
            # the failure); each finds its email already sent and sends nothing.
            retried = set(RETRY.findall(worker.output()))
            wait_for(
                lambda: all(
                    f"send_notification_task[{task_id}] succeeded" in worker.output()
                    for task_id in retried
                ),
                timeout=45,
                interval=0.5,
                what=f"the scheduled retries to run\n{worker.output()[-3000:]}",
            )
            received = [m for m in smtp.messages() if applicant["email"] in m.recipients]

    subjects = sorted(m.subject for m in received)
    assert subjects == sorted(f"[IMHCF] {n['subject']}" for n in waiting), "each email once"
    assert all(m.recipients == [applicant["email"]] for m in received)
    approval = next(m for m in received if "recognised" in m.subject)
    assert decision["number"] in approval.message.get_content()
