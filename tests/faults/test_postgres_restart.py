"""PostgreSQL restarts, and then crashes and stays down a moment, while practitioners rate.

Each client is a practitioner saving ratings from the grid as htmx does, one
after another, keeping the revision each save hands back. Whatever the
database does, every answer is either a save or a clean error page; a save
the app acknowledged is in the database afterwards; and the same gunicorn
workers keep serving once the database is back.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest

from tests.faults.browser import Browser, form_fields, is_timeout
from tests.realservices import wait_for

pytestmark = pytest.mark.faults

CLIENTS = 3
RATINGS_PER_CLIENT = 4
VALUES = ("working_towards", "achieved", "not_started")
SAVE_FORM = re.compile(r'action="(/assessment/ratings/(\d+)/)"')
NEW_REVISION = r'name="revision" value="(\d+)" id="rev-{pk}" hx-swap-oob="true"'
ERROR_PAGE = "Something went wrong on our side"


@dataclass
class Ack:
    rating: int
    value: str
    note: str
    revision: int


class Client(threading.Thread):
    """One practitioner saving ratings in a loop until told to stop."""

    def __init__(self, browser: Browser, name: str, stop: threading.Event):
        super().__init__(daemon=True, name=name)
        self.browser = browser
        self.stop = stop
        self.forms: dict[int, dict[str, str]] = {}
        self.acks: list[Ack] = []
        self.outcomes: Counter = Counter()
        # Anything that is not a save, a refusal or a clean error page.
        self.problems: list[str] = []
        self.last_attempt_acked: dict[int, bool] = {}

    # A failed or ambiguous request leaves the revision unknown: read the grid again.
    def _load_grid(self) -> None:
        while not self.stop.is_set():
            page = self._request("GET", "/assessment/domains/1/")
            if page is not None and page.status == 200:
                actions = SAVE_FORM.findall(page.text)[:RATINGS_PER_CLIENT]
                self.forms = {int(pk): form_fields(page.text, path) for path, pk in actions}
                return
            time.sleep(0.1)

    def _request(self, method: str, path: str, data: dict | None = None):
        try:
            if method == "GET":
                response = self.browser.get(path)
            else:
                response = self.browser.post(path, data, htmx=True)
        except Exception as exc:
            kind = "timeout" if is_timeout(exc) else "connection"
            self.outcomes[kind] += 1
            self.problems.append(f"{method} {path}: {exc!r}")
            return None
        if response.status >= 500:
            self.outcomes["error_page"] += 1
            if leaks := response.leaks():
                self.problems.append(f"{method} {path} {response.status} leaked {leaks}")
            if ERROR_PAGE not in response.text:
                self.problems.append(f"{method} {path} {response.status}: {response.text[:300]}")
        return response

    def run(self) -> None:
        self._load_grid()
        n = 0
        while not self.stop.is_set():
            pk = list(self.forms)[n % len(self.forms)]
            value, note = VALUES[n % len(VALUES)], f"{self.name} save {n}"
            n += 1
            form = self.forms[pk]
            response = self._request(
                "POST",
                f"/assessment/ratings/{pk}/",
                {**form, "value": value, "note": note},
            )
            self.last_attempt_acked[pk] = False
            if response is None or response.status >= 500:
                self._load_grid()
                continue
            revision = re.search(NEW_REVISION.format(pk=pk), response.text)
            if response.status == 200 and revision and "Saved " in response.text:
                self.outcomes["saved"] += 1
                form["revision"] = revision.group(1)
                self.acks.append(Ack(pk, value, note, int(revision.group(1))))
                self.last_attempt_acked[pk] = True
            elif response.status == 200 and response.headers.get("hx-retarget"):
                # Refused as stale. The revision came from the last save's answer or a
                # fresh page, so the database no longer holds what the app told us.
                self.outcomes["stale_refused"] += 1
                self.problems.append(f"rating {pk} at revision {form['revision']} was refused")
                self._load_grid()
            else:
                self.outcomes[f"unexpected_{response.status}"] += 1
                self.problems.append(f"save answered {response.status}: {response.text[:300]}")
                self._load_grid()

    def saved_since(self, mark: int) -> int:
        return len(self.acks) - mark


def test_saves_survive_postgresql_restarts_and_the_app_recovers_by_itself(app, pg, email):
    people = app.ctl_batch(
        *[("practitioner", {"email": email("rater"), "assessment": True}) for _ in range(CLIENTS)]
    )
    stop = threading.Event()
    with app.web(workers=CLIENTS) as web:
        clients = []
        for n, person in enumerate(people):
            browser = Browser(web.base_url, timeout=20)
            browser.login(person["email"], person["password"])
            clients.append(Client(browser, f"client{n}", stop))
        for client in clients:
            client.start()

        def everyone_saved(count: int, marks: list[int]) -> bool:
            return all(c.saved_since(m) >= count for c, m in zip(clients, marks, strict=True))

        def marks() -> list[int]:
            return [len(c.acks) for c in clients]

        try:
            start = marks()
            wait_for(lambda: everyone_saved(5, start), timeout=30, what="saves before")

            # 1. A fast restart: sessions are ended, a checkpoint is written.
            pg.restart("fast")
            after_fast = marks()
            wait_for(lambda: everyone_saved(5, after_fast), timeout=30, what="saves after")

            # 2. A crash (immediate stop: WAL recovery on start) and a second of downtime,
            # so requests certainly arrive while there is no database at all.
            failed_before = sum(c.outcomes["error_page"] for c in clients)
            pg.stop("immediate")
            try:
                wait_for(
                    lambda: sum(c.outcomes["error_page"] for c in clients) > failed_before,
                    timeout=30,
                    interval=0.05,
                    what="a request to meet the database outage",
                )
            finally:
                pg.start()  # the package's other tests share this cluster
            after_crash = marks()
            wait_for(lambda: everyone_saved(5, after_crash), timeout=30, what="saves after")
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=30)

        assert not any(c.is_alive() for c in clients), "a client is stuck on a request"
        assert sum(c.outcomes["error_page"] for c in clients) > failed_before, (
            "no request met the database outage"
        )

        # The same app, not restarted, answers normally now.
        assert web.process.running
        assert web.process.output().count("Booting worker") == CLIENTS, "no worker was replaced"
        assert clients[0].browser.get("/assessment/domains/1/").status == 200
        # No Celery worker runs in this test, so /healthz as a whole answers 503.
        health = json.loads(Browser(web.base_url).get("/healthz").body)
        assert health["checks"]["database"] == "ok"

    for client in clients:
        assert client.problems == [], client.problems

    for client in clients:
        last: dict[int, Ack] = {}
        for ack in client.acks:
            if ack.rating in last:
                assert ack.revision > last[ack.rating].revision, (client.name, ack)
            last[ack.rating] = ack
        assert all(client.last_attempt_acked[pk] for pk in last), "ended on a failed save"
        rows = pg.query(
            "SELECT id, value, note, revision FROM selfassess_rating WHERE id = ANY(%s)",
            (list(last),),
        )
        stored = {pk: (value, note, revision) for pk, value, note, revision in rows}
        for pk, ack in last.items():
            assert stored[pk] == (ack.value, ack.note, ack.revision), (client.name, ack)
