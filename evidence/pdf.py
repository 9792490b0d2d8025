"""HTML to PDF with WeasyPrint, fetching nothing but our own static files and data: URLs.

Practitioners' text reaches templates escaped, but a PDF renderer that follows
any URL would still be one ``<img src="file:///etc/passwd">`` away from a leak
if escaping ever failed, so the fetcher refuses everything else outright.
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The documents' base URL: a host that exists nowhere, so relative and /static/
# references resolve to something only our fetcher answers.
BASE_URL = "https://documents.imhcf.invalid/"


class RefusedResource(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Answers ``data:`` URLs and our static files; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"Refused to fetch {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    @staticmethod
    def _static_path(url: str) -> str | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query:
            return None
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            return None
        relative = posixpath.normpath(path[len(settings.STATIC_URL) :])
        if relative.startswith(("..", "/")) or "\x00" in relative:
            return None
        found = finders.find(relative)
        if found:
            return found
        # After collectstatic in production the finders may not hold hashed copies.
        if staticfiles_storage.exists(relative):
            return staticfiles_storage.path(relative)
        return None


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template in ``templates/pdf/`` to a tagged (PDF/UA-1) A4 PDF."""
    html = render_to_string(template_name, context)
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
