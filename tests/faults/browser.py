"""A small HTTP client that behaves like a browser with JavaScript turned off (or htmx on).

It keeps cookies, reads the CSRF token from the page it is on, never follows
redirects by itself (the tests look at them), and gives up on a request after
``timeout`` seconds, so a hanging server shows up as a failure, not a stuck test.
"""

from __future__ import annotations

import http.client
import socket
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# What must never reach a browser: Django's debug page or a Python traceback.
LEAK_MARKERS = (
    "Traceback (most recent call last)",
    'File "/',
    "OperationalError",
    "InterfaceError",
    "psycopg",
    "DEBUG = True",
    "Request Method:",
)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def leaks(self) -> list[str]:
        text = self.text
        return [marker for marker in LEAK_MARKERS if marker in text]


class Browser:
    def __init__(self, base_url: str, *, timeout: float = 20):
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        """One request on a new connection; raises OSError (or a timeout) if nobody answers."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            data = raw.read()
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, {k.lower(): v for k, v in raw.headers.items()}, data)
        finally:
            conn.close()

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, *, htmx: bool = False) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return self.request("POST", path, body=urlencode(data).encode(), headers=headers)

    def submit(self, page_path: str, action: str, data: dict | None = None) -> Response:
        """Open a page and send its form that posts to ``action``, as a person would.

        The form's own fields (hidden inputs, checked boxes, the CSRF token) go
        with it; ``data`` is what the person typed or chose.
        """
        page = self.get(page_path)
        assert page.status == 200, f"{page_path} answered {page.status}"
        fields = form_fields(page.text, action)
        assert fields is not None, f"no form posting to {action} on {page_path}"
        assert "csrfmiddlewaretoken" in fields, f"no CSRF token in the form on {page_path}"
        return self.post(action, {**fields, **(data or {})})

    def login(self, email: str, password: str) -> None:
        response = self.submit(
            "/accounts/login/", "/accounts/login/", {"login": email, "password": password}
        )
        assert response.status == 302, f"sign-in answered {response.status}: {response.text[:500]}"
        assert "sessionid" in self.cookies, "signed in without a session cookie"


class _FormReader(HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == self.action and not self.found:
            self.inside = self.found = True
        elif tag == "input" and self.inside and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict[str, str] | None:
    """The fields a browser would send from the first form posting to ``action``."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields if reader.found else None


def is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, socket.timeout | TimeoutError)
