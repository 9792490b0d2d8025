"""Sign-in limits hold across gunicorn workers when they share a Redis cache, and still let
a whole organisation sign in from one address.

With the cache in each worker's memory, every worker kept its own count: N workers let
through N times the limit, and a restart forgot it. Here the same wrong passwords are sent
to one worker and then to two, four at a time on fresh connections, and both answer the
same: five failures counted for the account from that address, then refused. The access
log shows the second run really was served by both workers.
"""

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.browser import Browser

pytestmark = pytest.mark.faults

TOO_MANY = "Too many failed attempts to sign in"
ATTEMPTS = 10
# gunicorn's access log with the worker's process id first.
ACCESS_LOG = "--access-logfile - --access-logformat '%(p)s %(m)s %(U)s %(s)s'"
LOGIN_LINE = re.compile(r"^<(\d+)> POST /accounts/login/ 200$", re.MULTILINE)


def _wrong_passwords(web, email: str) -> list[str]:
    def attempt(n: int) -> str:
        response = Browser(web.base_url).submit(
            "/accounts/login/", "/accounts/login/", {"login": email, "password": f"wrong-{n}"}
        )
        assert response.status == 200, response.text[:300]
        return response.text

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(attempt, range(ATTEMPTS)))


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_sign_in_limit_is_the_same_with_one_worker_or_two(app, redis, email, workers):
    person = app.ctl("practitioner", email=email("limits"))
    cache_url = f"redis://127.0.0.1:{redis.port}/1"

    with app.web(workers=workers, CACHE_URL=cache_url, GUNICORN_CMD_ARGS=ACCESS_LOG) as web:
        pages = _wrong_passwords(web, person["email"])
        # One more, after the others, with the right password: still refused from here.
        right = Browser(web.base_url).submit(
            "/accounts/login/",
            "/accounts/login/",
            {"login": person["email"], "password": person["password"]},
        )
        log = web.process.output()

    counted = [page for page in pages if TOO_MANY not in page]
    assert len(counted) == 5
    assert right.status == 200 and TOO_MANY in right.text
    served_by = set(LOGIN_LINE.findall(log))
    assert len(served_by) == workers, log[-2000:]


def test_two_hundred_people_sign_in_from_one_address_through_four_workers(app, redis, email):
    # What the load test does, without its other traffic: under a shared cache the
    # per-address limits count every sign-in, and none of the 200 is refused.
    people = app.ctl_batch(*[("practitioner", {"email": email("room")}) for _ in range(200)])

    def sign_in(person: dict) -> tuple[int, str]:
        response = Browser(web.base_url).submit(
            "/accounts/login/",
            "/accounts/login/",
            {"login": person["email"], "password": person["password"]},
        )
        return response.status, response.location

    cache_url = f"redis://127.0.0.1:{redis.port}/1"
    with app.web(workers=4, CACHE_URL=cache_url) as web, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(sign_in, people))

    assert Counter(status for status, _ in answers) == {302: 200}
    assert not [location for _, location in answers if "/accounts/login/" in location]
