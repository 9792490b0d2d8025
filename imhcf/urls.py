from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from imhcf import bench_views, views
from imhcf.routes import named

# The admin signs in through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "IMHCF Register administration"
admin.site.site_title = "IMHCF Register"

urlpatterns = [
    named("", views.home),
    named("healthz", views.healthz),
    named("framework/", views.framework),
    named("framework/domains/<int:number>/", views.framework_domain),
    named("framework/glossary/", views.framework_glossary),
    named("framework/download.json", views.framework_download_json),
    named("framework/download.csv", views.framework_download_csv),
    # The language switcher on every page posts here (Django's view; the account remembers it).
    named("i18n/setlang/", accounts_views.set_language),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("assessment/", include("selfassess.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("credentials.urls")),
    path("", include("privacy.urls")),
    path("", include("register.urls")),
    path("", include("workforce.urls")),
    path("", include("training.urls")),
    path("admin/", admin.site.urls),
]

if settings.IMHCF_BENCH_ENDPOINTS:
    urlpatterns += [
        path("bench/trivial", bench_views.trivial),
        path("bench/trivial-post", bench_views.trivial_post),
    ]
