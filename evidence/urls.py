from django.urls import path

from evidence.views import cpd, documents, downloads, items

app_name = "evidence"

urlpatterns = [
    path("files/<int:pk>/download/", downloads.evidence_file_download, name="file_download"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", documents.document_status, name="document_status"),
    path("documents/<int:pk>/retry/", documents.document_retry, name="document_retry"),
    path("documents/<int:pk>/download/", downloads.document_download, name="document_download"),
    # The evidence and CPD pages practitioners use.
    path("", items.evidence_list, name="list"),
    path("new/", items.item_create, name="item_create"),
    path("<int:pk>/", items.item_detail, name="item_detail"),
    path("<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("<int:pk>/delete/", items.item_delete, name="item_delete"),
    path("<int:pk>/files/", items.file_upload, name="file_upload"),
    path("files/<int:pk>/delete/", items.file_delete, name="file_delete"),
    path("<int:pk>/statements/", items.item_statements, name="item_statements"),
    path("attach/<int:statement_id>/", items.attach_to_statement, name="attach"),
    path("cpd/", cpd.cpd_page, name="cpd"),
    path("cpd/record/", cpd.cpd_record_request, name="cpd_record_request"),
]
