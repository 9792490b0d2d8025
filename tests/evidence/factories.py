from datetime import date
from decimal import Decimal

import factory

from evidence.models import EvidenceItem, EvidenceLink
from tests.factories import UserFactory


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    owner = factory.SubFactory(UserFactory)
    kind = EvidenceItem.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Attachment workshop {n}")
    start_date = factory.Sequence(lambda n: date(2026, 1, 1 + n % 28))
    hours = Decimal("3.5")
    provider = "Regional IMH network"
    description = "What I learnt and how I will use it."


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceLink

    item = factory.SubFactory(EvidenceItemFactory)
    justification = ""
