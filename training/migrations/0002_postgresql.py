"""PostgreSQL only: the course review audit refuses UPDATE and DELETE at the database."""

from django.db import migrations

from imhcf.migration_helpers import append_only_trigger, postgresql_only

FORWARD, BACKWARD = append_only_trigger(
    "training_course_events_append_only", "training_courseevent"
)


class Migration(migrations.Migration):
    # The history was consolidated before the first release: a database that had
    # the old migrations counts this one as applied.
    replaces = [("training", "0002_postgresql_course_events_append_only")]

    dependencies = [("training", "0001_consolidated")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
