"""A start-up check: production must be able to read its signing key."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def signing_key_readable(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    from credentials.keys import _read_key_text, parse_private_key

    try:
        parse_private_key(_read_key_text())
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="credentials.E001")]
    return []
