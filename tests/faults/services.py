"""Private PostgreSQL, Redis, Celery and gunicorn processes that the fault tests may break.

Every server here runs on a spare loopback port under a temporary directory,
so a test can stop, restart or kill it without touching the machine's shared
PostgreSQL (5432) and Redis (6379). Each context manager stops what it started,
even when the test fails half-way.

The application runs in subprocesses configured for these servers: the test
process's own Django is set up at start-up with the main ``DATABASE_URL`` and
cannot be pointed elsewhere.

Over 400 lines on purpose: each private server (PostgreSQL, Redis, worker, gunicorn) and its
start and stop, which share one process helper.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.realservices import celery_worker_command, unavailable, wait_for

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "imhcf_faults"
PG_USER = "postgres"
RESULT_MARK = "APPCTL-RESULT "

# Settings the fault stack must not inherit from the shell that runs pytest.
_INHERITED_SETTINGS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CACHE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_BACKEND",
    "EMAIL_USE_TLS",
    "AWS_STORAGE_BUCKET_NAME",
    "IMHCF_VAR_DIR",
    "IMHCF_PRIVATE_STORAGE_ROOT",
    "DJANGO_SETTINGS_MODULE",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL with initdb, pg_ctl and postgres."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for path in candidates:
        if all((path / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return path
    return None


def require_fault_binaries() -> Path:
    """The PostgreSQL bin directory; skips (or fails in CI) when a server binary is missing."""
    pg = postgres_bin()
    if pg is None:
        unavailable("needs PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    if shutil.which("redis-server") is None:
        unavailable("needs redis-server on PATH")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("needs runuser to run PostgreSQL as the postgres user")
    return pg


# --- Processes ---------------------------------------------------------------------------


class Process:
    """A child process in its own session, so stopping it stops everything it started."""

    def __init__(self, name: str, args: list[str], *, log: Path, env=None, cwd=ROOT):
        self.name = name
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                args,
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown, no clean-up."""
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
        # Whatever is left of the group (a stuck child) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.kill()


# --- PostgreSQL -------------------------------------------------------------------------


class PostgresCluster:
    """A throwaway cluster made with initdb, owned by the postgres OS user."""

    def __init__(self, bindir: Path, base: Path):
        self.bindir = bindir
        self.base = base
        self.data = base / "data"
        self.logfile = base / "postgres.log"
        self.port = free_port()

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        # PostgreSQL refuses to run as root.
        prefix = ["runuser", "-u", PG_USER, "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def _ctl(self, action: str, *extra: str, timeout: float = 60) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.base} "
            # The tests crash PostgreSQL's processes, not the machine: the OS keeps its
            # page cache, so skipping fsync loses nothing a restart could show.
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        result = self._run(
            str(self.bindir / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            *extra,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"pg_ctl {action} failed: {result.stdout}{result.stderr}\n{self.log_tail()}"
            )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, user=PG_USER)
        result = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            PG_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stdout}{result.stderr}")

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        """Stop (``fast`` ends sessions cleanly; ``immediate`` is a crash) and start again."""
        self._ctl("restart", "-m", mode)

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=PG_USER, dbname=database, autocommit=True
        )

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read straight from the private database (a new connection, so restarts don't matter)."""
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def create_database(self, name: str = DATABASE) -> None:
        with self.connect("postgres") as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def teardown(self) -> None:
        """Stop the cluster by any means: pg_ctl first, then the postmaster's pid."""
        if not (self.data / "postmaster.pid").exists():
            return
        with contextlib.suppress(Exception):
            self._ctl("stop", "-m", "immediate", timeout=30)
            return
        with contextlib.suppress(Exception):
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)


@contextmanager
def postgres_cluster(bindir: Path) -> Iterator[PostgresCluster]:
    # Not under pytest's tmp_path: that lives in a root-only directory the
    # postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="imhcf-faults-pg-"))
    cluster = PostgresCluster(bindir, base)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.teardown()
        shutil.rmtree(base, ignore_errors=True)


# --- Redis -----------------------------------------------------------------------------


class RedisServer:
    """redis-server in the foreground on a spare port, with no persistence."""

    def __init__(self, base: Path):
        self.base = base
        self.port = free_port()
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start, or start again after ``stop`` on the same port (empty: nothing is saved)."""
        self.process = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.base),
            ],
            log=self.base / "redis.log",
        )
        wait_for(
            lambda: port_open(self.port) or not self.process.running,
            timeout=15,
            what="redis-server to listen",
        )
        if not self.process.running:
            raise RuntimeError(f"redis-server did not start:\n{self.process.output()[-2000:]}")

    def stop(self) -> None:
        """Stop the server; with no persistence, every queued message is lost with it."""
        if self.process is not None:
            self.process.stop()
            wait_for(lambda: not port_open(self.port), timeout=10, what="Redis to go away")

    def teardown(self) -> None:
        if self.process is not None:
            self.process.stop()


@contextmanager
def redis_server(base: Path) -> Iterator[RedisServer]:
    base.mkdir(parents=True, exist_ok=True)
    server = RedisServer(base)
    try:
        server.start()
        yield server
    finally:
        server.teardown()


# --- The application, in subprocesses ---------------------------------------------------


@dataclass
class WebServer:
    process: Process
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class App:
    """How to run the application against the private services."""

    database_url: str
    broker_url: str
    base: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def storage(self) -> Path:
        return self.base / "private"

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _INHERITED_SETTINGS}
        env.update(
            {
                "DJANGO_ENV": "test",
                "DJANGO_DEBUG": "false",
                "DATABASE_URL": self.database_url,
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "IMHCF_VAR_DIR": str(self.base / "var"),
                "IMHCF_PRIVATE_STORAGE_ROOT": str(self.storage),
                "PYTHONUNBUFFERED": "1",
                # As in tests/conftest.py: applications here name no referees.
                "IMHCF_REFEREE_KINDS": "",
                **self.extra_env,
                **overrides,
            }
        )
        return env

    def run(self, args: list[str], *, timeout: float = 120, **env: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
            )
        return result.stdout

    def manage(self, *args: str, **env: str) -> str:
        return self.run(["manage.py", *args], **env)

    def ctl(self, command: str, /, *, env: dict[str, str] | None = None, **arguments) -> dict:
        """Run one ``tests.faults.appctl`` command against the private services."""
        out = self.run(["-m", "tests.faults.appctl", command, json.dumps(arguments)], **(env or {}))
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK) :])
        raise RuntimeError(f"appctl {command} printed no result:\n{out[-3000:]}")

    def ctl_batch(self, *steps: tuple[str, dict]) -> list[dict]:
        """Run several appctl commands in one subprocess, in order."""
        return self.ctl("batch", steps=[list(step) for step in steps])["results"]

    @contextmanager
    def web(self, *, workers: int = 2, **env: str) -> Iterator[WebServer]:
        port = free_port()
        process = Process(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "imhcf.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            log=self.base / f"gunicorn-{port}.log",
            env=self.env(**env),
        )
        server = WebServer(process, port)
        try:
            wait_for(
                lambda: _answers(f"{server.base_url}/healthz") or not process.running,
                timeout=45,
                what="gunicorn to answer",
                interval=0.2,
            )
            if not process.running:
                raise RuntimeError(f"gunicorn did not start:\n{process.output()[-3000:]}")
            yield server
        finally:
            process.stop()

    def start_worker(self, **env: str) -> Process:
        """A Celery worker on the private broker; the caller stops or kills it."""
        process = Process(
            "celery",
            celery_worker_command(),
            log=self.base / f"worker-{time.monotonic_ns()}.log",
            env=self.env(**env),
        )
        try:
            wait_for(
                lambda: "ready." in process.output() or not process.running,
                timeout=60,
                what="the Celery worker to start",
                interval=0.2,
            )
            if not process.running:
                raise RuntimeError(f"Celery worker did not start:\n{process.output()[-3000:]}")
        except BaseException:
            process.stop()
            raise
        return process

    @contextmanager
    def worker(self, **env: str) -> Iterator[Process]:
        process = self.start_worker(**env)
        try:
            yield process
        finally:
            process.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback, our own server
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False
