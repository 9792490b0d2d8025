"""A bounded load test on loopback: gunicorn, PostgreSQL, Redis and a Celery worker.

200 simulated practitioners sign in with their passwords, rate statements,
upload a small file and ask for a CPD record; reviewers work the queue and
anonymous visitors search the register. It stops by itself (a request cap and
a time limit), prints throughput and p50/p95/p99 per endpoint, then reconciles
the database against what the clients were told: every acknowledged rating
and upload must be there and every CPD request done.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imhcf_load \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/3 .venv/bin/python -m bench.loadtest
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlencode

from bench.common import ROOT, Client, bench_environment, running_server, setup_django

PASSWORD = "load-test-password-42"  # noqa: S105 - seeded throwaway accounts
RATING_VALUES = ["working_towards", "achieved", "not_started"]
SEARCH_TERMS = ["son", "smith", "patel", "jones", "ahmed", "ev", "IMH-1"]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged_ratings: dict[int, str] = {}
        self.acknowledged_uploads: list[int] = []
        self.cpd_jobs: list[int] = []

    def timed(self, name: str, client: Client, method: str, path: str, expect=(200,), **kw):
        start = time.perf_counter()
        try:
            status, body = client.request(method, path, **kw)
        except Exception as exc:  # a dropped connection is an error, not a crash
            with self.lock:
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            client.reconnect()
            return None, b""
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.latencies[name].append(elapsed)
            if status not in expect:
                self.errors.append(f"{name}: {method} {path} -> {status}")
        return status, body


def _csrf(body: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return match.group(1).decode() if match else ""


def _form(fields: dict) -> tuple[str, dict]:
    return urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"}


def _multipart(fields: dict, file_field: str, filename: str, content: bytes, mime: str):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f"--{boundary}\r\n".encode())
        out.write(f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: {mime}\r\n\r\n".encode()
    )
    out.write(content + b"\r\n" + f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 94, 107)).save(buffer, format="PNG")
    return buffer.getvalue()


def practitioner_session(port: int, email: str, rec: Recorder, rng: random.Random, png: bytes):
    client = Client(port)
    status, body = rec.timed("GET login", client, "GET", "/accounts/login/")
    data, headers = _form(
        {"csrfmiddlewaretoken": _csrf(body), "login": email, "password": PASSWORD}
    )
    rec.timed(
        "POST login", client, "POST", "/accounts/login/", body=data, headers=headers, expect=(302,)
    )

    domain = rng.randint(1, 7)
    status, body = rec.timed("GET grid", client, "GET", f"/assessment/domains/{domain}/")
    token = _csrf(body)
    cells = re.findall(rb'id="rev-(\d+)"[^>]*|value="(\d+)" id="rev-(\d+)"', body)
    revisions = {int(pk): int(rev) for _a, rev, pk in cells if pk}
    for rating_id in rng.sample(sorted(revisions), min(5, len(revisions))):
        value = rng.choice(RATING_VALUES)
        data, headers = _form(
            {
                "csrfmiddlewaretoken": token,
                "value": value,
                "note": "",
                "revision": revisions[rating_id],
            }
        )
        headers["HX-Request"] = "true"
        status, _body = rec.timed(
            "POST rating save",
            client,
            "POST",
            f"/assessment/ratings/{rating_id}/",
            body=data,
            headers=headers,
        )
        if status == 200:
            with rec.lock:
                rec.acknowledged_ratings[rating_id] = value

    status, body = rec.timed("GET new evidence", client, "GET", "/evidence/new/")
    data, headers = _form(
        {
            "csrfmiddlewaretoken": _csrf(body),
            "kind": "training",
            "title": f"Load test workshop {uuid.uuid4().hex[:8]}",
            "start_date": "2026-06-01",
            "hours": "2",
            "provider": "Load",
            "description": "Reflection.",
        }
    )
    status, _ = rec.timed(
        "POST new evidence",
        client,
        "POST",
        "/evidence/new/",
        body=data,
        headers=headers,
        expect=(302,),
    )
    location = client.last_location or ""
    match = re.search(r"/evidence/(\d+)/", location)
    if match:
        item_id = int(match.group(1))
        status, body = rec.timed("GET evidence item", client, "GET", f"/evidence/{item_id}/")
        data, headers = _multipart(
            {"csrfmiddlewaretoken": _csrf(body)}, "files", "certificate.png", png, "image/png"
        )
        status, _ = rec.timed(
            "POST upload",
            client,
            "POST",
            f"/evidence/{item_id}/files/",
            body=data,
            headers=headers,
            expect=(302,),
        )
        if status == 302:
            with rec.lock:
                rec.acknowledged_uploads.append(item_id)

    status, body = rec.timed("GET cpd", client, "GET", "/evidence/cpd/")
    data, headers = _form({"csrfmiddlewaretoken": _csrf(body), "period": "last12"})
    status, _ = rec.timed(
        "POST cpd record",
        client,
        "POST",
        "/evidence/cpd/record/",
        body=data,
        headers=headers,
        expect=(302,),
    )
    match = re.search(r"/evidence/documents/(\d+)/", client.last_location or "")
    if match:
        with rec.lock:
            rec.cpd_jobs.append(int(match.group(1)))
        rec.timed(
            "GET document status", client, "GET", f"/evidence/documents/{match.group(1)}/status/"
        )
    rec.timed("GET overview", client, "GET", "/assessment/")


def reviewer_session(port: int, cookie: str, rec: Recorder, rounds: int):
    client = Client(port, cookie)
    for _ in range(rounds):
        rec.timed("GET review queue", client, "GET", "/review/")


def visitor_session(port: int, rec: Recorder, rng: random.Random, rounds: int):
    client = Client(port)
    for _ in range(rounds):
        rec.timed(
            "GET register search",
            client,
            "GET",
            "/register/?" + urlencode({"q": rng.choice(SEARCH_TERMS)}),
        )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--practitioners", type=int, default=200)
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--time-limit", type=int, default=240)
    args = parser.parse_args()

    env = bench_environment()
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
    env["IMHCF_JOB_STALE_SECONDS"] = "20"
    # Sign-in limits are counted in the cache: in each worker's memory, 4 workers would each
    # count a quarter of the sign-ins and the run would say nothing about production.
    env.setdefault("CACHE_URL", env["CELERY_BROKER_URL"])
    if not env["CACHE_URL"].startswith("redis"):
        raise SystemExit("The load test needs a shared Redis cache: set CACHE_URL=redis://...")
    setup_django(env)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.models import User
    from bench.common import session_cookie_for
    from evidence.models import DocumentJob, EvidenceFile
    from register.seeding import SEED_DOMAIN, seed_demo, seed_reset
    from selfassess.models import Rating
    from selfassess.services import assessment_start

    call_command("load_framework", verbosity=0)
    seed_reset()
    print("seeding ...", flush=True)
    seed_demo(practitioners=args.practitioners, seed=42, log=lambda _m: None)
    practitioners = list(User.objects.filter(email__endswith=SEED_DOMAIN).order_by("pk"))
    User.objects.filter(pk__in=[u.pk for u in practitioners]).update(
        password=make_password(PASSWORD)
    )
    reviewers = []
    group, _ = Group.objects.get_or_create(name="Reviewers")
    for n in range(5):
        reviewer, _ = User.objects.get_or_create(
            email=f"load-reviewer{n}@example.org", defaults={"full_name": f"Reviewer {n}"}
        )
        reviewer.groups.add(group)
        if not reviewer.authenticator_set.exists():
            TOTP.activate(reviewer, generate_totp_secret())
        reviewers.append(session_cookie_for(reviewer))
    for user in practitioners:
        if not user.self_assessments.filter(status="in_progress").exists():
            assessment_start(user=user)

    worker = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "imhcf",
            "worker",
            "--beat",
            "--loglevel=warning",
            "--concurrency=2",
            "--schedule",
            str(ROOT / "var" / f"loadtest-beat-{os.getpid()}"),
        ],
        cwd=ROOT,
        env=env,
    )
    rec = Recorder()
    png = _small_png()
    try:
        with running_server(env, workers=4) as port:
            started = time.perf_counter()
            pool = ThreadPoolExecutor(max_workers=args.threads)
            futures = [
                pool.submit(practitioner_session, port, u.email, rec, random.Random(u.pk), png)
                for u in practitioners
            ]
            futures += [pool.submit(reviewer_session, port, c, rec, 20) for c in reviewers]
            futures += [
                pool.submit(visitor_session, port, rec, random.Random(n), 20) for n in range(10)
            ]
            done, unfinished_sessions = wait(futures, timeout=args.time_limit)
            # Sessions still running at the time limit are errors of the run, not a crash:
            # the report still prints, and says so.
            pool.shutdown(wait=False, cancel_futures=True)
            with rec.lock:
                rec.errors += [f"session unfinished at the {args.time_limit} s limit"] * len(
                    unfinished_sessions
                )
                rec.errors += [f"session crashed: {f.exception()!r}" for f in done if f.exception()]
            elapsed = time.perf_counter() - started

            # Let the worker finish the CPD records (the sweeper re-queues any lost message).
            settle_until = time.perf_counter() + 180
            while time.perf_counter() < settle_until:
                if (
                    not DocumentJob.objects.filter(pk__in=rec.cpd_jobs)
                    .exclude(status="done")
                    .exists()
                ):
                    break
                time.sleep(2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    total = sum(len(v) for v in rec.latencies.values())
    print(
        f"\n{args.practitioners} practitioners, 5 reviewers, 10 visitors; "
        f"{args.threads} client threads; "
        f"gunicorn 4 workers; {elapsed:.1f} s"
    )
    print(f"throughput: {total / elapsed:.1f} requests/s over {total} requests")
    print(f"{'endpoint':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in sorted(rec.latencies.items()):
        print(
            f"{name:<24} {len(values):>6} {statistics.median(values):>8.1f} "
            f"{percentile(values, 95):>8.1f} {percentile(values, 99):>8.1f}"
        )
    # Every error, grouped so that 280 of one kind read as one line with its count.
    print(f"errors: {len(rec.errors)}")
    for line, count in Counter(_error_kind(e) for e in rec.errors).most_common():
        print(f"  {count:>5} x {line}")

    lost_ratings = [
        pk
        for pk, value in rec.acknowledged_ratings.items()
        if not Rating.objects.filter(pk=pk, value=value).exists()
    ]
    # A later save by the same user to the same rating could overwrite: each user saves
    # distinct ratings once, so the acknowledged value must be the stored one.
    lost_uploads = [
        pk
        for pk in rec.acknowledged_uploads
        if not EvidenceFile.objects.filter(item_id=pk).exists()
    ]
    unfinished = list(
        DocumentJob.objects.filter(pk__in=rec.cpd_jobs)
        .exclude(status="done")
        .values_list("pk", "status")
    )
    lost = len(lost_ratings) + len(lost_uploads) + len(unfinished)
    print(
        f"reconcile: {len(rec.acknowledged_ratings)} acknowledged ratings, "
        f"{len(lost_ratings)} lost; "
        f"{len(rec.acknowledged_uploads)} acknowledged uploads, {len(lost_uploads)} lost; "
        f"{len(rec.cpd_jobs)} CPD records requested, {len(unfinished)} not done {unfinished[:5]}"
    )
    verdict = "CLEAN" if not rec.errors and not lost else "WITH ERRORS"
    print(f"result: {verdict} ({len(rec.errors)} errors, {lost} lost or unfinished)")


def _error_kind(error: str) -> str:
    # Ids in paths differ per request; the kind of error is the same.
    return re.sub(r"/\d+/", "/<id>/", error)


if __name__ == "__main__":
    main()
