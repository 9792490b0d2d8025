"""The grid and overview show evidence, counted by stable key, from the evidence app."""

import pytest
from django.urls import reverse

from evidence.models import EvidenceLink
from imhcf.models import Statement
from selfassess.models import Rating
from tests.evidence.factories import EvidenceItemFactory
from tests.register.helpers import make_profile


@pytest.fixture
def assessed(practitioner, practitioner_client, shipped_framework):
    make_profile(practitioner)
    practitioner_client.post(reverse("selfassess:start"))
    return practitioner.self_assessments.get()


def _statement(code, level):
    return Statement.objects.get(competency__code=code, level=level)


def test_grid_cell_shows_count_and_links_to_attach(practitioner, practitioner_client, assessed):
    statement = _statement("1.01", 1)
    for _ in range(2):
        EvidenceLink.objects.create(
            item=EvidenceItemFactory(owner=practitioner), statement=statement
        )
    html = practitioner_client.get(reverse("selfassess:grid", args=[1])).content.decode()
    cell = html.split(f'id="ev-{statement.pk}"', 1)[1].split("</p>", 1)[0]
    assert "2 items" in cell
    assert reverse("evidence:attach", args=[statement.pk]) in cell
    other = _statement("1.02", 1)
    other_cell = html.split(f'id="ev-{other.pk}"', 1)[1].split("</p>", 1)[0]
    assert "none yet" in other_cell


def test_other_peoples_evidence_never_counts(practitioner_client, other_practitioner, assessed):
    statement = _statement("1.01", 1)
    EvidenceLink.objects.create(
        item=EvidenceItemFactory(owner=other_practitioner), statement=statement
    )
    html = practitioner_client.get(reverse("selfassess:grid", args=[1])).content.decode()
    assert "none yet" in html.split(f'id="ev-{statement.pk}"', 1)[1].split("</p>", 1)[0]


def test_overview_flags_achieved_statements_without_evidence(
    practitioner, practitioner_client, assessed
):
    with_evidence, without = _statement("2.01", 1), _statement("2.02", 1)
    Rating.objects.filter(assessment=assessed, statement__in=[with_evidence, without]).update(
        value=Rating.Value.ACHIEVED
    )
    EvidenceLink.objects.create(
        item=EvidenceItemFactory(owner=practitioner), statement=with_evidence
    )
    html = practitioner_client.get(reverse("selfassess:overview")).content.decode()
    section = html.split('id="unevidenced-title"', 1)[1].split("</section>", 1)[0]
    assert "1 statement rated Achieved has no evidence yet" in section
    assert reverse("evidence:attach", args=[without.pk]) in section
    assert reverse("evidence:attach", args=[with_evidence.pk]) not in section
