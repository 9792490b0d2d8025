"""PostgreSQL only: name search's indexes, and an audit table that refuses changes.

Name search: the trigram index serves names containing a word ('%SON%') and
words of one or two letters at a word's start ('% WU%', padded trigrams); the
prefix index (text_pattern_ops, so it serves LIKE 'KI%' whatever the
database's collation) serves a name's first word. SQLite has neither operator
class; there name search reads the table, which is fine at laptop scale.

The audit: the model already refuses changes; row triggers stop raw SQL and
bulk updates too, and a statement trigger refuses TRUNCATE, which row triggers
never see. The one way past it is a setting only the database's owner can
make, ``ALTER DATABASE ... SET imhcf.audit_truncate = 'allowed'``: the test
suite makes it on its throwaway database, whose tables Django empties with
TRUNCATE between transactional tests. The app's own connections cannot make it
(a ``SET`` in a session is not looked at), and never need to.
"""

from django.db import migrations

from imhcf.migration_helpers import append_only_trigger, before_trigger, postgresql_only

SEARCH_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # fastupdate off: entries change rarely, and a GIN index's pending list (rows
    # inserted since the last vacuum, read in full by every search) made a rare
    # name's lookup read 240 pages instead of 20 after a bulk load.
    "CREATE INDEX IF NOT EXISTS entry_folded_name_trgm_idx "
    "ON register_registerentry USING gin (folded_name gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS entry_folded_name_prefix_idx "
    "ON register_registerentry (folded_name text_pattern_ops)",
]
SEARCH_BACKWARD = [
    "DROP INDEX IF EXISTS entry_folded_name_prefix_idx",
    "DROP INDEX IF EXISTS entry_folded_name_trgm_idx",
]
APPEND_ONLY_FORWARD, APPEND_ONLY_BACKWARD = append_only_trigger(
    "register_audit_append_only", "register_auditevent"
)
NO_TRUNCATE_FORWARD, NO_TRUNCATE_BACKWARD = before_trigger(
    "register_audit_no_truncate",
    "register_auditevent",
    events="TRUNCATE",
    each="STATEMENT",
    body="""\
IF EXISTS (
    SELECT 1
    FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
    WHERE d.datname = current_database()
      AND s.setrole = 0
      AND 'imhcf.audit_truncate=allowed' = ANY (s.setconfig)
) THEN
    RETURN NULL;
END IF;
RAISE EXCEPTION 'register_auditevent is append-only: TRUNCATE is refused';""",
)
FORWARD = SEARCH_FORWARD + APPEND_ONLY_FORWARD + NO_TRUNCATE_FORWARD
BACKWARD = NO_TRUNCATE_BACKWARD + APPEND_ONLY_BACKWARD + SEARCH_BACKWARD


class Migration(migrations.Migration):
    # The history was consolidated before the first release: a database that had
    # the old migrations counts this one as applied.
    replaces = [
        ("register", "0002_postgresql_trigram_search"),
        ("register", "0003_postgresql_audit_append_only"),
        ("register", "0006_postgresql_audit_no_truncate"),
        ("register", "0017_postgresql_folded_name_indexes"),
    ]

    dependencies = [("register", "0002_consolidated")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
