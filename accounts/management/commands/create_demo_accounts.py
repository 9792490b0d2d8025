import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_accounts_ensure

DEFAULT_PASSWORD = "demo-password-123"  # noqa: S105 - a published demo password, refused in production


class Command(BaseCommand):
    help = (
        "Create or reset a demo practitioner, reviewer and admin, and print how to sign in. "
        "The password comes from IMHCF_DEMO_PASSWORD. Refuses to run in production."
    )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have a published password: not in production.")
        password = os.environ.get("IMHCF_DEMO_PASSWORD") or DEFAULT_PASSWORD
        accounts = demo_accounts_ensure(password=password)

        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {password})"))
        for demo in accounts:
            self.stdout.write(f"  {demo.role:<13} {demo.email}")
        self.stdout.write(
            "The reviewer and the admin will be asked to set up two-factor authentication "
            "(an authenticator app) the first time they open /review/ or /admin/."
        )
