"""PostgreSQL only: public name search's indexes on the stored folded name.

The trigram index serves names containing a word ('%SON%') and words of one
or two letters at a word's start ('% WU%', padded trigrams); the prefix
index (text_pattern_ops, so it serves LIKE 'KI%' whatever the database's
collation) serves a name's first word. They replace 0013's trigram index on
the expression imhcf_fold(display_name), whose every recheck ran unaccent
again. SQLite has neither operator class; there name search reads the table,
which is fine at laptop scale.
"""

from django.db import migrations

from imhcf.migration_helpers import postgresql_only

FORWARD = [
    # fastupdate off: entries change rarely, and a GIN index's pending list (rows
    # inserted since the last vacuum, read in full by every search) made a rare
    # name's lookup read 240 pages instead of 20 after a bulk load.
    "CREATE INDEX IF NOT EXISTS entry_folded_name_trgm_idx "
    "ON register_registerentry USING gin (folded_name gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS entry_folded_name_prefix_idx "
    "ON register_registerentry (folded_name text_pattern_ops)",
    "DROP INDEX IF EXISTS entry_name_fold_trgm_idx",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS entry_name_fold_trgm_idx "
    "ON register_registerentry USING gin (imhcf_fold(display_name) gin_trgm_ops)",
    "DROP INDEX IF EXISTS entry_folded_name_prefix_idx",
    "DROP INDEX IF EXISTS entry_folded_name_trgm_idx",
]


class Migration(migrations.Migration):
    dependencies = [("register", "0016_entry_folded_name")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
