"""PostgreSQL only: public name search that ignores accents, on a trigram index.

``imhcf_fold`` wraps ``unaccent`` (only STABLE, because its dictionary could
change) in an IMMUTABLE function so an index may be built on it; the index
replaces 0002's index on ``upper(display_name)``. SQLite gets the same
function from ``register.folding`` on every connection.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The dictionary is named with its schema so the function does not depend
    # on the caller's search_path (an index expression must not).
    "CREATE OR REPLACE FUNCTION imhcf_fold(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT upper(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    # Serves register search: imhcf_fold(display_name) LIKE '%SIAN%' and '% LI%'.
    "CREATE INDEX IF NOT EXISTS entry_name_fold_trgm_idx "
    "ON register_registerentry USING gin (imhcf_fold(display_name) gin_trgm_ops)",
    "DROP INDEX IF EXISTS entry_display_name_trgm_idx",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS entry_display_name_trgm_idx "
    "ON register_registerentry USING gin (upper(display_name) gin_trgm_ops)",
    "DROP INDEX IF EXISTS entry_name_fold_trgm_idx",
    "DROP FUNCTION IF EXISTS imhcf_fold(text)",
]


class Migration(migrations.Migration):
    dependencies = [("register", "0012_concerns")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
