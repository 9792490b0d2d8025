"""Course mappings follow a new framework edition by stable key; reworded ones are flagged."""

import pytest
from django.urls import reverse

from imhcf.models import FrameworkVersion
from tests.selfassess.conftest import publish_next_version
from tests.training.helpers import make_course, statements_of
from training import services
from training.models import CourseMapping

pytestmark = pytest.mark.django_db


def test_mappings_are_carried_and_reworded_ones_flagged(
    provider, provider_staff, provider_client, version, admin_user
):
    mapped = statements_of(version, 3)
    course = make_course(provider, provider_staff, mapped, reviewed=True)
    # The first statement is reworded in substance, the second only in case and punctuation.
    draft = publish_next_version(
        version,
        reword=[(mapped[0].competency.code, mapped[0].level)],
        punctuate=[(mapped[1].competency.code, mapped[1].level)],
    )

    assert services.course_mappings_carry() == 1
    assert services.course_mappings_carry() == 0  # nothing left to carry
    rows = {
        m.statement.key: m
        for m in CourseMapping.objects.filter(course=course).select_related("statement__competency")
    }
    assert all(m.statement.competency.domain.version_id == draft.pk for m in rows.values())
    assert [k for k, m in rows.items() if m.needs_check] == [mapped[0].key]
    assert rows[mapped[0].key].previous_text == mapped[0].text
    assert rows[mapped[0].key].statement.text.startswith("Reworded")
    event = course.events.get(action="carry")
    assert event.detail["flagged"] == [mapped[0].key]

    page = provider_client.get(reverse("training:provider_course", args=[course.pk]))
    assert "changed this statement" in page.content.decode()
    provider_client.post(reverse("training:mapping_confirm", args=[rows[mapped[0].key].pk]))
    assert not CourseMapping.objects.filter(course=course, needs_check=True).exists()
    assert FrameworkVersion.objects.get(pk=version.pk).status == FrameworkVersion.Status.RETIRED
