"""Tests that need PostgreSQL, Redis or a real Celery worker.

Locally they skip when the service is not configured; in CI
(IMHCF_REQUIRE_REAL_SERVICES=1) a missing service fails the test instead, so a
green CI run always means the real parts were exercised.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("IMHCF_REQUIRE_REAL_SERVICES") == "1"


def celery_worker_command(*options: str) -> list[str]:
    """A one-process Celery worker for tests: quiet on the broker, logging at INFO."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "imhcf",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        *options,
    ]


def unavailable(reason: str):
    """Skip here; fail in CI, where every real part must be exercised."""
    if REQUIRED:
        pytest.fail(f"{reason} (IMHCF_REQUIRE_REAL_SERVICES=1)")
    pytest.skip(reason)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL")


def require_redis_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        unavailable("needs Redis: set CELERY_BROKER_URL=redis://...")
    return url


def database_url_for_subprocess() -> str:
    """A URL for the test database this process is using, for a worker subprocess."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc = proc
        self.log = log

    def kill(self) -> None:
        """SIGKILL the whole worker: no shutdown, no acks, no clean-up."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def unique_queue() -> str:
    # Each test run uses its own queue so parallel runs and stale messages never mix.
    return f"imhcf-test-{uuid.uuid4().hex[:12]}"


@contextmanager
def celery_worker(
    *,
    queue: str,
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    embedded_broker_in: Path | None = None,
):
    """A real Celery worker process on the configured broker and the test database.

    With ``embedded_broker_in`` the worker is given no broker URL at all, so it runs on the
    settings' embedded default, kept in that folder instead of var/.
    """
    log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    env = dict(os.environ)
    if embedded_broker_in is None:
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    else:
        env.pop("CELERY_BROKER_URL", None)
        env["IMHCF_VAR_DIR"] = str(embedded_broker_in)
    env.update(
        {
            "DJANGO_ENV": "test",
            "DATABASE_URL": database_url_for_subprocess(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "IMHCF_PRIVATE_STORAGE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            **(extra_env or {}),
        }
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            celery_worker_command("--queues", queue),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(proc, log)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in worker.output():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start:\n{worker.output()[-3000:]}")
            time.sleep(0.2)
        yield worker
    finally:
        worker.stop()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")
