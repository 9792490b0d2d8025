"""Where a page's time goes: CPU time in this process, and a cProfile of it.

    python -m bench.pages_profile [--profile] [--repeats N] [PAGE ...]

Pages: grid, overview, grid-after-save, overview-after-save (each visit right
after a rating save, so the page's cached body is out of date), evidence, cpd,
application, review, and save (the htmx rating save against a trivial POST).

Serves each page through Django's whole request stack in this process (no
gunicorn, no network) to the realistic people of bench.pages, and prints the
median CPU time per request beside the trivial view's. CPU time, unlike wall
time, barely moves when other processes share the machine, so this is the
figure to compare before and after a change; bench.pages gives the served
ratios. With --profile, the 25 costliest functions of each page follow.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time

from bench.common import setup_django


def cpu_ms(action, repeats: int, warmup: int = 3, before=None) -> float:
    """Median CPU ms of ``action``; ``before`` (untimed) runs ahead of each call."""
    for _ in range(warmup):
        if before:
            before()
        action()
    samples = []
    for _ in range(repeats):
        if before:
            before()
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def rating_toggler(practitioner):
    """A save of one rating in domain 1 through the service, as the grid makes it.

    Run before a page, it puts the page's cached body out of date, as any save
    does: the page is then measured as a practitioner sees it right after rating.
    """
    from selfassess import services
    from selfassess.models import Rating

    state = {"n": 0}

    def save():
        rating = Rating.objects.get(
            assessment__user=practitioner,
            assessment__status="in_progress",
            statement__competency__code="1.02",
            statement__level=1,
        )
        state["n"] += 1
        value = ("achieved", "working_towards")[state["n"] % 2]
        services.rating_save(rating=rating, value=value, note=rating.note, revision=rating.revision)

    return save


def save_cpu(practitioner, repeats: int) -> None:
    """The grid's htmx rating save against the trivial POST, both through the test client."""
    from django.test import Client

    from selfassess.models import Rating

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(practitioner)
    rating = Rating.objects.get(
        assessment__user=practitioner,
        assessment__status="in_progress",
        statement__competency__code="1.02",
        statement__level=2,
    )
    state = {"revision": rating.revision, "n": 0}

    def save():
        state["n"] += 1
        value = ("achieved", "working_towards")[state["n"] % 2]
        form = {"value": value, "note": rating.note, "revision": state["revision"]}
        response = client.post(f"/assessment/ratings/{rating.pk}/", form, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        state["revision"] += 1

    post = cpu_ms(lambda: client.post("/bench/trivial-post", {}, HTTP_HX_REQUEST="true"), repeats)
    ms = cpu_ms(save, repeats)
    print(f"trivial POST: {post:.2f} ms CPU")
    print(f"{'save':<20} {ms:7.2f} ms CPU  {ms / post:6.1f} x trivial POST")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", help="page names (default: the practitioner pages)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from bench.pages import build_world

    practitioner, reviewer, application, _entry = build_world()
    toggle = rating_toggler(practitioner)
    pages = {
        "grid": (practitioner, "/assessment/domains/1/"),
        "overview": (practitioner, "/assessment/"),
        # Right after a save: the self-assessment pages' cached bodies are out of date.
        "grid-after-save": (practitioner, "/assessment/domains/1/", toggle),
        "overview-after-save": (practitioner, "/assessment/", toggle),
        "evidence": (practitioner, "/evidence/"),
        "cpd": (practitioner, "/evidence/cpd/"),
        "application": (practitioner, f"/register/applications/{application.pk}/"),
        "review": (reviewer, f"/review/{application.pk}/"),
    }
    names = args.pages or [*pages, "save"]
    trivial_client = Client(HTTP_HOST="127.0.0.1")
    trivial = cpu_ms(lambda: trivial_client.get("/bench/trivial"), args.repeats)
    print(f"trivial view: {trivial:.2f} ms CPU")
    for name in names:
        if name == "save":
            save_cpu(practitioner, args.repeats)
            continue
        user, path, *before = pages[name]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)

        def get(client=client, path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        ms = cpu_ms(get, args.repeats, before=before[0] if before else None)
        print(f"{name:<20} {ms:7.2f} ms CPU  {ms / trivial:6.1f} x trivial")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                get()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    main()
