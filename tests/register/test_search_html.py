"""The search page's Python-built fields and rows are byte for byte what the templates gave."""

from __future__ import annotations

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template.loader import render_to_string
from django.utils import translation

from register.forms_public import RegisterSearchForm
from register.models import RegisterEntry
from register.search_html import result_rows, search_fields
from register.selectors import public as selectors
from tests.register.public_factories import make_entry

E = RegisterEntry.Status

FORM_DATA = [
    None,
    {"q": ""},
    {"q": "smith", "region": "london", "level": "2"},
    {"q": "\"'><b>&amp;</b>", "region": "", "level": ""},
    {"q": "IMH-12", "region": "atlantis", "level": "two"},
    {"q": "a" * 150, "region": "ni_belfast", "level": "9"},
    {"region": "wales_north", "level": " 2"},
]


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("data", FORM_DATA)
def test_search_fields_are_what_crispy_renders(language, data):
    with translation.override(language):
        for _twice in range(2):  # the second time the selects come from the store
            fields = search_fields(RegisterSearchForm(data))
            for name in ("q", "region", "level"):
                assert fields[name] == as_crispy_field(RegisterSearchForm(data)[name])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_result_rows_are_what_the_row_template_renders(language):
    make_entry(name="Ann <b>O'Neill</b> & Co", level=2, region="ni_belfast")
    make_entry(name="Ann Suspended", status=E.SUSPENDED, restriction="Under <i>supervision</i>.")
    make_entry(name="Ann Conditions", level=3, restriction="Only with\na supervisor.")
    make_entry(name="Ann Suspended Plain", status=E.SUSPENDED)
    welsh = make_entry(name="Ann Welsh", restriction="With a supervisor & <b>notes</b>.")
    RegisterEntry.objects.filter(pk=welsh.pk).update(
        restriction_cy="Gyda goruchwyliwr.\r\nYn unig."
    )
    make_entry(name="Ann Plain", level=1, region="wales_mid_west")
    with translation.override(language):
        entries = selectors.search_page(name="ann", region="", level=None).object_list
        expected = "".join(
            render_to_string("register/public/_result.html", {"entry": entry}) for entry in entries
        )
        assert len(entries) == 6
        assert result_rows(entries) == expected
