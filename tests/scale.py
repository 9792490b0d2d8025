"""A database the size of 100,000 practitioners, in seconds, for plan tests (PostgreSQL only).

``seed_demo --practitioners 100000`` takes many minutes; the planner does not
need its detail, only tables of that size with realistic spreads of the
columns the pages filter on. So each big table gets its rows from
``generate_series`` in one INSERT ... SELECT:

- 100,000 users, profiles and self-assessments (three in four completed, with a
  summary row each), 100,000 evidence items with a link each, 70,000
  consents to anonymised statistics and 100,000 memberships spread over 2,500
  organisations;
- 20,000 applications (one in five applies, as the seed's share), nearly all
  decided, with 20,000 register entries;
- ratings for ``rated`` of the assessments only, 189 a person as in life, and a
  63-statement frozen dossier for as many applications.

Why ratings for a slice: 19 million rows would take minutes. What decides a
plan is the share of a table one query reads: one person's ratings are 189
rows of 189,000 here and of 19 million at 100,000, both far below the point
where PostgreSQL would rather read the table, and the per-assessment statistics
(189 rows per value) are the same. A page that read ratings across people
would be planned differently, and none of the pages tested does.

Every NOT NULL column is written (raw SQL gets no Django default), the Welsh
``*_cy`` columns included; ``check_not_null_columns`` fails loudly if a column
is added later without a database default and this file is not updated.
"""

from __future__ import annotations

from django.db import connection

from imhcf.models import FrameworkVersion

# Rows each INSERT writes, by table, for the column check.
_COLUMNS = {
    "accounts_user": (
        "password, is_superuser, is_staff, is_active, date_joined, email, full_name, language"
    ),
    "selfassess_profile": (
        "role, role_other, service_setting, sector, organisation, nation, region, "
        "target_level, updated_at, user_id"
    ),
    "selfassess_assessment": (
        "status, started_at, completed_at, target_level, statement_count, achieved_count, "
        "working_count, target_statement_count, target_achieved_count, highest_levels, "
        "user_id, version_id"
    ),
    "selfassess_rating": (
        "value, note, revision, needs_review, previous_text, updated_at, assessment_id, "
        "statement_id"
    ),
    "workforce_practitionersummary": (
        "user_id, completed_at, target_level, highest_levels, not_achieved, refreshed_at, "
        "assessment_id"
    ),
    "evidence_evidenceitem": (
        "kind, title, start_date, hours, provider, description, equality_inclusion, "
        "deidentified, created_at, updated_at, owner_id, attendance_confirmed_by"
    ),
    "evidence_evidencelink": "justification, created_at, item_id, statement_id",
    "accounts_consent": "purpose, scope, terms, wording, given_at, user_id",
    "register_dossierstatement": (
        "round, key, domain_number, domain_name, competency_code, competency_title, level, text, "
        "rating, rating_note, application_id, statement_id, competency_title_cy, domain_name_cy, "
        "text_cy"
    ),
    "workforce_organisation": "name, kind, nation, region, ods_code, verified, created_at",
    "workforce_membership": "role, status, created_at, joined_at, user_id, organisation_id",
    "register_application": (
        "level, status, round, applicant_name, organisation, region, declared_accuracy, "
        "declared_conduct, consented_review, consented_publication, submitted_at, decided_at, "
        "decision_reasons, updated_at, applicant_id, version_id"
    ),
    "register_registerentry": (
        "registration_number, display_name, level, region, status, restriction, restriction_cy, "
        "recognised_on, valid_until, created_at, updated_at, application_id, practitioner_id"
    ),
}
EMAIL_DOMAIN = "scale.example.org"  # as in _USERS below
ORGANISATIONS = 2_500


def check_not_null_columns() -> None:
    """Fail if a big table has a NOT NULL column without a default that we do not write."""
    with connection.cursor() as cursor:
        for table, columns in _COLUMNS.items():
            written = {c.strip() for c in columns.split(",")} | {"id"}
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND is_nullable = 'NO' AND column_default IS NULL AND is_generated = 'NEVER'",
                [table],
            )
            missing = {row[0] for row in cursor.fetchall()} - written
            assert not missing, f"tests/scale.py does not write {table}.{sorted(missing)}"


# The people inflate() adds, and the published framework's statements with n
# numbering them within their level; the INSERTs name them <users> and <statements>.
_USERS = "(SELECT id FROM accounts_user WHERE email LIKE '%%@scale.example.org')"
_STATEMENTS = (
    "(SELECT s.id, s.level, c.code, d.number AS domain_number, "
    "row_number() OVER (PARTITION BY s.level ORDER BY s.id) AS n FROM imhcf_statement s "
    "JOIN imhcf_competency c ON c.id = s.competency_id "
    "JOIN imhcf_domain d ON d.id = c.domain_id WHERE d.version_id = %s)"
)


def _insert(cursor, table: str, select: str, params=()) -> None:
    select = select.replace("<users>", _USERS).replace("<statements>", _STATEMENTS)
    # Table and column names are this module's constants; values are parameters.
    cursor.execute(f"INSERT INTO {table} ({_COLUMNS[table]}) {select}", params)


def inflate(*, practitioners: int = 100_000, rated: int = 1_000) -> None:
    """Add ``practitioners`` people and their rows to whatever the test made, then ANALYZE."""
    check_not_null_columns()
    version = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED).pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
        first_user = cursor.fetchone()[0] + 1
        _insert(
            cursor,
            "accounts_user",
            "SELECT '!', false, false, true, now(), 'p' || g || '@' || %s, "
            "'Scale Person ' || g, '' FROM generate_series(1, %s) AS g",
            [EMAIL_DOMAIN, practitioners],
        )
        _insert(
            cursor,
            "selfassess_profile",
            "SELECT (ARRAY['health_visitor', 'midwife', 'nursery_practitioner', "
            "'clinical_psychologist'])[1 + u.id %% 4], '', '', 'public', '', 'england', "
            "(ARRAY['london','north_west'])[1 + u.id %% 2], "
            "1 + u.id %% 3, now(), u.id FROM <users> AS u",
        )
        _insert(
            cursor,
            "selfassess_assessment",
            "SELECT CASE WHEN u.id %% 4 = 0 THEN 'in_progress' ELSE 'completed' END, "
            "now() - interval '90 days', "
            "CASE WHEN u.id %% 4 = 0 THEN NULL ELSE now() - interval '30 days' END, "
            "2, 189, 90, 40, 126, 70, '{}'::jsonb, u.id, %s "
            "FROM <users> AS u",
            [version],
        )
        _insert(
            cursor,
            "workforce_practitionersummary",
            "SELECT a.user_id, a.completed_at, 2, '{}'::jsonb, '{}'::jsonb, now(), a.id "
            "FROM selfassess_assessment a WHERE a.status = 'completed' AND a.user_id >= %s",
            [first_user],
        )
        _insert(
            cursor,
            "selfassess_rating",
            "SELECT (ARRAY['not_started','working_towards','evidence','achieved'])"
            "[1 + (a.id + s.id) %% 4], '', 1, false, '', now(), a.id, s.id "
            "FROM (SELECT id FROM selfassess_assessment WHERE user_id >= %s "
            "      ORDER BY id LIMIT %s) AS a "
            "CROSS JOIN <statements> AS s",
            [first_user, rated, version],
        )
        _insert(
            cursor,
            "evidence_evidenceitem",
            "SELECT 'training', 'Course ' || u.id, current_date - (u.id %% 700)::int, 3, "
            "'A provider', '', false, true, now(), now(), u.id, '' "
            "FROM <users> AS u",
        )
        # One statement evidenced by each item.
        _insert(
            cursor,
            "evidence_evidencelink",
            "SELECT '', now(), i.id, s.id FROM evidence_evidenceitem i "
            "JOIN <statements> AS s ON s.level = 1 AND s.n = 1 + i.id %% 63 "
            "WHERE i.owner_id >= %s",
            [version, first_user],
        )
        _insert(
            cursor,
            "accounts_consent",
            "SELECT 'anonymised_statistics', '', '{}'::jsonb, 'Counted anonymously.', "
            "now(), u.id "
            "FROM <users> AS u WHERE u.id %% 10 < 7",
        )
        _insert(
            cursor,
            "workforce_organisation",
            "SELECT 'Scale Organisation ' || g, 'nhs', 'england', 'london', '', true, now() "
            "FROM generate_series(1, %s) AS g",
            [ORGANISATIONS],
        )
        cursor.execute("SELECT min(id) FROM workforce_organisation WHERE name LIKE 'Scale Org%%'")
        first_org = cursor.fetchone()[0]
        _insert(
            cursor,
            "workforce_membership",
            "SELECT 'member', 'active', now(), now(), u.id, %s + u.id %% %s FROM <users> AS u",
            [first_org, ORGANISATIONS],
        )
        _insert(
            cursor,
            "register_application",
            "SELECT 1 + u.id %% 3, "
            "CASE WHEN u.id %% 500 = 0 THEN 'rejected' ELSE 'approved' END, "
            "1, 'Scale Person ' || u.id, '', 'london', true, true, true, true, "
            "now() - interval '100 days', now() - interval '60 days', '', now(), u.id, %s "
            "FROM <users> AS u WHERE u.id %% 5 = 0",
            [version],
        )
        _insert(
            cursor,
            "register_registerentry",
            "SELECT 'SCALE-' || a.id, a.applicant_name, a.level, a.region, 'active', '', '', "
            "current_date - 60, current_date + 300, now(), now(), a.id, a.applicant_id "
            "FROM register_application a WHERE a.status = 'approved' AND a.applicant_id >= %s",
            [first_user],
        )
        # Frozen Level 1 dossiers for the first ``rated`` applications.
        _insert(
            cursor,
            "register_dossierstatement",
            "SELECT 1, s.code || '.' || s.level, s.domain_number, '', s.code, '', 1, '', "
            "'achieved', '', a.id, s.id, '', '', '' "
            "FROM (SELECT id FROM register_application WHERE applicant_id >= %s "
            "      ORDER BY id LIMIT %s) AS a "
            "CROSS JOIN <statements> AS s WHERE s.level = 1",
            [first_user, rated, version],
        )
        cursor.execute("ANALYZE")
