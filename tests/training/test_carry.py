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


def test_publishing_an_edition_carries_mappings_at_once_and_says_how_many_courses(
    provider, provider_staff, framework_editor, settings, django_capture_on_commit_callbacks
):
    from imhcf import extensions
    from imhcf import services as framework_services
    from imhcf.models import Statement
    from tests.factories import build_framework

    settings.CELERY_TASK_ALWAYS_EAGER = True
    published = build_framework(competencies_per_domain=2, name="IMHCF 2025")
    mapped = statements_of(published, 2)
    course = make_course(provider, provider_staff, mapped, reviewed=True)
    draft = framework_services.version_start_draft(
        source=published, name="IMHCF 2026", user=framework_editor
    )
    reworded = Statement.objects.get(competency__domain__version=draft, predecessor=mapped[0])
    reworded.text = "A different description of what the practitioner does."
    reworded.save()

    assert any(
        "1 training course is mapped" in line for line in extensions.impact_of([mapped[0].pk])
    )
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.version_publish(version=draft, user=framework_editor)

    rows = list(CourseMapping.objects.filter(course=course).select_related("statement"))
    assert {m.statement.competency.domain.version_id for m in rows} == {draft.pk}
    assert [m.needs_check for m in sorted(rows, key=lambda m: m.statement.level)] == [True, False]
