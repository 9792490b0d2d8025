"""Shared machinery for the benchmarks: a real server, a signed-in session, medians.

Each benchmark starts gunicorn on a spare loopback port against the database
named by DATABASE_URL (PostgreSQL when set, else a throwaway SQLite file),
measures a page and a trivial view in the same run, and prints their ratio.
Absolute times depend on the machine; ratios travel.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_ENV", "development")
    env["DJANGO_DEBUG"] = "false"
    env["IMHCF_BENCH_ENDPOINTS"] = "true"
    env.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='imhcf-bench-')}/bench.sqlite3"
    return env


def setup_django(env: dict[str, str] | None = None) -> dict[str, str]:
    """Configure Django in this process to prepare data and sessions.

    Returns the environment the server is to run with: ``env``, else ``bench_environment()``.
    """
    env = bench_environment() if env is None else env
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imhcf.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], workers: int = 1):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "imhcf.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # busy workers finishing requests: stop them
            proc.kill()
            proc.wait()


def session_cookie_for(user) -> str:
    """A signed-in session for ``user``, made the way Django's test client does."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Client:
    """A keep-alive HTTP client that carries cookies and the CSRF token."""

    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.last_location: str | None = None
        if cookie:
            name, value = cookie.split("=", 1)
            self.cookies[name] = value

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: str | bytes | None = None, headers=None):
        self.conn.request(method, path, body=body, headers=self._headers(headers))
        response = self.conn.getresponse()
        data = response.read()
        self.last_location = response.getheader("Location")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def csrf_token(self, path: str) -> str:
        status, body = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return match.group(1).decode()


def samples_ms(action: Callable[[], object], repeats: int, warmup: int = 5) -> list[float]:
    """How long each of ``repeats`` calls took, in milliseconds, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median_ms(action: Callable[[], object], repeats: int = 60, warmup: int = 5) -> float:
    return statistics.median(samples_ms(action, repeats, warmup))


def expect_status(client: Client, method: str, path: str, status: int = 200, **kwargs):
    def run():
        got, body = client.request(method, path, **kwargs)
        if got != status:
            raise RuntimeError(f"{method} {path} answered {got}, expected {status}: {body[:300]!r}")

    return run


def get_ms(client: Client, path: str, repeats: int = 60) -> float:
    """The median time of a GET of ``path``, which must answer 200."""
    return median_ms(expect_status(client, "GET", path), repeats)


def query_count(user, path: str) -> int:
    """How many queries a GET of ``path`` makes, as ``user`` (None: signed out)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    client.get(path)  # warm per-process caches, as a served page would be
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def report(rows: list[tuple[str, float, float]]) -> None:
    """Print name, median ms, baseline ms and ratio, one row each."""
    print(f"{'measurement':<44} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}")
    for name, value, baseline in rows:
        print(f"{name:<44} {value:>10.2f} {baseline:>12.2f} {value / baseline:>7.1f}")
