"""Where a page's time goes: CPU time in this process, and a cProfile of it.

    python -m bench.pages_profile [--profile] [--repeats N] [PAGE ...]

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

from bench.common import bench_environment, setup_django


def cpu_ms(action, repeats: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", help="page names (default: the practitioner pages)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    args = parser.parse_args()
    setup_django(bench_environment())
    from django.test import Client

    from bench.pages import build_world

    practitioner, reviewer, application, _entry = build_world()
    pages = {
        "grid": (practitioner, "/assessment/domains/1/"),
        "overview": (practitioner, "/assessment/"),
        "evidence": (practitioner, "/evidence/"),
        "cpd": (practitioner, "/evidence/cpd/"),
        "application": (practitioner, f"/register/applications/{application.pk}/"),
        "review": (reviewer, f"/review/{application.pk}/"),
    }
    names = args.pages or list(pages)
    trivial_client = Client(HTTP_HOST="127.0.0.1")
    trivial = cpu_ms(lambda: trivial_client.get("/bench/trivial"), args.repeats)
    print(f"trivial view: {trivial:.2f} ms CPU")
    for name in names:
        user, path = pages[name]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)

        def get(client=client, path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        ms = cpu_ms(get, args.repeats)
        print(f"{name:<12} {ms:7.2f} ms CPU  {ms / trivial:6.1f} x trivial")
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
