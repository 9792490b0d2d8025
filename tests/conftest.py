"""Personas and shared fixtures.

Every test package uses these people: a practitioner, a second practitioner, a
reviewer, an admin and an anonymous visitor. Reviewers and admins have TOTP
turned on (``totp_secret`` fixture), because the app refuses them otherwise.
"""

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client

from accounts.roles import FRAMEWORK_EDITORS_GROUP, REVIEWERS_GROUP
from tests.factories import UserFactory, build_framework


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let Django empty the throwaway test database between transactional tests, quickly.

    The audit table refuses TRUNCATE unless the database's owner allows it
    (register migration 0003_postgresql); this is that owner, on a database made for the run.

    TRUNCATE makes new files for each of the seventy-odd tables and takes about a second on
    every transactional test (each browser test is one); a superuser empties the same tables
    with DELETE in milliseconds, with triggers (foreign-key checks and the audit table's
    append-only rows) off for that one transaction. Elsewhere Django's TRUNCATE stays.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET imhcf.audit_truncate = 'allowed'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    if not superuser:
        yield
        return
    ops = type(connection.ops)
    truncate = ops.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # execute_sql_flush runs these in one transaction, to which SET LOCAL is confined.
        return ["SET LOCAL session_replication_role = replica"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 - Django's own table names
            for table in tables
        ]

    ops.sql_flush = sql_flush
    yield
    ops.sql_flush = truncate


@pytest.fixture(autouse=True)
def _referees_only_where_asked(request, settings):
    """Applications need no referees unless a test is marked ``referees``.

    References are a gate before review (IMHCF_REFEREE_KINDS, two by default);
    the tests of everything after that gate start from an application already
    in the queue, as a register configured without referees works. The tests
    of references themselves, the every-URL world and the browser journeys run
    with the default referees.
    """
    if request.node.get_closest_marker("referees") is None:
        settings.IMHCF_REFEREE_KINDS = []


def enable_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture(scope="session")
def _shipped_rows(django_db_blocker):
    """fixtures/framework.json and glossary.json, read once: each model's rows, parents first."""
    from django.conf import settings
    from django.core import serializers

    from imhcf import models

    rows: dict = {
        model: []
        for model in (
            models.FrameworkVersion,
            models.Level,
            models.Domain,
            models.Competency,
            models.Statement,
            models.GlossaryTerm,
        )
    }
    with django_db_blocker.unblock():
        for name in ("framework", "glossary"):
            text = (Path(settings.FIXTURE_DIRS[0]) / f"{name}.json").read_text("utf-8")
            for record in serializers.deserialize("json", text):
                rows[type(record.object)].append(record.object)
    # bulk_create stamps auto_now(_add) fields with now, on the objects too: keep the file's.
    dates = [
        (model, obj.pk, {field.attname: getattr(obj, field.attname)})
        for model, objects in rows.items()
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        for obj in objects
    ]
    return rows, dates


@pytest.fixture
def shipped_framework(db, _shipped_rows):
    """The framework and glossary exactly as fixtures/ ships them.

    Written as ``loaddata framework glossary`` writes them (the same rows, primary keys and
    sequences after), with one insert per table rather than one per row: a tenth of the time,
    for the many tests that start from the shipped framework.
    """
    from django.core.management.color import no_style

    from imhcf.models import FrameworkVersion

    rows, dates = _shipped_rows
    for model, objects in rows.items():
        model.objects.bulk_create(objects)
    for model, pk, values in dates:
        model.objects.filter(pk=pk).update(**values)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
            cursor.execute(sql)
    return FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)


@pytest.fixture
def framework(db):
    """A published framework the size of the real one: seven domains of three competencies.
    (Modules that want another size define their own ``framework``.)"""
    return build_framework(domains=7, competencies_per_domain=3)


@pytest.fixture
def practitioner(db):
    return UserFactory(full_name="Priya Practitioner", email="priya@example.org")


@pytest.fixture
def other_practitioner(db):
    return UserFactory(full_name="Owen Other", email="owen@example.org")


def totp_user(**fields):
    """A user with TOTP turned on (``user.totp_secret``), as reviewers and staff must have."""
    user = UserFactory(**fields)
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def reviewer(db):
    return totp_user(full_name="Rosa Reviewer", email="rosa@example.org", groups=[REVIEWERS_GROUP])


@pytest.fixture
def second_reviewer(db):
    return totp_user(full_name="Rhys Reviewer", email="rhys@example.org", groups=[REVIEWERS_GROUP])


@pytest.fixture
def admin_user(db):
    return totp_user(
        full_name="Ada Admin", email="ada@example.org", is_staff=True, is_superuser=True
    )


@pytest.fixture
def framework_editor(db):
    from accounts.services import ensure_role_groups

    ensure_role_groups()
    return totp_user(
        full_name="Eddie Editor",
        email="eddie@example.org",
        is_staff=True,
        groups=[FRAMEWORK_EDITORS_GROUP],
    )


@pytest.fixture
def anon_client():
    return Client()


def client_for(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def client_fixture(person: str):
    """A fixture: a test client signed in as the user of fixture ``person``."""

    @pytest.fixture
    def client(request):
        return client_for(request.getfixturevalue(person))

    return client


practitioner_client = client_fixture("practitioner")
other_client = client_fixture("other_practitioner")
reviewer_client = client_fixture("reviewer")
admin_client = client_fixture("admin_user")


def refused_page(response, *says: str) -> str:
    """``response`` refuses a form (400) with a page saying each of ``says``; returns the page."""
    assert response.status_code == 400
    html = response.content.decode()
    for text in says:
        assert text in html
    return html


@pytest.fixture(scope="session", autouse=True)
def _credential_signing_key(tmp_path_factory):
    """Credentials are signed with a key made for this run, never the one under var/."""
    from django.test import override_settings

    path = tmp_path_factory.mktemp("credential-key") / "signing-key.pem"
    with override_settings(
        IMHCF_CREDENTIAL_SIGNING_KEY="",
        IMHCF_CREDENTIAL_SIGNING_KEY_FILE=str(path),
        IMHCF_CREDENTIAL_KEY_GENERATE=True,
    ):
        yield path


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache.

    Cached fragments are keyed by primary key, and SQLite can hand a rolled-back
    test's ids to the next test; a shared cache would show one test another's data.
    """
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def private_storage(settings, tmp_path):
    """Private files (evidence, PDFs) go under this test's tmp_path, never var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language.

    LocaleMiddleware (and accounts' UserLanguageMiddleware) activate a request's language in
    the thread that served it, which for the test client is the test's own thread: a test
    that asked for a page in Welsh would otherwise leave the next test reading Welsh.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
