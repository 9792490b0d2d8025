"""Data rights URLs, mounted at the site root."""

from imhcf.routes import named
from privacy import views

app_name = "privacy"

urlpatterns = [
    named("privacy/", views.notice),
    named("account/my-data/", views.my_data),
    named("account/my-data/export/", views.export_create),
    named("account/my-data/close/", views.erasure_create),
    named("account/my-data/close/cancel/", views.erasure_cancel),
    named("staff/data-requests/", views.staff_requests),
    named("staff/data-requests/<int:pk>/download/", views.staff_export_download),
]
