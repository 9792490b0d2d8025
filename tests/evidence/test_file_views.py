"""Uploading, listing, downloading and deleting an item's files through the pages."""

import os
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence import services
from evidence.models import EvidenceFile, EvidenceItem
from tests.evidence.factories import EvidenceItemFactory

pytestmark = pytest.mark.usefixtures("private_storage")


def png_bytes(size: int = 8, noisy: bool = False) -> bytes:
    image = Image.new("RGB", (size, size), "teal")
    if noisy:
        # Random pixels do not compress, so the file is about 3 bytes a pixel.
        image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>Certificate of attendance</p>").write_pdf()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def item(practitioner):
    return EvidenceItemFactory(owner=practitioner, title="Attachment workshop")


def upload_url(item) -> str:
    return reverse("evidence:file_upload", args=[item.pk])


def refused_upload(client, item, data: dict):
    """Posts ``data`` to the item's upload form, which refuses it (400); returns the response and
    the field's errors as one text."""
    response = client.post(upload_url(item), data)
    assert response.status_code == 400
    return response, " ".join(response.context["upload_form"].errors["files"])


def stored_file(item, name="certificate.png") -> EvidenceFile:
    return services.evidence_file_add(item=item, uploaded=upload(name, png_bytes(), "image/png"))


# Uploading --------------------------------------------------------------------------------


def test_uploading_a_png_stores_it_and_lists_it_on_the_item(practitioner_client, item):
    response = practitioner_client.post(
        upload_url(item), {"files": upload("certificate.png", png_bytes(), "image/png")}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("evidence:item_detail", args=[item.pk]) + "#files")
    record = EvidenceFile.objects.get()
    assert record.item == item
    assert record.original_name == "certificate.png"
    assert record.content_type == "image/png"
    assert default_storage.exists(record.file.name)

    page = practitioner_client.get(response["Location"]).content.decode()
    assert "certificate.png" in page
    assert "PNG" in page
    assert reverse("evidence:file_download", args=[record.pk]) in page
    assert "1 file added." in page


def test_several_files_can_be_uploaded_at_once(practitioner_client, item):
    response = practitioner_client.post(
        upload_url(item),
        {
            "files": [
                upload("certificate.pdf", pdf_bytes(), "application/pdf"),
                upload("photo.png", png_bytes(), "image/png"),
            ]
        },
    )
    assert response.status_code == 302
    assert sorted(EvidenceFile.objects.values_list("original_name", flat=True)) == [
        "certificate.pdf",
        "photo.png",
    ]


def test_the_item_page_shows_storage_used_against_the_quota_and_the_size_limit(
    practitioner_client, item, settings
):
    settings.IMHCF_USER_QUOTA_BYTES = 250 * 1024 * 1024
    settings.IMHCF_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    stored_file(item)
    body = practitioner_client.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "Storage used:" in body
    assert "250.0\xa0MB" in body
    assert "10.0\xa0MB" in body
    assert f'max="{250 * 1024 * 1024}"' in body
    assert "<meter" in body


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "drawing.svg"),
        ("empty.pdf", b"", "is empty"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, "report.pdf"),
        ("page.html", b"<!doctype html><html><body>hi</body></html>", "page.html"),
    ],
)
def test_a_refused_upload_shows_why_beside_the_field_and_leaves_the_item_as_it_was(
    practitioner_client, item, name, content, reason
):
    before = EvidenceItem.objects.values().get(pk=item.pk)
    response, errors = refused_upload(practitioner_client, item, {"files": upload(name, content)})
    assert not EvidenceFile.objects.exists()
    assert EvidenceItem.objects.values().get(pk=item.pk) == before
    assert reason in errors
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_files"' in body
    assert "Attachment workshop" in body  # still the item's page


def test_a_good_file_beside_a_refused_one_is_still_added(practitioner_client, item):
    response = practitioner_client.post(
        upload_url(item),
        {
            "files": [
                upload("photo.png", png_bytes(), "image/png"),
                upload("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            ]
        },
    )
    assert response.status_code == 400
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["photo.png"]
    body = response.content.decode()
    assert "1 file added." in body
    assert "drawing.svg" in body


def test_an_upload_over_the_quota_is_refused(practitioner_client, item, settings):
    settings.IMHCF_USER_QUOTA_BYTES = 2048
    stored_file(item)  # under the allowance
    _response, errors = refused_upload(
        practitioner_client,
        item,
        {"files": upload("big.png", png_bytes(40, noisy=True), "image/png")},
    )
    assert EvidenceFile.objects.count() == 1
    assert "storage allowance" in errors
    assert "“big.png” was not added." in errors


def test_a_file_over_the_size_limit_is_dropped_while_it_arrives_and_named(
    practitioner_client, item, settings
):
    settings.IMHCF_UPLOAD_MAX_BYTES = 1024
    _response, errors = refused_upload(
        practitioner_client,
        item,
        {"files": upload("scan.png", png_bytes(64, noisy=True), "image/png")},
    )
    assert not EvidenceFile.objects.exists()
    assert "“scan.png” is larger than the 1.0\xa0KB limit for one file." in errors
    assert "“scan.png” was not added." in errors


def test_a_request_larger_than_django_accepts_gets_a_clear_message_not_a_400_page(
    practitioner_client, item, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = practitioner_client.post(
        upload_url(item),
        {"files": upload("photo.png", png_bytes(), "image/png"), "padding": "x" * 5000},
    )
    assert response.status_code == 413
    assert "too large to accept, so nothing was added" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_choosing_no_file_asks_for_one(practitioner_client, item):
    _response, errors = refused_upload(practitioner_client, item, {})
    assert "Choose at least one file" in errors


def test_upload_still_checks_the_csrf_token(practitioner, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    response = client.post(
        upload_url(item), {"files": upload("photo.png", png_bytes(), "image/png")}
    )
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


def test_other_practitioner_cannot_upload_to_an_item(other_client, item):
    response = other_client.post(
        upload_url(item), {"files": upload("photo.png", png_bytes(), "image/png")}
    )
    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_anonymous_upload_is_sent_to_sign_in(anon_client, item):
    response = anon_client.post(upload_url(item), {"files": upload("p.png", png_bytes())})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not EvidenceFile.objects.exists()


def test_upload_by_get_is_405(practitioner_client, item):
    assert practitioner_client.get(upload_url(item)).status_code == 405


# Downloading ------------------------------------------------------------------------------


def test_a_downloaded_file_is_an_attachment_of_its_stored_type_never_sniffed_or_cached(
    practitioner_client, item
):
    record = stored_file(item)
    response = practitioner_client.get(reverse("evidence:file_download", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "certificate.png" in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_other_practitioner_gets_404_for_a_file(other_client, item):
    record = stored_file(item)
    assert other_client.get(reverse("evidence:file_download", args=[record.pk])).status_code == 404
    assert other_client.get(reverse("evidence:file_delete", args=[record.pk])).status_code == 404
    assert other_client.post(reverse("evidence:file_delete", args=[record.pk])).status_code == 404
    assert EvidenceFile.objects.filter(pk=record.pk).exists()


# Deleting ---------------------------------------------------------------------------------


def test_deleting_a_file_asks_first(practitioner_client, item):
    record = stored_file(item)
    response = practitioner_client.get(reverse("evidence:file_delete", args=[record.pk]))
    assert response.status_code == 200
    assert "Delete “certificate.png”?" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=record.pk).exists()


def test_deleting_a_file_removes_the_row_and_then_the_stored_file(
    practitioner_client, item, django_capture_on_commit_callbacks
):
    record = stored_file(item)
    name = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner_client.post(reverse("evidence:file_delete", args=[record.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#files")
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(name)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_file_delete_by_put_is_405(practitioner_client, item):
    record = stored_file(item)
    assert (
        practitioner_client.put(reverse("evidence:file_delete", args=[record.pk])).status_code
        == 405
    )


def test_deleting_an_item_deletes_its_files_from_storage_after_commit(
    practitioner_client, item, private_storage, django_capture_on_commit_callbacks
):
    names = [stored_file(item, f"file{n}.png").file.name for n in range(3)]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = practitioner_client.post(reverse("evidence:item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert callbacks  # the stored files go only once the rows' deletion is committed
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not EvidenceFile.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    # No file is left without a row: the evidence folder is empty.
    evidence_dir = private_storage / "evidence"
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())


def test_every_uploaded_row_has_its_stored_file(practitioner_client, item):
    practitioner_client.post(
        upload_url(item),
        {"files": [upload(f"p{n}.png", png_bytes(), "image/png") for n in range(3)]},
    )
    records = list(EvidenceFile.objects.all())
    assert len(records) == 3
    assert all(default_storage.exists(record.file.name) for record in records)
