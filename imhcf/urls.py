from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from imhcf import bench_views, views

# The admin signs in through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "IMHCF Register administration"
admin.site.site_title = "IMHCF Register"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("framework/", views.framework_overview, name="framework"),
    path("framework/domains/<int:number>/", views.domain_detail, name="framework_domain"),
    path("framework/glossary/", views.glossary_page, name="framework_glossary"),
    path("framework/download.json", views.download_json, name="framework_download_json"),
    path("framework/download.csv", views.download_csv, name="framework_download_csv"),
    # The language switcher on every page posts here (Django's view; the account remembers it).
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
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
