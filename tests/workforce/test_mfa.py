"""Team leads, organisation admins and commissioners see others' data: MFA first."""

import pytest
from django.test import Client

from tests.conftest import client_for, enable_totp
from tests.factories import UserFactory
from tests.workforce.helpers import join, make_organisation
from workforce import services
from workforce.models import Membership, Team


@pytest.fixture
def team(db):
    return Team.objects.create(organisation=make_organisation(), name="East")


def _client(user) -> Client:
    client = client_for(user)
    return client


@pytest.mark.parametrize("role", [Membership.Role.TEAM_LEAD, Membership.Role.ORGANISATION_ADMIN])
def test_leads_without_mfa_are_sent_to_set_it_up(team, role):
    lead = UserFactory()
    join(lead, team.organisation, team, role=role)

    response = _client(lead).get(f"/teams/{team.pk}/")

    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    enable_totp(lead)
    assert _client(lead).get(f"/teams/{team.pk}/").status_code == 200


def test_commissioners_without_mfa_are_sent_to_set_it_up(db):
    commissioner = UserFactory()
    services.commissioner_grant(user=commissioner, nation="wales")

    assert _client(commissioner).get("/insight/")["Location"] == "/accounts/2fa/"


def test_members_need_no_mfa_for_their_own_pages(team):
    member = UserFactory()
    join(member, team.organisation, team)

    assert _client(member).get("/teams/").status_code == 200
    assert _client(member).get("/organisations/").status_code == 200
