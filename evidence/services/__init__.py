"""Every change to evidence, files and background documents goes through these modules:
``items`` (items, links, files) and ``documents`` (the background document pipeline).
This is their front door (README, "Architecture").
"""

from evidence.services.documents import (
    document_fail,
    document_render,
    document_request,
    document_retry,
    documents_sweep,
)
from evidence.services.items import (
    CONFIRMED_FIELDS,
    ITEM_FIELDS,
    JUSTIFICATION_MAX_LENGTH,
    delete_stored_after_commit,
    evidence_attendance_confirm,
    evidence_file_add,
    evidence_file_delete,
    evidence_item_create,
    evidence_item_delete,
    evidence_item_update,
    evidence_links_add,
    evidence_links_set,
    evidence_statement_attach,
    storage_used_by,
)

__all__ = [
    "CONFIRMED_FIELDS",
    "ITEM_FIELDS",
    "JUSTIFICATION_MAX_LENGTH",
    "delete_stored_after_commit",
    "document_fail",
    "document_render",
    "document_request",
    "document_retry",
    "documents_sweep",
    "evidence_attendance_confirm",
    "evidence_file_add",
    "evidence_file_delete",
    "evidence_item_create",
    "evidence_item_delete",
    "evidence_item_update",
    "evidence_links_add",
    "evidence_links_set",
    "evidence_statement_attach",
    "storage_used_by",
]
