"""The Celery worker is killed (SIGKILL) while it renders a CPD record.

The dead worker never finishes its claim, so nothing it had half-made is ever
offered: the job stays "running" with no file. The sweeper hands it back once
the claim is older than a task may run, a new worker makes it, and the job
ends done once, with one complete PDF in storage.
"""

import re
import threading
import time
from contextlib import ExitStack, contextmanager

import pytest

from tests.faults.browser import Browser
from tests.faults.pdfcheck import assert_complete_pdf, pdf_text
from tests.realservices import wait_for

pytestmark = pytest.mark.faults


def _job(pg, job_id: int) -> dict:
    (row,) = pg.query(
        "SELECT status, attempts, file, finished_at FROM evidence_documentjob WHERE id = %s",
        (job_id,),
    )
    return dict(zip(("status", "attempts", "file", "finished_at"), row, strict=True))


class ProgressWatcher(threading.Thread):
    """Keeps reloading the progress page and its status fragment, as an open tab does.

    After each page it reads the job's status: a page that offered the
    download while the job was not yet done would show up as (True, not done).
    """

    def __init__(self, browser: Browser, pg, job_id: int):
        super().__init__(daemon=True)
        self.browser, self.pg, self.job_id = browser, pg, job_id
        self.seen: list[tuple[bool, str]] = []
        self.errors: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        download = f"/evidence/documents/{self.job_id}/download/"
        pages = (
            f"/evidence/documents/{self.job_id}/",
            f"/evidence/documents/{self.job_id}/status/",
        )
        while not self.halt.is_set():
            for path in pages:
                try:
                    page = self.browser.get(path)
                    offered = download in page.text
                    status = _job(self.pg, self.job_id)["status"]
                except Exception as exc:  # recorded, so the test fails with it
                    self.errors.append(repr(exc))
                    continue
                if page.status != 200:
                    self.errors.append(f"{path} answered {page.status}")
                self.seen.append((offered, status))
            time.sleep(0.05)


@contextmanager
def watching(browser: Browser, pg, job_id: int):
    watcher_browser = Browser(f"http://{browser.host}:{browser.port}")
    watcher_browser.cookies = dict(browser.cookies)
    watcher = ProgressWatcher(watcher_browser, pg, job_id)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.halt.set()
        watcher.join(timeout=30)


def test_a_worker_killed_mid_render_leaves_nothing_partial_and_the_job_is_made_once(app, pg, email):
    person = app.ctl("practitioner", email=email("kill"), activities=400)
    documents = app.storage / "documents"

    with app.web() as web:
        browser = Browser(web.base_url)
        browser.login(person["email"], person["password"])

        with ExitStack() as stack:
            doomed = app.start_worker()
            stack.callback(doomed.stop)
            response = browser.submit("/evidence/cpd/", "/evidence/cpd/record/")
            assert response.status == 302, response.text[:500]
            job_id = int(re.fullmatch(r"/evidence/documents/(\d+)/", response.location).group(1))
            watcher = stack.enter_context(watching(browser, pg, job_id))

            wait_for(
                lambda: _job(pg, job_id)["status"] == "running",
                timeout=30,
                interval=0.02,
                what=f"the worker to claim the job\n{doomed.output()[-2000:]}",
            )
            doomed.kill()

            job = _job(pg, job_id)
            assert job["status"] == "running"
            assert job["file"] == ""
            assert browser.get(f"/evidence/documents/{job_id}/download/").status == 404
            assert not documents.exists() or not any(documents.iterdir()), "nothing half-written"

            # The dead worker's claim is older than a task may run (1 s here): sweep until
            # the sweeper judges it stale and puts it back.
            wait_for(
                lambda: app.ctl("sweep", env={"IMHCF_JOB_RUNNING_STALE_SECONDS": "1"})["requeued"],
                timeout=30,
                interval=0.3,
                what="the sweeper to re-queue the dead worker's job",
            )
            assert _job(pg, job_id)["status"] == "pending"

            worker = stack.enter_context(app.worker())
            wait_for(
                lambda: _job(pg, job_id)["status"] == "done",
                timeout=45,
                interval=0.2,
                what=f"the new worker to finish the job\n{worker.output()[-3000:]}",
            )
            wait_for(
                lambda: (True, "done") in watcher.seen,
                timeout=30,
                interval=0.05,
                what="the watcher to see the finished job offered",
            )

        job = _job(pg, job_id)
        stored = sorted(p.relative_to(app.storage).as_posix() for p in documents.iterdir())
        assert stored == [job["file"]], "exactly one file, the job's own"
        on_disk = (app.storage / job["file"]).read_bytes()
        assert_complete_pdf(on_disk)
        download = browser.get(f"/evidence/documents/{job_id}/download/")
        assert download.status == 200
        assert download.body == on_disk
        assert "Activity 399" in pdf_text(on_disk, app.base)

    assert job["attempts"] == 2
    assert job["finished_at"] is not None
    assert watcher.errors == []
    assert not [status for offered, status in watcher.seen if offered and status != "done"]
    assert (False, "running") in watcher.seen, "the watcher saw the job being made"
    assert (True, "done") in watcher.seen, "the watcher saw the finished job offered"
