"""The public catalogue: search by every filter, course pages with the 7 x 3 map, query budgets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from training.models import Course, CourseMapping, CourseSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_courses(provider, provider_staff, version):
    statements = statements_of(version, 36)
    domain_one = [s for s in statements if s.competency.domain.number == 1]
    domain_two = [s for s in statements if s.competency.domain.number == 2]
    attunement = make_course(
        provider,
        provider_staff,
        [s for s in domain_one if s.level == 1],
        title="Attunement in the first year",
        region="north_west",
        starts_on=timezone.localdate() + timedelta(days=10),
    )
    supervision = make_course(
        provider,
        provider_staff,
        [s for s in domain_two if s.level == 3],
        title="Leading reflective supervision",
        mode=Course.Mode.ONLINE,
        region="london",
        starts_on=timezone.localdate() + timedelta(days=60),
        reviewed=True,
    )
    return attunement, supervision


def _titles(response) -> list[str]:
    return [row.course.title for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Attunement in the first year", "Leading reflective supervision"]),
        ("q=attunement", ["Attunement in the first year"]),
        ("q=reflective+LEADING", ["Leading reflective supervision"]),
        ("q=Northern", ["Attunement in the first year", "Leading reflective supervision"]),
        ("domain=2", ["Leading reflective supervision"]),
        ("level=1", ["Attunement in the first year"]),
        ("domain=1&level=3", []),
        ("statement=1.01", ["Attunement in the first year"]),
        ("statement=2.01/L3", ["Leading reflective supervision"]),
        ("statement=2.01/L1", []),
        ("statement=nonsense", []),
        ("region=london", ["Leading reflective supervision"]),
        ("mode=online", ["Leading reflective supervision"]),
        ("mode=in_person", ["Attunement in the first year"]),
    ],
)
def test_catalogue_search(two_courses, query, expected):
    response = Client().get(f"{reverse('training:catalogue')}?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_catalogue_search_by_date(two_courses):
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    after = Client().get(f"{reverse('training:catalogue')}?starts_after={soon}")
    before = Client().get(f"{reverse('training:catalogue')}?starts_before={soon}")
    assert _titles(after) == ["Leading reflective supervision"]
    assert _titles(before) == ["Attunement in the first year"]


def test_unpublished_and_unverified_courses_are_not_public(provider, provider_staff, version):
    draft = make_course(provider, provider_staff, statements_of(version, 2), published=False)
    # Staff withdrew a provider's verification after it had published.
    withdrawn = make_provider("Unchecked Ltd")
    hidden = make_course(withdrawn, make_staff(withdrawn), statements_of(version, 2))
    withdrawn.verified = False
    withdrawn.save()
    client = Client()
    assert _titles(client.get(reverse("training:catalogue"))) == []
    for course in (draft, hidden):
        assert client.get(reverse("training:course", args=[course.pk])).status_code == 404


def test_course_page_shows_the_map_and_whether_the_mapping_was_reviewed(two_courses):
    attunement, supervision = two_courses
    page = Client().get(reverse("training:course", args=[supervision.pk])).content.decode()
    assert "Mapping reviewed" in page
    assert "2.01&nbsp;L3" in page
    assert page.count("Not covered") == 2 * 3 - 1
    other = Client().get(reverse("training:course", args=[attunement.pk])).content.decode()
    assert "Mapping not yet reviewed" in other


def test_a_bad_date_is_a_form_error_not_a_crash(two_courses):
    response = Client().get(f"{reverse('training:catalogue')}?starts_after=9999-99-99")
    assert response.status_code == 400


def _many_courses(provider, version, count: int) -> None:
    """``count`` published courses, each with two sessions and three mappings, in bulk."""
    statements = statements_of(version, 18)
    courses = Course.objects.bulk_create(
        Course(
            provider=provider,
            title=f"Course {n:03d} on attunement",
            summary="Bulk course.",
            mode=Course.Mode.BLENDED,
            hours=Decimal("3"),
            published=True,
            status=Course.Status.REVIEWED,
        )
        for n in range(count)
    )
    today = timezone.localdate()
    CourseSession.objects.bulk_create(
        CourseSession(
            course=c,
            starts_on=today + timedelta(days=n % 90 + d),
            place="Leeds",
            region="yorkshire_humber",
        )
        for n, c in enumerate(courses)
        for d in (1, 100)
    )
    CourseMapping.objects.bulk_create(
        CourseMapping(course=c, statement=statements[(n + k) % len(statements)], note="n")
        for n, c in enumerate(courses)
        for k in range(3)
    )


@pytest.mark.parametrize("count", [5, 500])
def test_catalogue_query_budget(provider, version, count, django_assert_num_queries):
    _many_courses(provider, version, count)
    client = Client()
    # domains for the filter, count, the page of courses + providers,
    # the page's mappings, the page's sessions
    with django_assert_num_queries(5):
        response = client.get(
            f"{reverse('training:catalogue')}?q=attunement&region=yorkshire_humber"
        )
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 20)


@pytest.mark.parametrize("count", [5, 500])
def test_course_page_query_budget(provider, version, count, django_assert_num_queries):
    _many_courses(provider, version, count)
    course = Course.objects.order_by("pk").last()
    client = Client()
    # the course + provider, its mappings + statements, published domains, its sessions
    with django_assert_num_queries(4):
        response = client.get(reverse("training:course", args=[course.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_provider_home_query_budget(
    provider, provider_client, version, count, django_assert_num_queries
):
    _many_courses(provider, version, count)
    # session, user, memberships, MFA check, providers, courses with counts
    with django_assert_num_queries(6):
        response = provider_client.get(reverse("training:provider_home"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_staff_queue_query_budget(
    provider, version, count, admin_client, django_assert_num_queries
):
    _many_courses(provider, version, count)
    Course.objects.update(status=Course.Status.IN_REVIEW)
    # session, user, MFA check, the queue with providers and mapping counts
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("training:staff_queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_my_courses_query_budget(
    provider,
    provider_staff,
    version,
    count,
    practitioner,
    practitioner_client,
    django_assert_num_queries,
):
    from training import services

    _many_courses(provider, version, count)
    for session in CourseSession.objects.order_by("pk")[:3]:
        services.attendance_confirm_emails(
            session=session, user=provider_staff, text=practitioner.email
        )
    # session, user, verified addresses, attendances with sessions, courses and providers,
    # consents, provider memberships
    with django_assert_num_queries(6):
        response = practitioner_client.get(reverse("training:my_courses"))
    assert response.status_code == 200
    assert len(response.context["attendances"]) == 3


@pytest.mark.parametrize(
    ("hours", "shown"), [("1", "1 hour"), ("1.50", "1.5 hours"), ("20", "20 hours")]
)
def test_course_hours_are_written_the_one_way(two_courses, hours, shown):
    attunement, _ = two_courses
    Course.objects.filter(pk=attunement.pk).update(hours=Decimal(hours))

    page = Client().get(reverse("training:course", args=[attunement.pk])).content.decode()
    listing = Client().get(reverse("training:catalogue")).content.decode()

    assert f"· {shown}</p>" in page
    assert f"· {shown}</p>" in listing
    assert "1 hours" not in page + listing and ".50" not in page + listing
