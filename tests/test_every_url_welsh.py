"""Every page of the every-URL table, read in Welsh: no English left but names.

For each URL of ``tests.test_every_url.ACCESS`` that some role can GET, the first such
role asks for it with the language cookie set to Welsh. The page must say
``<html lang="cy">``, and its visible text (and the labels a screen reader reads:
``aria-label``, ``alt``, ``title``, ``placeholder``) must hold no English word.

An English word is one the project's English uses (the catalogue's msgids and the
framework's English wording) and its Welsh never does (the msgstrs and the framework's
Welsh), so the test needs no word list of its own and words both languages share
("data", "e-bost"…) never count. Text people typed (names, organisations, course titles,
evidence, stored messages) is theirs and is not checked; nor is a fragment marked with
a ``lang`` other than Welsh, such as the switcher's "English".
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.urls import reverse

from imhcf.bilingual import TRANSLATED, welsh_field
from imhcf.management.commands.translations_merge import PO_PATH
from tests import test_every_url
from tests.test_every_url import ACCESS, ROLES, URLS, _client, _url_for

# The every-URL table's world of objects, built once for this module too.
world = test_every_url.world

# Proper nouns and abbreviations that are the same in Welsh.
ALLOWED = {
    "imhcf",
    "imhrr",
    "aimh",
    "nhs",
    "nmc",
    "hcpc",
    "psa",
    "csv",
    "xlsx",
    "json",
    "pdf",
    "docx",
    "odt",
    "png",
    "jpeg",
    "totp",
    "uk",
    "gdpr",
    "api",
    "url",
    "jwt",
    "qr",
    "openapi",
    "json-ld",
    "open",
    "badges",
}
WORD = re.compile(r"[A-Za-zÀ-ÿŵŷŴŶ']{3,}")
SKIP_TAGS = {"script", "style", "template", "noscript"}
LABELS = ("aria-label", "alt", "title", "placeholder")


def _words(text: str) -> set[str]:
    return {w.strip("'").casefold() for w in WORD.findall(text) if len(w.strip("'")) >= 3}


def _fixture_texts(welsh: bool) -> list[str]:
    texts = []
    for name in ("framework.json", "glossary.json"):
        for record in json.loads((Path(settings.FIXTURE_DIRS[0]) / name).read_text("utf-8")):
            for field in TRANSLATED.get(record["model"].split(".")[1], ()):
                texts.append(record["fields"].get(welsh_field(field) if welsh else field, ""))
    return texts


def _people_typed() -> set[str]:
    """Words of everything stored outside the framework: what people typed, not the UI."""
    words: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in ("imhcf", "sessions", "contenttypes", "auth", "admin"):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                words |= _words(" ".join(str(v) for v in row if v))
    return words


def _framework_in_welsh(version_ids) -> None:
    """The world's framework is the test factory's, in English only: give it Welsh, as the
    shipped one has (tests/imhcf/test_fixtures.py checks that), so its pages are read in
    Welsh too."""
    from imhcf.models import Competency, Domain, FrameworkVersion, GlossaryTerm, Level, Statement

    FrameworkVersion.objects.filter(pk__in=version_ids).update(
        name_cy="Fersiwn", core_competency_name_cy="Meddylfryd", core_competency_text_cy="Meddwl."
    )
    Level.objects.filter(version__in=version_ids).update(
        name_cy="Gwybod", meaning_cy="Ystyr.", audience_cy="Ymarferwyr."
    )
    Domain.objects.filter(version__in=version_ids).update(name_cy="Parth", summary_cy="Crynodeb.")
    Competency.objects.filter(domain__version__in=version_ids).update(title_cy="Cymhwysedd")
    Statement.objects.filter(competency__domain__version__in=version_ids).update(
        text_cy="Datganiad ar gyfer y lefel hon."
    )
    GlossaryTerm.objects.filter(version__in=version_ids).update(
        term_cy="Gair", definition_cy="Diffiniad."
    )


def _library_catalogues() -> list[polib.POFile]:
    """Django's Welsh catalogue (English msgids, Welsh msgstrs) and allauth's English one."""
    import allauth
    import django

    return [
        polib.pofile(str(Path(django.__file__).parent / "conf/locale/cy/LC_MESSAGES/django.po")),
        polib.pofile(str(Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po")),
    ]


@pytest.fixture(scope="module")
def english_words(world, django_db_blocker) -> set[str]:
    from imhcf.models import FrameworkVersion

    with django_db_blocker.unblock():
        _framework_in_welsh(list(FrameworkVersion.objects.values_list("pk", flat=True)))
    cache.clear()  # glossary marking is cached per version and language
    po = polib.pofile(str(PO_PATH))
    english = set().union(*(_words(e.msgid + " " + (e.msgid_plural or "")) for e in po))
    # The English of Django and allauth too, whose words reach pages through their own code.
    for other in _library_catalogues():
        english |= set().union(*(_words(e.msgid + " " + (e.msgid_plural or "")) for e in other))
    english |= set().union(*map(_words, _fixture_texts(welsh=False)))
    welsh = set().union(*(_words(e.msgstr + " " + " ".join(e.msgstr_plural.values())) for e in po))
    welsh |= set().union(*map(_words, _fixture_texts(welsh=True)))
    django_welsh = _library_catalogues()[0]
    welsh |= set().union(
        *(_words(e.msgstr + " " + " ".join(e.msgstr_plural.values())) for e in django_welsh)
    )
    with django_db_blocker.unblock():
        typed = _people_typed()
    return english - welsh - typed - ALLOWED


class _VisibleText(HTMLParser):
    """Text a reader sees or hears, leaving out fragments marked as another language."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []
        self.html_lang = ""

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang", "")
        lang = attrs.get("lang")
        # The page's own language is checked on its own; inside it, another language is skipped.
        other = tag != "html" and lang is not None and not lang.startswith("cy")
        skipped = tag in SKIP_TAGS or other
        skipped = skipped or attrs.get("hidden") is not None or attrs.get("type") == "hidden"
        if not (skipped or self._skipping()):
            self.parts += [attrs[name] for name in LABELS if attrs.get(name)]
            if tag in ("input", "button") and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def _first_reader(access) -> str | None:
    for role in ("anonymous", "practitioner", *ROLES):
        if access.get[ROLES.index(role)] == 200:
            return role
    return None


def _cases() -> list:
    return [
        pytest.param(name, id=name)
        for name, access in ACCESS.items()
        if name in URLS and _first_reader(access) is not None
    ]


# allauth's pages as the site shows them (outside the every-URL table: allauth's own views).
ALLAUTH_PAGES = {
    "account_login": "anonymous",
    "account_signup": "anonymous",
    "account_reset_password": "anonymous",
    "account_reset_password_done": "anonymous",
    "account_email_verification_sent": "anonymous",
    "account_email": "practitioner",
    "account_change_password": "practitioner",
    "mfa_index": "practitioner",
}


def _english_left(response, english_words) -> tuple[str, list[str]]:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    found = sorted(_words(" ".join(parser.parts)) & english_words)
    return parser.html_lang, found


def _read_in_welsh(world, role: str, path: str):
    client = _client(world, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client.get(path)


@pytest.mark.parametrize("name", _cases())
def test_page_reads_in_welsh(world, db, english_words, name):
    access = ACCESS[name]
    response = _read_in_welsh(world, _first_reader(access), _url_for(world, name, access))
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        pytest.skip("not a page: a download or data")
    lang, english = _english_left(response, english_words)
    # A fragment for htmx has no <html> of its own.
    assert lang == "cy" or (not lang and "<html" not in response.content.decode())
    assert not english, f"English words on {name} in Welsh: {', '.join(english)}"


@pytest.mark.parametrize(("name", "role"), ALLAUTH_PAGES.items())
def test_allauth_page_reads_in_welsh(world, db, english_words, name, role):
    response = _read_in_welsh(world, role, reverse(name))
    assert response.status_code == 200
    lang, english = _english_left(response, english_words)
    assert lang == "cy"
    assert not english, f"English words on {name} in Welsh: {', '.join(english)}"


def test_the_check_finds_english(world, db, english_words):
    """The detector itself: the English page has the words the Welsh one must not."""
    response = _client(world, "anonymous").get(reverse("framework"))
    _lang, english = _english_left(response, english_words)
    assert "glossary" in english and len(english) > 20, english
