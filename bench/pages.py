"""Every main page and the rating save, measured on one server in one run.

For each: the median time over repeated requests, as a ratio to the trivial
view and to whitenoise serving a static file of the same size (what the bytes
alone cost), and the number of database queries the page makes.
"""

from __future__ import annotations

import argparse
import re
import statistics
from urllib.parse import urlencode

from bench.common import (
    ROOT,
    Client,
    get_ms,
    median_ms,
    query_count,
    running_server,
    session_cookie_for,
    setup_django,
)

REPEATS = 40


def build_world():
    """The realistic people of tests/realistic.py, made once and reused by later runs.

    Reused rather than rebuilt: the audit trail their application wrote can
    never be deleted, so neither can they.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from accounts.models import User
    from register.models import RegisterEntry, ReviewAssignment
    from tests.realistic import build_realistic_people

    call_command("load_framework", verbosity=0)
    assignment = (
        ReviewAssignment.objects.filter(reviewer__email="bench-r@example.org")
        .select_related("application__applicant", "reviewer")
        .first()
    )
    if assignment is None:
        reviewer = User.objects.create_user("bench-r@example.org", full_name="Bench Reviewer")
        TOTP.activate(reviewer, generate_totp_secret())
        people = build_realistic_people(seed=5, reviewer=reviewer, practitioners=300)
        assignment = people.assignment
    application = assignment.application
    entry = RegisterEntry.objects.filter(status="active").first()
    return application.applicant, assignment.reviewer, application, entry


def static_file_of(size: int) -> str:
    folder = ROOT / "var" / "bench-static"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"page-{size}.html").write_bytes(b"x" * size)
    return f"/static/bench/page-{size}.html"


def measure_once(port: int, cookies: dict, pages: list) -> dict[str, tuple[float, float]]:
    """One pass over every page: {name: (ms, ratio)} against this pass's baselines."""
    clients = {key: Client(port, cookie) for key, cookie in cookies.items()}
    trivial = get_ms(clients[None], "/bench/trivial", REPEATS)
    results = {"trivial GET": (trivial, 1.0)}
    for name, who, path in pages:
        client = clients[who]
        _status, body = client.request("GET", path)
        page_ms = get_ms(client, path, REPEATS)
        static_ms = get_ms(clients[None], static_file_of(len(body)), REPEATS)
        results[name] = (page_ms, page_ms / trivial)
        results[f"{name} (x static)"] = (page_ms, page_ms / static_ms)

    # A rating save against the trivial POST through the same middleware and CSRF check.
    client = clients["p"]
    _status, body = client.request("GET", "/assessment/domains/1/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cell = re.compile(rb'action="/assessment/ratings/(\d+)/".*?name="revision" value="(\d+)"', re.S)
    rating_id, revision = map(int, cell.search(body).groups())
    state = {"revision": revision, "n": 0}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}

    def save():
        state["n"] += 1
        value = ["achieved", "working_towards"][state["n"] % 2]
        form = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "value": value,
                "note": "",
                "revision": state["revision"],
            }
        )
        status, _ = client.request(
            "POST", f"/assessment/ratings/{rating_id}/", body=form, headers=headers
        )
        assert status == 200, status
        state["revision"] += 1

    def trivial_post():
        form = urlencode({"csrfmiddlewaretoken": token})
        client.request("POST", "/bench/trivial-post", body=form, headers=headers)

    save_ms = median_ms(save, REPEATS)
    post_ms = median_ms(trivial_post, REPEATS)
    results["trivial POST"] = (post_ms, 1.0)
    results[SAVE] = (save_ms, save_ms / post_ms)
    return results


SAVE = "Rating save (htmx POST, x trivial POST)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="passes over every page; with more than one, print each ratio's median and range",
    )
    args = parser.parse_args()
    env = setup_django()
    practitioner, reviewer, application, entry = build_world()
    cookies = {None: "", "p": session_cookie_for(practitioner), "r": session_cookie_for(reviewer)}
    users = {None: None, "p": practitioner, "r": reviewer}
    pages = [
        ("Framework overview", None, "/framework/"),
        ("Framework domain 1", None, "/framework/domains/1/"),
        ("Glossary", None, "/framework/glossary/"),
        ("Self-assessment overview", "p", "/assessment/"),
        ("Self-assessment grid", "p", "/assessment/domains/1/"),
        ("Evidence list", "p", "/evidence/"),
        ("CPD page", "p", "/evidence/cpd/"),
        ("Application page", "p", f"/register/applications/{application.pk}/"),
        ("Review queue", "r", "/review/"),
        ("Review page (63 statements)", "r", f"/review/{application.pk}/"),
        ("Public search", None, "/register/?" + urlencode({"q": "son"})),
        ("Public entry", None, f"/register/{entry.registration_number}/"),
        ("Verify", None, f"/register/verify/{entry.registration_number}/"),
    ]
    queries = {name: query_count(users[who], path) for name, who, path in pages}
    runs = []
    with running_server(env) as port:
        for _ in range(args.runs):
            runs.append(measure_once(port, cookies, pages))
    print_table(runs, pages, queries)


def print_table(runs: list[dict], pages: list, queries: dict[str, int]) -> None:
    def cell(name: str, index: int) -> str:
        values = sorted(run[name][index] for run in runs)
        middle = statistics.median(values)
        if len(values) == 1:
            return f"{middle:.1f}"
        return f"{middle:.1f} ({values[0]:.1f}-{values[-1]:.1f})"

    print(f"{len(runs)} run(s); median, with the range over runs in brackets")
    print(f"trivial GET {cell('trivial GET', 0)} ms, trivial POST {cell('trivial POST', 0)} ms")
    header = f"{'page':<30} {'ms':>20} {'x trivial':>20} {'x static':>20} {'queries':>8}"
    print(header)
    for name, _who, _path in pages:
        print(
            f"{name:<30} {cell(name, 0):>20} {cell(name, 1):>20} "
            f"{cell(name + ' (x static)', 1):>20} {queries[name]:>8}"
        )
    print(f"{SAVE:<30} {cell(SAVE, 0):>20} {cell(SAVE, 1):>20}")


if __name__ == "__main__":
    main()
