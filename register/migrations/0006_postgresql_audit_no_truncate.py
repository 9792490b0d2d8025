"""PostgreSQL only: the audit table refuses TRUNCATE too.

Row triggers (0003) never see a TRUNCATE, so a statement trigger refuses it.
The one way past is a setting only the database's owner can make,
``ALTER DATABASE ... SET imhcf.audit_truncate = 'allowed'``: the test suite
makes it on its throwaway database, whose tables Django empties with TRUNCATE
between transactional tests. The app's own connections cannot make it (a
``SET`` in a session is not looked at), and never need to.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION register_audit_no_truncate() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1
            FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
            WHERE d.datname = current_database()
              AND s.setrole = 0
              AND 'imhcf.audit_truncate=allowed' = ANY (s.setconfig)
        ) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'register_auditevent is append-only: TRUNCATE is refused';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS register_audit_no_truncate ON register_auditevent",
    """
    CREATE TRIGGER register_audit_no_truncate
    BEFORE TRUNCATE ON register_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION register_audit_no_truncate()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS register_audit_no_truncate ON register_auditevent",
    "DROP FUNCTION IF EXISTS register_audit_no_truncate()",
]


class Migration(migrations.Migration):
    dependencies = [("register", "0005_audit_subject_and_detail")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
