"""The statement picker's exact search (level, domain, code) and its note on wide items."""

import pytest
from django.urls import reverse

from evidence.models import EvidenceLink
from imhcf.models import Statement
from tests.evidence.factories import EvidenceItemFactory
from tests.evidence.test_links import li_for, picker_url


@pytest.fixture
def item(practitioner):
    return EvidenceItemFactory(owner=practitioner, title="Video feedback course")


# Searching exactly by level, domain and code ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level 1", {1}),
        ("L2", {2}),
        ("d3 L3", {3}),
        ("3.04", {1, 2, 3}),
        ("3.04/L2", {2}),
    ],
)
def test_picker_filters_exactly_by_level_domain_and_code(
    practitioner_client, item, shipped_framework, query, expected
):
    body = practitioner_client.get(picker_url(item), {"q": query}).content.decode()
    shown = [
        s
        for s in Statement.objects.filter(
            competency__domain__version=shipped_framework
        ).select_related("competency")
        if " hidden>" not in li_for(body, s)
    ]
    assert {s.level for s in shown} == expected
    if query.startswith("d3"):
        assert {s.competency.code[0] for s in shown} == {"3"}
    if query.startswith("3.04"):
        assert {s.competency.code for s in shown} == {"3.04"}


def test_one_item_for_many_statements_is_pointed_out_gently(
    practitioner_client, item, shipped_framework, settings
):
    settings.IMHCF_EVIDENCE_WIDE_LINKS = 2
    statements = Statement.objects.filter(competency__domain__version=shipped_framework)[:3]
    EvidenceLink.objects.bulk_create(EvidenceLink(item=item, statement=s) for s in statements)
    html = practitioner_client.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "This item is the evidence for 3 statements." in html
    picker = practitioner_client.get(picker_url(item)).content.decode()
    assert 'data-wide="2">' in picker
    assert "This item would be the evidence for 3 statements." in picker
