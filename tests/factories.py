"""factory_boy factories shared by every test package."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from imhcf import models as fw

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary address, as allauth leaves it after confirmation."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)
        if create:
            obj.save()

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        for name in extracted or []:
            obj.groups.add(Group.objects.get_or_create(name=name)[0])


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fw.FrameworkVersion

    name = factory.Sequence(lambda n: f"Test edition {n}")
    status = fw.FrameworkVersion.Status.PUBLISHED
    core_competency_name = "The infant mental health frame of mind"
    core_competency_text = "Keeping the baby's experience in mind alongside the parent's."


# A health visitor in England's public sector; tests name what differs.
PROFILE = {
    "role": "health_visitor",
    "service_setting": "universal",
    "sector": "public",
    "organisation": "Riverside Health Visiting",
    "nation": "england",
    "region": "london",
    "target_level": 1,
}


def make_profile(user, **fields):
    """The self-assessment profile of ``user``: ``PROFILE`` with ``fields`` changed."""
    from selfassess.models import Profile

    return Profile.objects.update_or_create(user=user, defaults={**PROFILE, **fields})[0]


class _NumberedInVersion(factory.django.DjangoModelFactory):
    """Levels and domains: numbered within a version, named after their number."""

    class Meta:
        abstract = True

    version = factory.SubFactory(FrameworkVersionFactory)
    number = 1


class LevelFactory(_NumberedInVersion):
    class Meta:
        model = fw.Level

    name = factory.LazyAttribute(lambda o: f"Level {o.number}")
    meaning = "What this level means."
    audience = "Who this level is for."


class DomainFactory(_NumberedInVersion):
    class Meta:
        model = fw.Domain

    name = factory.LazyAttribute(lambda o: f"Domain {o.number}")
    summary = "A summary of the domain."


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fw.Competency

    domain = factory.SubFactory(DomainFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.domain.number}.{o.order:02d}")
    title = factory.LazyAttribute(lambda o: f"Competency {o.code}")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fw.Statement

    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    text = factory.LazyAttribute(lambda o: f"Statement {o.competency.code} at level {o.level}.")


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fw.GlossaryTerm

    version = factory.SubFactory(FrameworkVersionFactory)
    term = factory.Sequence(lambda n: f"term{n}")
    slug = factory.LazyAttribute(lambda o: o.term.lower().replace(" ", "-"))
    definition = "A definition."


def build_framework(
    *, domains: int = 7, competencies_per_domain: int = 3, status="published", name=None
) -> fw.FrameworkVersion:
    """A complete framework version of any size, made with bulk writes.

    Used for query budgets: a page's query count must not change between the
    shipped framework and a generated one many times its size.
    """
    version = FrameworkVersionFactory(status=status, **({"name": name} if name else {}))
    fw.Level.objects.bulk_create(
        fw.Level(version=version, number=n, name=f"Level {n}", meaning="m", audience="a")
        for n in (1, 2, 3)
    )
    domain_rows = fw.Domain.objects.bulk_create(
        fw.Domain(version=version, number=n, name=f"Domain {n}", summary="s")
        for n in range(1, domains + 1)
    )
    competencies = fw.Competency.objects.bulk_create(
        fw.Competency(domain=d, code=f"{d.number}.{i:02d}", title=f"Competency {i}", order=i)
        for d in domain_rows
        for i in range(1, competencies_per_domain + 1)
    )
    fw.Statement.objects.bulk_create(
        fw.Statement(competency=c, level=lvl, text=f"Statement {c.code} level {lvl}.")
        for c in competencies
        for lvl in (1, 2, 3)
    )
    return version


def framework_with_attunement(
    definition: str = "Being in tune with the baby.",
) -> fw.FrameworkVersion:
    """A small published framework, "IMHCF 2025", whose glossary defines attunement."""
    version = build_framework(competencies_per_domain=2, name="IMHCF 2025")
    GlossaryTermFactory(
        version=version,
        term="Attunement",
        slug="attunement",
        definition=definition,
        forms="attuned\nattuning",
    )
    return version
