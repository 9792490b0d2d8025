from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import is_admin, is_reviewer
from imhcf.health import worker_status


def site(request):
    user = getattr(request, "user", None)

    def roles():
        # Lazy: pages that never show role links never query the user's groups.
        if user is None or not user.is_authenticated:
            return {"reviewer": False, "admin": False}
        return {"reviewer": is_reviewer(user), "admin": is_admin(user)}

    return {
        "SITE_NAME": settings.SITE_NAME,
        # Each language named in itself, for the switcher: not translated on purpose.
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "roles": SimpleLazyObject(roles),
        # Lazy too: only the staff pages show it, and only they pay its query.
        "worker_status": SimpleLazyObject(worker_status),
    }
