"""Fixtures for the self-assessment tests: a framework, profiles, assessments."""

import pytest

from selfassess import services
from selfassess.models import Profile
from tests import factories
from tests.factories import build_framework


def make_profile(user, target_level: int = 2) -> Profile:
    """The self-assessment tests' practitioner aims at Level 2, in the North East."""
    return factories.make_profile(
        user, organisation="Northshire NHS Trust", region="north_east", target_level=target_level
    )


@pytest.fixture
def profile(practitioner):
    return make_profile(practitioner)


@pytest.fixture
def other_profile(other_practitioner):
    return make_profile(other_practitioner)


@pytest.fixture
def assessment(framework, profile, practitioner):
    return services.assessment_start(user=practitioner)


@pytest.fixture
def other_assessment(framework, other_profile, other_practitioner):
    return services.assessment_start(user=other_practitioner)


@pytest.fixture(params=["shipped", "generated"])
def sized_framework(request, db):
    """The shipped framework (about 63 competencies), then one of 210: budgets must match."""
    if request.param == "shipped":
        return request.getfixturevalue("shipped_framework")
    return build_framework(domains=7, competencies_per_domain=30)


def rate(assessment, values: dict[tuple[str, int], str]) -> None:
    """Set ratings by stable key through the service, as a practitioner would."""
    ratings = {
        (r.statement.competency.code, r.statement.level): r
        for r in assessment.ratings.select_related("statement__competency")
    }
    for key, value in values.items():
        rating = ratings[key]
        services.rating_save(rating=rating, value=value, note="", revision=rating.revision)


def rating_for(assessment, code: str, level: int):
    return assessment.ratings.select_related("statement__competency").get(
        statement__competency__code=code, statement__level=level
    )


def publish_next_version(version, *, reword=(), punctuate=(), renumber=None, name=None):
    """Copy ``version`` into a new published one, as an editor would, and retire the old.

    Each statement links to its predecessor. ``reword`` lists stable keys whose
    wording changes in substance, ``punctuate`` keys that change only in
    punctuation and case, and ``renumber`` maps an old competency code to a new
    one (the predecessor link still ties them).
    """
    from imhcf import models as fw

    renumber = renumber or {}
    version.status = fw.FrameworkVersion.Status.RETIRED
    version.save(update_fields=["status"])
    new = fw.FrameworkVersion.objects.create(
        name=name or f"{version.name} (next)",
        status=fw.FrameworkVersion.Status.PUBLISHED,
        based_on=version,
        core_competency_name=version.core_competency_name,
        core_competency_text=version.core_competency_text,
    )
    fw.Level.objects.bulk_create(
        fw.Level(
            version=new, number=lv.number, name=lv.name, meaning=lv.meaning, audience=lv.audience
        )
        for lv in version.levels.all()
    )
    for domain in version.domains.prefetch_related("competencies__statements"):
        new_domain = fw.Domain.objects.create(
            version=new, number=domain.number, name=domain.name, summary=domain.summary
        )
        for competency in domain.competencies.all():
            code = renumber.get(competency.code, competency.code)
            new_competency = fw.Competency.objects.create(
                domain=new_domain, code=code, title=competency.title, order=competency.order
            )
            for statement in competency.statements.all():
                key = (competency.code, statement.level)
                text = statement.text
                if key in reword:
                    text = f"Reworded: {text} With a new clause."
                elif key in punctuate:
                    text = text.upper().rstrip(".") + "!"
                fw.Statement.objects.create(
                    competency=new_competency,
                    level=statement.level,
                    text=text,
                    predecessor=statement,
                )
    for term in version.glossary_terms.all():
        fw.GlossaryTerm.objects.create(
            version=new, term=term.term, slug=term.slug, definition=term.definition
        )
    return new


def messages_of(response) -> str:
    """Every flash message queued by ``response``, as one string."""
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# Saving one rating from the grid: session, user, rating + assessment + statement (scoped to
# the user), savepoint, lock the assessment, conditional update, release savepoint, the domain's
# ratings for the refreshed figures.
RATING_SAVE_QUERIES = 8


def save_rating_within_budget(client, rating, django_assert_num_queries) -> str:
    """Marks ``rating`` achieved as the grid does (htmx), within ``RATING_SAVE_QUERIES``; the
    save answers 200 and this returns what it answered."""
    with django_assert_num_queries(RATING_SAVE_QUERIES):
        response = client.post(
            f"/assessment/ratings/{rating.pk}/",
            {"value": "achieved", "note": "", "revision": rating.revision},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    return response.content.decode()
