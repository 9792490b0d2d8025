"""Every main page and the rating save, measured on one server in one run.

For each: the median time over repeated requests, as a ratio to the trivial
view and to whitenoise serving a static file of the same size (what the bytes
alone cost), and the number of database queries the page makes.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from bench.common import (
    ROOT,
    Client,
    bench_environment,
    expect_status,
    median_ms,
    running_server,
    session_cookie_for,
    setup_django,
)

REPEATS = 40


def build_world():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.models import User
    from imhcf.models import FrameworkVersion
    from register.models import RegisterEntry
    from register.seeding import seed_demo, seed_reset
    from register.services import reviewing
    from tests.register import helpers

    call_command("load_framework", verbosity=0)
    seed_reset()
    seed_demo(practitioners=300, seed=5, log=lambda _m: None)
    # Reused between runs: the audit trail the first run wrote can never be deleted.
    practitioner = User.objects.filter(email="bench-p@example.org").first()
    reviewer = User.objects.filter(email="bench-r@example.org").first()
    if practitioner is None:
        practitioner = User.objects.create_user(
            "bench-p@example.org", full_name="Bench Practitioner"
        )
        reviewer = User.objects.create_user("bench-r@example.org", full_name="Bench Reviewer")
        reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
        TOTP.activate(reviewer, generate_totp_secret())
        version = FrameworkVersion.objects.get(status="published")
        application = helpers.submit(practitioner, version)
        reviewing.application_claim(application=application, reviewer=reviewer)
    application = practitioner.applications.get()
    entry = RegisterEntry.objects.filter(status="active").first()
    return practitioner, reviewer, application, entry


def query_count(user, path: str) -> int:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    client.get(path)  # warm per-process caches, as a served page would be
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def static_file_of(size: int) -> str:
    folder = ROOT / "var" / "bench-static"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"page-{size}.html").write_bytes(b"x" * size)
    return f"/static/bench/page-{size}.html"


def main() -> None:
    env = bench_environment()
    setup_django(env)
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
    rows = []
    with running_server(env) as port:
        clients = {key: Client(port, cookie) for key, cookie in cookies.items()}
        trivial = median_ms(expect_status(clients[None], "GET", "/bench/trivial"), REPEATS)
        for name, who, path in pages:
            client = clients[who]
            _status, body = client.request("GET", path)
            page_ms = median_ms(expect_status(client, "GET", path), REPEATS)
            static_ms = median_ms(
                expect_status(clients[None], "GET", static_file_of(len(body))), REPEATS
            )
            rows.append((name, page_ms, trivial, static_ms, query_count(users[who], path)))

        # A rating save against the trivial POST through the same middleware and CSRF check.
        client = clients["p"]
        _status, body = client.request("GET", "/assessment/domains/1/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        cell = re.compile(
            rb'action="/assessment/ratings/(\d+)/".*?name="revision" value="(\d+)"', re.S
        )
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

    print(f"trivial GET {trivial:.2f} ms, trivial POST {post_ms:.2f} ms")
    print(f"{'page':<30} {'ms':>7} {'x trivial':>10} {'x static':>9} {'queries':>8}")
    for name, ms, base, static_ms, queries in rows:
        print(f"{name:<30} {ms:>7.2f} {ms / base:>10.1f} {ms / static_ms:>9.1f} {queries:>8}")
    label = "Rating save (htmx POST)"
    print(f"{label:<30} {save_ms:>7.2f} {save_ms / post_ms:>10.1f}")


if __name__ == "__main__":
    main()
