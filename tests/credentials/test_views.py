"""The credential's pages: downloads, public documents and the checker."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials import services
from register.services import entries


def test_practitioner_downloads_jwt_and_json_from_the_application_page(entry, practitioner_client):
    page = practitioner_client.get(
        reverse("register:application_detail", args=[entry.application_id])
    )
    jwt_url = reverse("credentials:download_jwt", args=[entry.pk])
    json_url = reverse("credentials:download_json", args=[entry.pk])
    assert jwt_url in page.content.decode() and json_url in page.content.decode()

    token = practitioner_client.post(jwt_url)
    document = practitioner_client.post(json_url)

    assert token["Content-Type"] == "application/vc+jwt"
    assert "attachment" in token["Content-Disposition"]
    assert token.content.count(b".") == 2
    assert json.loads(document.content)["credentialSubject"]["licenseNumber"] == (
        entry.registration_number
    )


def test_another_practitioner_gets_404_for_the_download(entry, other_client):
    response = other_client.post(reverse("credentials:download_jwt", args=[entry.pk]))

    assert response.status_code == 404


def test_a_suspended_practitioner_is_told_there_is_no_credential(
    entry, admin_user, practitioner_client
):
    entries.entry_suspend(entry=entry, admin=admin_user, restriction="Paused", reason="Concern")

    response = practitioner_client.post(
        reverse("credentials:download_jwt", args=[entry.pk]), follow=True
    )

    assert "no credential" in response.content.decode()


def test_pasting_a_current_credential_says_it_is_genuine(entry, client):
    issued = services.credential_for_entry(entry=entry, practitioner=entry.practitioner)
    token = services.credential_jwt(issued)

    response = client.post(reverse("credentials:verify"), {"credential": token})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Genuine and current" in text
    assert entry.display_name in text and entry.registration_number in text


def test_uploading_a_revoked_credential_says_revoked(entry, admin_user, client):
    issued = services.credential_for_entry(entry=entry, practitioner=entry.practitioner)
    token = services.credential_jwt(issued)
    entries.entry_remove(entry=entry, admin=admin_user, reason="Struck off")

    upload = SimpleUploadedFile("c.jwt", token.encode(), content_type="application/octet-stream")
    response = client.post(reverse("credentials:verify"), {"upload": upload})

    assert "Revoked" in response.content.decode()


def test_an_empty_check_asks_for_a_credential(db, client):
    response = client.post(reverse("credentials:verify"), {"credential": ""})

    assert "Paste a credential or choose its file" in response.content.decode()


@pytest.mark.parametrize("name", ["credentials:jwks", "credentials:issuer", "credentials:verify"])
def test_public_documents_answer_anyone(db, client, name):
    assert client.get(reverse(name)).status_code == 200


def test_achievement_document_lists_the_levels_statements(entry, client):
    version = entry.application.version
    response = client.get(reverse("credentials:achievement", args=[version.pk, 1]))

    codes = [a["targetCode"] for a in response.json()["alignment"]]
    assert codes[0] == version.name and all(code.endswith("/L1") for code in codes[1:])
