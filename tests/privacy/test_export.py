"""The subject access export: what the ZIP holds, and who can ask for it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from evidence import services as evidence_services
from evidence.models import DocumentJob
from privacy import services
from privacy.errors import PrivacyError
from privacy.inventory import EXPORTED
from privacy.models import DataRequest


def _build(subject, requested_by=None, **kwargs) -> tuple[DataRequest, zipfile.ZipFile]:
    data_request = services.export_request(
        subject=subject, requested_by=requested_by or subject, **kwargs
    )
    assert evidence_services.document_render(job_id=data_request.document_id) is True
    job = DocumentJob.objects.get(pk=data_request.document_id)
    assert job.status == DocumentJob.Status.DONE and job.file.name.endswith(".zip")
    with job.file.open("rb") as handle:
        return data_request, zipfile.ZipFile(io.BytesIO(handle.read()))


def _sections(archive) -> dict[str, dict]:
    data = json.loads(archive.read("data.json"))
    return {section["model"]: section for section in data["sections"]}


def test_export_holds_a_section_for_every_model_the_inventory_lists(registered):
    _request, archive = _build(registered.practitioner)

    sections = _sections(archive)

    assert set(sections) == {entry.label for entry in EXPORTED}
    for label in (
        "accounts.User",
        "accounts.Consent",
        "selfassess.Profile",
        "selfassess.Rating",
        "evidence.EvidenceItem",
        "evidence.EvidenceFile",
        "register.Application",
        "register.DossierStatement",
        "register.StatementReview",
        "register.RegisterEntry",
        "register.Notification",
        "register.AuditEvent",
    ):
        assert sections[label]["count"] > 0, label


def test_export_holds_no_password_hash_or_authenticator_secret(registered):
    _request, archive = _build(registered.practitioner)

    sections = _sections(archive)

    assert "password" not in sections["accounts.User"]["rows"][0]
    assert registered.practitioner.password not in archive.read("data.json").decode()


def test_export_holds_the_evidence_files_and_a_readable_summary(registered):
    _request, archive = _build(registered.practitioner)

    names = archive.namelist()
    evidence_files = [n for n in names if n.startswith("files/evidence/")]
    assert evidence_files and archive.read(evidence_files[0]) == b"%PDF-1.4 private notes"
    summary = archive.read("index.html").decode()
    assert registered.practitioner.full_name in summary
    assert "Ratings" in summary and "Consents" in summary


def test_export_holds_generated_pdfs_but_not_earlier_exports(registered):
    practitioner = registered.practitioner
    _build(practitioner)
    certificate = evidence_services.document_request(
        owner=practitioner, kind=DocumentJob.Kind.CERTIFICATE, params={"entry_id": registered.pk}
    )
    evidence_services.document_render(job_id=certificate.pk)

    _request, archive = _build(practitioner)

    documents = [n for n in archive.namelist() if n.startswith("files/documents/")]
    assert documents == [f"files/documents/{certificate.pk}-certificate.pdf"]


def test_export_leaves_out_other_people(registered, other_practitioner):
    _request, archive = _build(registered.practitioner)

    text = archive.read("data.json").decode()

    assert other_practitioner.email not in text


def test_staff_make_an_export_for_a_postal_request_and_the_hand_over_is_logged(
    registered, admin_user, admin_client
):
    practitioner = registered.practitioner
    response = admin_client.post(
        reverse("privacy:staff_requests"),
        {
            "kind": "export",
            "email": practitioner.email.upper(),
            "reference": "Letter dated 1 December 2026",
        },
    )
    assert response.status_code == 302
    data_request = DataRequest.objects.get(subject=practitioner)
    assert (data_request.channel, data_request.requested_by) == (
        DataRequest.Channel.POST,
        admin_user,
    )
    evidence_services.document_render(job_id=data_request.document_id)

    download = admin_client.post(reverse("privacy:staff_export_download", args=[data_request.pk]))

    assert download["Content-Type"] == "application/zip"
    data_request.refresh_from_db()
    assert data_request.downloaded_by == admin_user and data_request.status == "done"
    log = admin_client.get(reverse("privacy:staff_requests")).content.decode()
    assert "Letter dated 1 December 2026" in log


def test_a_postal_request_needs_a_reference(registered, admin_user):
    with pytest.raises(PrivacyError):
        services.export_request(
            subject=registered.practitioner,
            requested_by=admin_user,
            channel=DataRequest.Channel.POST,
            reference=" ",
        )


def test_a_practitioner_cannot_ask_for_someone_elses_export(registered, other_practitioner):
    with pytest.raises(PrivacyError):
        services.export_request(subject=registered.practitioner, requested_by=other_practitioner)


def test_practitioner_asks_from_their_data_page_and_downloads_the_zip(
    registered, practitioner_client
):
    page = practitioner_client.get(reverse("privacy:my_data"))
    assert "Download all my data" in page.content.decode()

    response = practitioner_client.post(reverse("privacy:export_create"))

    job = DocumentJob.objects.get(kind=DocumentJob.Kind.DATA_EXPORT)
    assert response.url == reverse("evidence:document_detail", args=[job.pk])
    evidence_services.document_render(job_id=job.pk)
    download = practitioner_client.get(reverse("evidence:document_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    assert ".zip" in download["Content-Disposition"]


def test_privacy_notice_lists_the_consent_kinds(db, client):
    text = client.get(reverse("privacy:notice")).content.decode()

    assert "Publication on the public register" in text
    assert "Anonymised workforce statistics" in text
    assert "Article 17(3)" in text


def test_the_data_page_lists_the_consents_with_their_wording(registered, practitioner_client):
    page = practitioner_client.get(reverse("privacy:my_data")).content.decode()

    assert "Publication on the public register" in page
    assert "I agree to my recognition being published on the register" in page
