"""The tidied translation catalogues answer every lookup as Django's own would."""

import pytest
from django.utils.translation import trans_real

from imhcf.translation_catalogues import tidy


def _fresh(code):
    return trans_real.DjangoTranslation(code)


def _messages(translation):
    keys, fallback = set(translation._catalog.keys()), translation._fallback
    while fallback is not None:
        keys |= set(fallback._catalog.keys()) if hasattr(fallback, "_catalog") else set()
        fallback = fallback._fallback
    return keys


@pytest.mark.parametrize("code", ["en-gb", "cy"])
def test_tidied_catalogues_give_the_same_translations(code):
    django_own, tidied = _fresh(code), _fresh(code)
    tidy(tidied)
    singular = {key for key in _messages(django_own) if isinstance(key, str) and key}
    plural = {key[0] for key in _messages(django_own) if isinstance(key, tuple)}
    assert singular and plural
    for message in [*singular, "A message nobody translated"]:
        assert tidied.gettext(message) == django_own.gettext(message), message
    for message in plural:
        for n in (0, 1, 2, 3, 6, 11):
            assert tidied.ngettext(message, message, n) == django_own.ngettext(
                message, message, n
            ), (message, n)


def test_english_has_one_catalogue_and_no_empty_fallbacks():
    english = _fresh("en-gb")
    tidy(english)
    assert len(english._catalog._catalogs) == 1
    assert english._fallback is None
