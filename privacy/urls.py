"""Data rights URLs, mounted at the site root."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data/export/", views.export_create, name="export_create"),
    path("account/my-data/close/", views.erasure_create, name="erasure_create"),
    path("account/my-data/close/cancel/", views.erasure_cancel, name="erasure_cancel"),
    path("staff/data-requests/", views.staff_requests, name="staff_requests"),
    path(
        "staff/data-requests/<int:pk>/download/",
        views.staff_export_download,
        name="staff_export_download",
    ),
]
