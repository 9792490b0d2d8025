import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from workforce.models import Membership, Organisation


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Leeds Health Visiting", kind="nhs", nation="england", region="yorkshire_humber"
    )


def test_region_must_lie_in_the_nation(organisation):
    organisation.nation = "wales"
    with pytest.raises(ValidationError) as err:
        organisation.full_clean()
    assert list(err.value.message_dict) == ["region"]


def test_only_one_current_membership_per_person_and_organisation(organisation, practitioner):
    Membership.objects.create(user=practitioner, organisation=organisation, status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=practitioner, organisation=organisation)


def test_someone_who_left_can_join_again(organisation, practitioner):
    Membership.objects.create(user=practitioner, organisation=organisation, status="left")
    again = Membership.objects.create(user=practitioner, organisation=organisation)
    assert again.status == Membership.Status.REQUESTED
    assert organisation.consent_scope == f"organisation:{organisation.pk}"
