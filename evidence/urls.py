from django.urls import path

from evidence.views import cpd, documents, downloads, items
from imhcf.routes import named

app_name = "evidence"

urlpatterns = [
    named("files/<int:pk>/download/", downloads.file_download),
    named("documents/<int:pk>/", documents.document_detail),
    named("documents/<int:pk>/status/", documents.document_status),
    named("documents/<int:pk>/retry/", documents.document_retry),
    named("documents/<int:pk>/download/", downloads.document_download),
    # The evidence and CPD pages practitioners use.
    path("", items.evidence_list, name="list"),
    named("new/", items.item_create),
    named("<int:pk>/", items.item_detail),
    named("<int:pk>/edit/", items.item_edit),
    named("<int:pk>/delete/", items.item_delete),
    named("<int:pk>/files/", items.file_upload),
    named("files/<int:pk>/delete/", items.file_delete),
    named("<int:pk>/statements/", items.item_statements),
    named("attach/<int:statement_id>/", items.attach),
    named("cpd/", cpd.cpd),
    named("cpd/record/", cpd.cpd_record_request),
]
