from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Open Badges credentials")

    def ready(self) -> None:
        # Follows register entries (revoking credentials when an entry stops being
        # current) and offers the downloads on the practitioner's application page;
        # the register never imports this app.
        from django.conf import settings

        from credentials import keys, services
        from register.extensions import add_entry_panel, on_entry_transition

        if settings.PRODUCTION:
            # Refuse to start with a key that cannot sign (a missing one stops the settings).
            keys.parse_private_key(keys._read_key_text())
        on_entry_transition(services.credentials_follow_entry)
        add_entry_panel("credentials/_entry_panel.html")
