from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        # Lower apps cannot import this one; it plugs into their registries instead.
        from accounts.roles import provide_mfa_rule
        from register.extensions import provide_employer_rule
        from register.seeding.extenders import provide_seed_extender
        from selfassess.extensions import provide_completion_listener, provide_peer_shares
        from workforce import employer, hooks, panels  # noqa: F401  (panels registers itself)

        provide_mfa_rule(hooks.sees_shared_data)
        provide_employer_rule(employer.checks_registrations)
        provide_completion_listener(hooks.snapshot_completed)
        provide_peer_shares(hooks.peer_shares_for_profile)
        from workforce.seeding import WorkforceSeed, reset_workforce

        provide_seed_extender(WorkforceSeed, reset=reset_workforce)
