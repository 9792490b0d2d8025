import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from register.seeding import seed_demo, seed_reset


class Command(BaseCommand):
    help = (
        "Create realistic demo data at scale: practitioners, ratings, evidence, "
        "applications in every state and register entries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practitioners", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete earlier seeded data first."
        )

    def handle(self, *args, practitioners: int, seed: int, reset: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo never runs with DJANGO_ENV=production.")
        if practitioners < 1:
            raise CommandError("--practitioners must be at least 1.")
        if reset:
            self.stdout.write(f"Deleted {seed_reset()} seeded rows.")
        started = time.monotonic()
        try:
            summary = seed_demo(practitioners=practitioners, seed=seed, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {summary.practitioners} practitioners, {summary.ratings} ratings, "
                f"{summary.evidence_items} evidence items, {summary.applications} applications and "
                f"{summary.entries} register entries in {time.monotonic() - started:.1f}s."
            )
        )
