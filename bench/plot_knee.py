"""Draws bench/loadtest_knee.png from var/loadtest-knee.json (written by bench.loadtest_knee).

p50 and p95 of the interactive mix against the offered rate, the 300 ms line,
and the knee marked; the title carries the same run's trivial-view rate and
the machine's load, so the picture is never read without them.

    .venv/bin/python -m bench.plot_knee [results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.common import ROOT
from bench.loadtest_knee import RESULTS, TARGET_P95_MS

PICTURE = ROOT / "bench" / "loadtest_knee.png"


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    run = json.loads((Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS).read_text())
    knee = (
        f"knee {run['knee_rps']} requests/s"
        if run["knee_rps"] is not None
        else f"no rate tried held p95 <= {TARGET_P95_MS} ms"
    )
    steps = run["steps"]
    offered = [s["offered_rps"] for s in steps]
    figure, axes = pyplot.subplots(figsize=(8, 5), dpi=110)
    axes.plot(offered, [s["p50_ms"] for s in steps], "o-", label="p50")
    axes.plot(offered, [s["p95_ms"] for s in steps], "s-", label="p95")
    axes.axhline(TARGET_P95_MS, color="grey", linestyle="--", label=f"{TARGET_P95_MS} ms")
    if run["knee_rps"] is not None:
        axes.axvline(run["knee_rps"], color="green", linestyle=":", label="knee")
    axes.set_yscale("log")
    axes.set_xlabel("offered load, requests per second (open loop)")
    axes.set_ylabel("latency, ms (log scale)")
    loads = [s["load_1min"][1] for s in steps]
    axes.set_title(
        f"Interactive mix with PDF rendering, {run['cpus']} CPUs, "
        f"{run['gunicorn_workers']} gunicorn workers ({run['when']})\n"
        f"{knee}; trivial view {run['trivial_rps']} requests/s; "
        f"1-minute load {min(loads):.1f}-{max(loads):.1f}",
        fontsize=9,
    )
    axes.legend()
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(PICTURE)
    print(f"wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
