"""Run every benchmark and print their tables, with the date and the machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imhcf_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/3 .venv/bin/python -m bench.run_all [--with-load]

Each benchmark runs in its own process against the same database. The load
test takes a few minutes, so it runs only when asked.
"""

import argparse
import os
import platform
import subprocess
import sys
from datetime import datetime

from bench.common import ROOT

BENCHMARKS = [
    ("Pages and the rating save", "bench.pages"),
    ("Public search on 100,000 entries", "bench.register_search"),
    ("CPD record of 200 activities", "bench.cpd_record"),
]


def machine() -> str:
    cpus = os.cpu_count()
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    return f"{platform.machine()}, {cpus} CPUs, {memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--with-load", action="store_true", help="also run the load test")
    args = parser.parse_args()
    runs = BENCHMARKS + ([("Load test", "bench.loadtest")] if args.with_load else [])
    print(f"# Benchmarks, {datetime.now():%Y-%m-%d %H:%M}, {machine()}")
    print(f"# database: {os.environ.get('DATABASE_URL', 'SQLite (temporary)')}")
    failed = []
    for title, module in runs:
        print(f"\n## {title}", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True
        )
        lines = [
            line
            for line in result.stdout.splitlines()
            if line.strip() and not line.startswith(("Loaded ", "Framework already"))
        ]
        print("\n".join(lines))
        if result.returncode != 0:
            failed.append(module)
            print(result.stderr[-3000:])
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
