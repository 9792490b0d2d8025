"""PostgreSQL only: the audit table refuses UPDATE and DELETE at the database.

The model already refuses changes; this stops raw SQL and bulk updates too.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION register_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'register_auditevent is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS register_audit_append_only ON register_auditevent",
    """
    CREATE TRIGGER register_audit_append_only
    BEFORE UPDATE OR DELETE ON register_auditevent
    FOR EACH ROW EXECUTE FUNCTION register_audit_append_only()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS register_audit_append_only ON register_auditevent",
    "DROP FUNCTION IF EXISTS register_audit_append_only()",
]



class Migration(migrations.Migration):
    dependencies = [("register", "0002_postgresql_trigram_search")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
