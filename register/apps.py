from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Recognition register")

    def ready(self) -> None:
        # Adds certificates to the document pipeline and assigned reviewers as
        # readers of evidence files; the evidence app never imports the register.
        from register import access, certificate  # noqa: F401

        # SQLite has no unaccent: name search folds accents with Python there.
        from register.folding import install_sqlite_fold

        connection_created.connect(install_sqlite_fold, dispatch_uid="register-sqlite-fold")
