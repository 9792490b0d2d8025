"""PostgreSQL only: ``imhcf_fold(text)``, the function the register's folded name is made of.

``imhcf_fold`` wraps ``unaccent`` (only STABLE, because its dictionary could
change) in an IMMUTABLE function so a generated column and an index may be
built on it. It comes before the tables: ``RegisterEntry.folded_name`` is
generated from it. SQLite gets the same function from ``register.folding`` on
every connection.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # The dictionary is named with its schema so the function does not depend
    # on the caller's search_path (an index expression must not).
    "CREATE OR REPLACE FUNCTION imhcf_fold(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT upper(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
]
BACKWARD = ["DROP FUNCTION IF EXISTS imhcf_fold(text)"]


class Migration(migrations.Migration):
    # The history was consolidated before the first release: a database that had
    # the old migrations counts this one as applied.
    replaces = [("register", "0013_postgresql_accent_insensitive_search")]

    dependencies = []
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
