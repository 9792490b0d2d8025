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


def test_merging_moves_teams_and_members_but_not_sharing(organisation, practitioner):
    from tests.workforce.helpers import join, make_organisation, share
    from workforce import services
    from workforce.models import Team

    duplicate = make_organisation(name="Leeds HV (duplicate)")
    team = Team.objects.create(organisation=duplicate, name="East")
    join(practitioner, duplicate, team)
    share(practitioner, duplicate)
    invite = services.invite_create(
        organisation=duplicate, team=team, role="member", created_by=practitioner
    )

    services.organisation_merge(duplicate=duplicate, into=organisation)

    duplicate.refresh_from_db()
    invite.refresh_from_db()
    assert duplicate.merged_into == organisation and invite.revoked_at is not None
    assert Membership.objects.get(user=practitioner, status="active").organisation == organisation
    assert Team.objects.get(pk=team.pk).organisation == organisation
    from accounts.selectors import consent_active

    assert consent_active(practitioner, "organisation_sharing", duplicate.consent_scope) is None
    assert consent_active(practitioner, "organisation_sharing", organisation.consent_scope) is None


def test_invite_links_are_signed_expire_and_can_be_withdrawn(organisation, practitioner, client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import UserFactory
    from workforce import services

    invite = services.invite_create(
        organisation=organisation, team=None, role="member", created_by=practitioner
    )
    token = services.invite_token(invite)
    joiner = UserFactory(email="joiner@example.org")
    client.force_login(joiner)

    assert client.get(f"/organisations/invite/{token}/").status_code == 200
    assert client.get(f"/organisations/invite/{token[:-2]}xx/").status_code == 404
    services.invite_revoke(invite=invite)
    assert client.get(f"/organisations/invite/{token}/").status_code == 404
    fresh = services.invite_create(
        organisation=organisation, team=None, role="member", created_by=practitioner
    )
    fresh.expires_at = timezone.now() - timedelta(minutes=1)
    fresh.save()
    assert client.get(f"/organisations/invite/{services.invite_token(fresh)}/").status_code == 404


def test_asking_to_join_waits_for_approval_and_members_can_leave(organisation, practitioner):
    from workforce import services

    membership = services.join_request(user=practitioner, organisation=organisation)
    assert membership.status == "requested"
    services.join_decide(membership=membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    services.membership_leave(membership=membership)
    membership.refresh_from_db()
    assert membership.status == "left" and membership.left_at is not None
