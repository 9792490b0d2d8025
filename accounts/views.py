"""The language switcher's target, ``/i18n/setlang/``."""

from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services import user_language_set


@require_POST
def set_language(request):
    """Django's ``set_language`` (cookie, safe ``next``), and the account remembers it too."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
