"""PostgreSQL only: the course review audit refuses UPDATE and DELETE at the database.

The model already refuses changes; this stops raw SQL and bulk updates too.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION training_course_events_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'training_courseevent is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS training_course_events_append_only ON training_courseevent",
    """
    CREATE TRIGGER training_course_events_append_only
    BEFORE UPDATE OR DELETE ON training_courseevent
    FOR EACH ROW EXECUTE FUNCTION training_course_events_append_only()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS training_course_events_append_only ON training_courseevent",
    "DROP FUNCTION IF EXISTS training_course_events_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("training", "0001_courses_sessions_mappings_attendance")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
