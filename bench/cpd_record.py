"""A CPD record of 200 activities: our whole pipeline against WeasyPrint alone.

Measures, in one process and one run:
- the pipeline: CPD summary queries, template rendering and WeasyPrint (what the worker does);
- WeasyPrint alone rendering the same final HTML with the same fetcher.
The ratio is our overhead. Peak memory is Python's (tracemalloc), which covers
WeasyPrint's layout objects but not Pango's C allocations.
"""

import statistics
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from bench.common import setup_django

ACTIVITIES = 200
REPEATS = 5


def measure(action) -> tuple[float, float]:
    """Median seconds over REPEATS runs, and the peak traced memory of one run in MiB."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / (1024 * 1024)


def main() -> None:
    setup_django()
    import random

    from django.core.management import call_command
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from accounts.models import User
    from evidence.cpd import cpd_params, cpd_record_context, render_cpd_record
    from evidence.models import DocumentJob, EvidenceItem, EvidenceLink
    from evidence.pdf import BASE_URL, StaticOnlyFetcher
    from imhcf.models import Statement

    call_command("load_framework", verbosity=0)
    user, _ = User.objects.get_or_create(
        email="bench-cpd@example.org", defaults={"full_name": "Bench Practitioner"}
    )
    EvidenceItem.objects.filter(owner=user).delete()
    rng = random.Random(1)
    statements = list(Statement.objects.all())
    start = date(2026, 1, 1)
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            owner=user,
            kind=rng.choice(EvidenceItem.Kind.values),
            title=f"Activity {n}: reflective supervision and attunement",
            start_date=start + timedelta(days=n % 360),
            hours=Decimal(rng.choice(["1", "2", "3.5", "6"])),
            provider="Regional infant mental health network",
            description="What happened, what I learnt about the baby's experience, and what "
            "I will do differently next time with this family.",
            deidentified=True,
        )
        for n in range(ACTIVITIES)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, statement=s) for item in items for s in rng.sample(statements, 3)
    )
    end = date(2026, 12, 31)
    job = DocumentJob(owner=user, kind="cpd_record", params=cpd_params(start, end))
    html = render_to_string("pdf/cpd_record.html", cpd_record_context(user, start, end))

    def pipeline():
        return render_cpd_record(job)

    def weasyprint_alone():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
            pdf_variant="pdf/ua-1"
        )

    pdf = pipeline()
    pipeline_s, pipeline_mb = measure(pipeline)
    alone_s, alone_mb = measure(weasyprint_alone)
    print(f"CPD record, {ACTIVITIES} activities, {len(pdf) / 1024:.0f} KiB PDF")
    print(f"{'measurement':<28} {'median s':>9} {'peak MiB':>9}")
    print(f"{'whole pipeline':<28} {pipeline_s:>9.2f} {pipeline_mb:>9.1f}")
    print(f"{'WeasyPrint alone':<28} {alone_s:>9.2f} {alone_mb:>9.1f}")
    print(
        f"{'ratio (our overhead)':<28} {pipeline_s / alone_s:>9.2f} {pipeline_mb / alone_mb:>9.2f}"
    )


if __name__ == "__main__":
    main()
