"""Credential URLs, mounted at the site root before the register's.

``register/verify/credential/`` must come before the register's
``register/verify/<number>/``, which would otherwise read "credential" as a number.
"""

from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("register/credentials/issuer/", views.issuer, name="issuer"),
    path("register/credentials/status/", views.status_list, name="status_list"),
    path(
        "register/credentials/achievements/<int:version>/level-<int:level>/",
        views.achievement,
        name="achievement",
    ),
    path("register/verify/credential/", views.verify_credential, name="verify"),
    path("register/entries/<int:pk>/credential.jwt", views.download_jwt, name="download_jwt"),
    path("register/entries/<int:pk>/credential.json", views.download_json, name="download_json"),
]
