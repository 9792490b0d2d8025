"""Credential URLs, mounted at the site root before the register's.

``register/verify/credential/`` must come before the register's
``register/verify/<number>/``, which would otherwise read "credential" as a number.
"""

from django.urls import path

from credentials import views
from imhcf.routes import named

app_name = "credentials"

urlpatterns = [
    named(".well-known/jwks.json", views.jwks),
    named("register/credentials/issuer/", views.issuer),
    named("register/credentials/status/", views.status_list),
    named("register/credentials/achievements/<int:version>/level-<int:level>/", views.achievement),
    path("register/verify/credential/", views.verify_credential, name="verify"),
    named("register/entries/<int:pk>/credential.jwt", views.download_jwt),
    named("register/entries/<int:pk>/credential.json", views.download_json),
]
