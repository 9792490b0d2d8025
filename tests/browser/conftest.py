"""Playwright against Debian's Chromium, for every browser journey.

Journeys use pytest-django's ``live_server``, which runs the app in a thread of
this process: the locmem email outbox is shared, so a journey can read the
verification link a real person would get by email.

Chromium comes from the system (``/usr/bin/chromium``); Playwright never
downloads a browser here.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.realservices import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread, and Django refuses
# database calls from a thread with a running loop unless told this is safe.
# It is: the loop only drives the browser, never the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """Runs one request at a time, while keeping the threads that hold keep-alive sockets.

    With in-memory SQLite, every server thread shares the test's single
    connection, and two requests in transactions at once (htmx saves several
    cells in parallel) fail with "database table is locked". PostgreSQL and
    file databases give each thread its own connection and never need this.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


class _OneRequestAtATimeThread(LiveServerThread):
    server_class = _OneRequestAtATimeServer


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, made safe for in-memory SQLite (see above)."""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        thread = server.thread
        server.thread = _OneRequestAtATimeThread(
            thread.host, thread.static_handler, thread.connections_override, thread.port
        )
        server.thread.daemon = True
    server.start()
    yield server
    server.stop()


def open_page(context, *, failed_responses: bool = True):
    """A page of ``context`` whose ``page.problems`` collects console errors (a CSP refusal
    shows up there) and, unless told not to, failed responses, so a test can assert the page
    was clean."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    # "Failed to load resource" repeats a failed response, which is judged below.
    page.on(
        "console",
        lambda msg: (
            page.problems.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    if failed_responses:
        page.on(
            "response",
            lambda r: (
                page.problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
    return page


def new_context(browser, live_server, *, width: int = 1280, height: int = 900, **options):
    """A fresh browser context (no cookies) on the live server, desktop sized unless told."""
    return browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        locale="en-GB",
        **options,
    )


@pytest.fixture
def page(browser, live_server):
    """A fresh desktop-sized page on the live server; see ``open_page`` for ``problems``."""
    context = new_context(browser, live_server)
    yield open_page(context)
    context.close()


@pytest.fixture
def open_browser(browser, live_server):
    """Opens a fresh browser context (no cookies) for each person, as the ``page`` fixture
    does: ``open_browser(width=390)`` for a phone."""
    contexts = []

    def open_one(width: int = 1280, height: int = 900):
        context = new_context(browser, live_server, width=width, height=height)
        contexts.append(context)
        return open_page(context)

    yield open_one
    for context in contexts:
        context.close()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, never one about to change under us."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:  # a busy machine may take a few seconds to sign in: wait for the next code
        time.sleep(left + 0.1)
    counters = list(yield_hotp_counters_from_time())
    current = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, current))


def sign_in(page, email: str, *, totp_secret: str | None = None, menu: bool = True) -> None:
    """Signs in with the form, as a person does: from the menu's link, or (``menu=False``, as
    on a phone, where the menu is folded away) straight at the sign-in page."""
    if menu:
        page.goto("/")
        page.get_by_role("link", name="Sign in").click()
    else:
        page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if totp_secret is not None:
        expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
        page.get_by_label("Code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Continue").click()
    if menu:
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    else:
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+?/")


def verification_path(email: str) -> str:
    """The path of the newest email-confirmation link sent to ``email``."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = _LINK.search(message.body)
            if match:
                return urlsplit(match.group(0)).path
    raise AssertionError(f"no verification email to {email} in {len(mail.outbox)} sent")


@pytest.fixture
def eager_celery():
    """Every task runs at once in the queuing thread (the real broker is tested elsewhere)."""
    from imhcf.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


@pytest.fixture
def held_jobs(monkeypatch, eager_celery):
    """Document jobs enqueued after commit wait here until ``run_held`` is called.

    ``run_held`` enqueues them for real; with the app eager, the task runs at
    once in the calling thread.
    """
    from evidence import services

    real_enqueue = services.documents._enqueue
    waiting: list[int] = []
    monkeypatch.setattr(services.documents, "_enqueue", waiting.append)

    def run_held() -> int:
        count = 0
        while waiting:
            real_enqueue(waiting.pop(0))
            count += 1
        return count

    return waiting, run_held


DOCUMENT_STATUS_URL = re.compile(r"/evidence/documents/\d+/status/$")


@contextmanager
def first_status_poll_held(page, never_polled: str):
    """Waits for a document's progress page to poll for its status by itself, holds that first
    poll through the ``with`` block, then lets it through; ``never_polled`` is the failure."""
    polls = []
    page.route(DOCUMENT_STATUS_URL, lambda route: polls.append(route))
    for _ in range(100):
        if polls:
            break
        page.wait_for_timeout(100)
    assert polls, never_polled
    yield
    polls[0].continue_()
    page.unroute(DOCUMENT_STATUS_URL)
