"""The recognition certificate: a PDF with the number, level, dates and a QR code to verify."""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidence.documents import register_renderer
from evidence.errors import RenderError
from evidence.models import DocumentJob
from evidence.pdf import render_pdf
from imhcf.bilingual import WELSH, is_welsh
from register.models import RegisterEntry


def verify_url(entry: RegisterEntry) -> str:
    return settings.IMHCF_PUBLIC_BASE_URL.rstrip("/") + reverse(
        "register:verify", args=[entry.registration_number]
    )


def qr_data_url(text: str) -> str:
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@register_renderer(DocumentJob.Kind.CERTIFICATE)
def render_certificate(job: DocumentJob) -> bytes:
    entry = (
        RegisterEntry.objects.filter(pk=job.params.get("entry_id"), practitioner=job.owner)
        .select_related("application")
        .first()
    )
    if entry is None or not entry.is_publicly_listed:
        raise RenderError(_("There is no current register entry to make a certificate for."))
    url = verify_url(entry)
    return render_pdf(
        "pdf/certificate.html",
        {
            "entry": entry,
            "verify_url": url,
            "qr": qr_data_url(url),
            "generated_at": timezone.localtime(),
            # Rendered in the owner's language (evidence.services.documents); a Welsh reader's
            # certificate says it in Welsh and then in English.
            "languages": [WELSH, settings.LANGUAGE_CODE] if is_welsh() else [get_language()],
        },
    )
