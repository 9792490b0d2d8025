"""PostgreSQL only: a trigram index for public name search.

SQLite (the embedded default) has no pg_trgm; there the search falls back to
a plain scan, which is fine at laptop scale.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Serves register search: display_name ILIKE '%...%' / similarity on the public register.
    "CREATE INDEX IF NOT EXISTS entry_display_name_trgm_idx "
    "ON register_registerentry USING gin (upper(display_name) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS entry_display_name_trgm_idx"]



class Migration(migrations.Migration):
    dependencies = [("register", "0001_applications_reviews_register")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
