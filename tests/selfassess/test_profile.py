"""The practitioner's profile, and being led to it before any assessment page."""

import pytest

from selfassess.models import Profile

VALID = {
    "role": "midwife",
    "role_other": "",
    "service_setting": "targeted",
    "sector": "voluntary",
    "organisation": "Little Steps Charity",
    "nation": "scotland",
    "region": "scotland_west",
    "target_level": "1",
}


@pytest.mark.parametrize(
    "path",
    [
        "/assessment/",
        "/assessment/domains/1/",
        "/assessment/complete/",
        "/assessment/history/",
        "/assessment/plan/",
        "/assessment/plan/goals/new/",
    ],
)
def test_practitioner_without_profile_is_led_to_it_first(practitioner_client, framework, path):
    response = practitioner_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/assessment/profile/?next=")
    assert path.replace("/", "%2F") in response["Location"]


def test_profile_form_has_labels_and_every_choice(practitioner_client, framework):
    html = practitioner_client.get("/assessment/profile/").content.decode()
    for label in (
        "Profession or role",
        "Type of service",
        "Sector",
        "Employer or organisation",
        "UK nation",
        "Region",
        "Level you are aiming for",
    ):
        assert label in html
    assert "Parent-infant psychotherapist" in html
    assert "Specialist service" in html and "Voluntary or charity sector" in html
    assert "Northern Ireland" in html and "Yorkshire and the Humber" in html


def test_saving_the_profile_returns_to_where_you_were_going(
    practitioner_client, practitioner, framework
):
    response = practitioner_client.post(
        "/assessment/profile/", {**VALID, "next": "/assessment/domains/1/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/assessment/domains/1/"
    profile = Profile.objects.get(user=practitioner)
    assert (profile.role, profile.region, profile.target_level) == ("midwife", "scotland_west", 1)


def test_profile_ignores_a_next_address_on_another_site(practitioner_client, framework):
    response = practitioner_client.post(
        "/assessment/profile/", {**VALID, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/assessment/"


def test_profile_errors_are_summarised_and_linked(practitioner_client, framework):
    response = practitioner_client.post(
        "/assessment/profile/", {**VALID, "nation": "wales", "region": "london", "role": "other"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'href="#id_region"' in html and "Choose a region in the nation you chose." in html
    assert 'href="#id_role_other"' in html and "Tell us your role." in html


def test_profile_can_be_edited_later(practitioner_client, practitioner, profile):
    html = practitioner_client.get("/assessment/profile/").content.decode()
    assert 'value="Northshire NHS Trust"' in html
    practitioner_client.post("/assessment/profile/", {**VALID, "target_level": "3"})
    profile.refresh_from_db()
    assert profile.target_level == 3


def test_each_person_sees_only_their_own_profile(other_client, profile):
    html = other_client.get("/assessment/profile/").content.decode()
    assert "Northshire NHS Trust" not in html


def test_profile_refuses_other_methods_and_anonymous(practitioner_client, anon_client):
    assert practitioner_client.delete("/assessment/profile/").status_code == 405
    response = anon_client.get("/assessment/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = anon_client.post("/assessment/profile/", VALID)
    assert response.status_code == 302
    assert not Profile.objects.exists()
