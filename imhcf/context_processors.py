from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from accounts.roles import is_admin, is_reviewer
from imhcf.fragments import kept
from imhcf.health import worker_status

# The addresses base.html and its menus link to, the same on every page: reversed
# once per process, language and script prefix (imhcf.fragments.kept), not on each
# page. Templates read them as urls.<name>, with ':' written '_'.
SITE_URL_NAMES = (
    "home",
    "framework",
    "framework_glossary",
    "framework_download_json",
    "framework_download_csv",
    "register:search",
    "training:catalogue",
    "privacy:notice",
    "privacy:my_data",
    "set_language",
    "account_email",
    "account_logout",
    "account_login",
    "account_signup",
    "dashboard:home",
    "selfassess:overview",
    "evidence:list",
    "evidence:cpd",
    "register:my_applications",
    "workforce:mine",
    "register:review_queue",
    "training:staff_queue",
    "register:staff_applications",
)


def _site_urls() -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in SITE_URL_NAMES}


def site(request):
    user = getattr(request, "user", None)

    def roles():
        # Lazy: pages that never show role links never query the user's groups.
        if user is None or not user.is_authenticated:
            return {"reviewer": False, "admin": False}
        return {"reviewer": is_reviewer(user), "admin": is_admin(user)}

    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Each language named in itself, for the switcher: not translated on purpose.
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "roles": SimpleLazyObject(roles),
        # Lazy too: only the staff pages show it, and only they pay its query.
        "worker_status": SimpleLazyObject(worker_status),
        "urls": kept(("site urls", urlconf, get_script_prefix()), _site_urls),
    }
