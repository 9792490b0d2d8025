from django.core.management import call_command
from django.core.management.base import BaseCommand

from imhcf.models import FrameworkVersion


class Command(BaseCommand):
    help = (
        "Load the shipped framework and glossary fixtures when the database has no "
        "framework yet. Never overwrites wording an admin may have edited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload the fixtures even if a framework exists (restores shipped wording).",
        )

    def handle(self, *args, force: bool = False, **options):
        if FrameworkVersion.objects.exists() and not force:
            self.stdout.write("Framework already loaded; leaving it as it is.")
            return
        call_command("loaddata", "framework", "glossary", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {FrameworkVersion.objects.count()} framework version(s).")
        )
