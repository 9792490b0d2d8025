"""The only code that changes the framework: ``wording`` (edits, additions, removals)
and ``versions`` (start a draft, publish, discard); and ``workers``, the background
worker's heartbeat.

The names below are each defined once, in their module; this list is the
package's front door so callers write ``services.version_publish(...)``.
"""

from imhcf.services.versions import (
    version_check_start_draft,
    version_discard,
    version_publish,
    version_publish_problems,
    version_start_draft,
)
from imhcf.services.wording import (
    DOMAIN_NUMBERS,
    LEVEL_NUMBERS,
    WORDING_FIELDS,
    competency_create,
    competency_delete,
    forms_normalised,
    glossary_term_create,
    glossary_term_delete,
    normalise_wording,
    statement_create,
    statement_delete,
    version_id_of,
    wording_update,
)
from imhcf.services.workers import worker_heartbeat_record

__all__ = [
    "DOMAIN_NUMBERS",
    "LEVEL_NUMBERS",
    "WORDING_FIELDS",
    "competency_create",
    "competency_delete",
    "forms_normalised",
    "glossary_term_create",
    "glossary_term_delete",
    "normalise_wording",
    "statement_create",
    "statement_delete",
    "version_check_start_draft",
    "version_discard",
    "version_id_of",
    "version_publish",
    "version_publish_problems",
    "version_start_draft",
    "wording_update",
    "worker_heartbeat_record",
]
