"""Redis stops while practitioners ask for CPD records and a certificate.

PostgreSQL holds the job; the broker is only a wake-up. So with the broker
gone the requests are still accepted and recorded as pending, and once Redis
is back the sweeper re-queues them and the worker that was running all along
finishes every one.
"""

import json
import re

import pytest

from tests.faults.browser import Browser
from tests.faults.pdfcheck import assert_complete_pdf
from tests.realservices import wait_for

pytestmark = pytest.mark.faults

JOB_PATH = re.compile(r"^/evidence/documents/(\d+)/$")


def _job_id(location: str) -> int:
    match = JOB_PATH.match(location)
    assert match, f"expected the progress page, was sent to {location!r}"
    return int(match.group(1))


def _statuses(pg, job_ids) -> set[str]:
    rows = pg.query("SELECT status FROM evidence_documentjob WHERE id = ANY(%s)", (list(job_ids),))
    return {status for (status,) in rows}


def test_documents_asked_for_while_redis_is_down_are_accepted_and_made_after_it_returns(
    app, redis, pg, email
):
    *people, holder = app.ctl_batch(
        *[("practitioner", {"email": email("cpd"), "activities": 3}) for _ in range(3)],
        ("registered", {"email": email("cert")}),
    )

    with app.worker() as worker, app.web() as web:
        browsers = []
        for person in [*people, holder]:
            browser = Browser(web.base_url)
            browser.login(person["email"], person["password"])
            browsers.append(browser)

        redis.stop()

        health = Browser(web.base_url).get("/healthz")
        assert health.status == 503
        assert json.loads(health.body)["checks"]["broker"] != "ok"

        jobs = {}
        for browser in browsers[:-1]:
            response = browser.submit("/evidence/cpd/", "/evidence/cpd/record/")
            assert response.status == 302, response.text[:500]
            jobs[_job_id(response.location)] = browser
        certificate = browsers[-1].submit(
            f"/register/applications/{holder['application']}/",
            f"/register/entries/{holder['entry']}/certificate/",
        )
        assert certificate.status == 302, certificate.text[:500]
        jobs[_job_id(certificate.location)] = browsers[-1]

        for job_id, browser in jobs.items():
            page = browser.get(f"/evidence/documents/{job_id}/")
            assert page.status == 200
            assert "Waiting to start" in page.text
            assert f"/evidence/documents/{job_id}/download/" not in page.text
        rows = pg.query(
            "SELECT kind, status FROM evidence_documentjob WHERE id = ANY(%s)", (list(jobs),)
        )
        assert sorted(rows) == [("certificate", "pending")] + [("cpd_record", "pending")] * 3

        # Redis returns, empty: every wake-up sent while it was down is gone for good.
        redis.start()
        # Sweep until ours are old enough (IMHCF_JOB_STALE_SECONDS below) and all put back;
        # at least ours: the cluster is shared with the package's other tests.
        requeued = [0]

        def sweep_until_ours_are_back() -> bool:
            requeued[0] += app.ctl("sweep", env={"IMHCF_JOB_STALE_SECONDS": "1"})["requeued"]
            return requeued[0] >= len(jobs)

        wait_for(
            sweep_until_ours_are_back,
            timeout=30,
            interval=0.3,
            what="the sweeper to re-queue the jobs whose wake-ups were lost",
        )

        wait_for(
            lambda: _statuses(pg, jobs) == {"done"},
            timeout=45,
            interval=0.3,
            what=f"the worker to finish every job\n{worker.output()[-3000:]}",
        )

        for job_id, browser in jobs.items():
            page = browser.get(f"/evidence/documents/{job_id}/")
            assert f"/evidence/documents/{job_id}/download/" in page.text
            download = browser.get(f"/evidence/documents/{job_id}/download/")
            assert download.status == 200
            assert_complete_pdf(download.body)

    attempts = pg.query(
        "SELECT attempts FROM evidence_documentjob WHERE id = ANY(%s)", (list(jobs),)
    )
    assert [a for (a,) in attempts] == [1] * len(jobs)
