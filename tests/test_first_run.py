"""The README's first command, run as a newcomer runs it: ``bin/run``.

No setting of the app's is given (no database, broker, cache or email server), only a free
``PORT`` and, so that a developer's own ``var/`` is left alone, an empty ``IMHCF_VAR_DIR``:
what a fresh clone has. Then, over HTTP, as a person would: sign in as the demo practitioner
that bin/run printed, ask for a CPD record and download the PDF; sign up and find the
verification email on the console. Every process bin/run started must still be running at
the end, and Ctrl+C must stop all of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.faults.browser import Browser
from tests.realservices import ROOT, wait_for

pytestmark = pytest.mark.first_run

# Variables that configure the app or the tests; a newcomer's shell has none of them.
APP_VARIABLE = re.compile(
    r"^(DJANGO_|IMHCF_|CELERY_|AWS_|EMAIL_|PYTEST_)|^(DATABASE_URL|CACHE_URL|DEFAULT_FROM_EMAIL)$"
)
# Generous: on a machine without the packages, bin/setup installs them first.
START_TIMEOUT = 600
PDF_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, session id) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[3])


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _descendants(root: int) -> dict[int, str]:
    """Every live process below ``root``, with its command line."""
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        stat = _proc_stat(pid)
        if stat:
            children.setdefault(stat[1], []).append(pid)
    found: dict[int, str] = {}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found[child] = _command(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def _in_session(sid: int) -> list[int]:
    return [pid for pid in _all_pids() if (stat := _proc_stat(pid)) and stat[2] == sid]


class FirstRun:
    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.log = tmp_path / "bin-run.log"
        env = {k: v for k, v in os.environ.items() if not APP_VARIABLE.match(k)}
        env.update({"PORT": str(self.port), "IMHCF_VAR_DIR": str(tmp_path / "var")})
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                ["bin/run"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own session, as in a terminal of its own
            )
        self.base_url = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def health(self) -> dict | None:
        try:
            response = Browser(self.base_url, timeout=10).get("/healthz")
        except OSError:
            return None
        return {**json.loads(response.body), "http_status": response.status}

    def ctrl_c(self) -> int:
        """What Ctrl+C in its terminal does: SIGINT to the foreground process group."""
        os.killpg(self.proc.pid, signal.SIGINT)
        return self.proc.wait(timeout=60)

    def kill_everything(self) -> None:
        for pid in _in_session(self.proc.pid):
            with contextlib.suppress(OSError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)


@pytest.fixture
def first_run(tmp_path):
    run = FirstRun(tmp_path)
    try:
        yield run
    finally:
        # Only if the test failed before stopping it: nothing it started may outlive the test.
        if run.proc.poll() is None or _in_session(run.proc.pid):
            run.kill_everything()
            run.proc.wait(timeout=30)


def _wait_until_everything_answers(run: FirstRun) -> None:
    def ready():
        if run.proc.poll() is not None:
            raise AssertionError(f"bin/run exited ({run.proc.returncode}):\n{run.output()[-4000:]}")
        health = run.health()
        return health is not None and health["http_status"] == 200

    # 200 means the database, the broker and a worker's heartbeat are all there.
    wait_for(ready, timeout=START_TIMEOUT, interval=1, what=f"bin/run on port {run.port} to be up")


def _demo_practitioner(output: str) -> tuple[str, str]:
    password = re.search(r"Demo accounts \(password: (\S+)\)", output)
    email = re.search(r"^\s*practitioner\s+(\S+@\S+)\s*$", output, re.MULTILINE)
    assert password and email, f"bin/run did not print the demo accounts:\n{output[-3000:]}"
    return email.group(1), password.group(1)


def _get_cpd_record(browser: Browser, tmp_path: Path) -> Path:
    asked = browser.submit("/evidence/cpd/", "/evidence/cpd/record/")
    assert asked.status == 302, asked.text[:500]
    job_path = asked.location
    match = re.fullmatch(r"/evidence/documents/(\d+)/", job_path)
    assert match, job_path

    def ready():
        page = browser.get(f"{job_path}status/")
        assert page.status == 200, page.status
        assert "could not be made" not in page.text and "went wrong" not in page.text, page.text
        return "Download the PDF" in page.text

    wait_for(ready, timeout=PDF_TIMEOUT, interval=1, what="the CPD record to be made")
    pdf = browser.get(f"{job_path}download/")
    assert pdf.status == 200, pdf.status
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF-")
    path = tmp_path / "cpd-record.pdf"
    path.write_bytes(pdf.body)
    return path


def test_bin_run_serves_the_app_with_its_worker_as_the_readme_says(first_run, tmp_path):
    run = first_run
    _wait_until_everything_answers(run)
    started = _descendants(run.proc.pid)
    commands = " | ".join(started.values())
    assert "celery -A imhcf worker" in commands, commands
    assert f"runserver --noreload 127.0.0.1:{run.port}" in commands, commands

    # Sign in as the demo practitioner bin/run printed, and get a CPD record.
    email, password = _demo_practitioner(run.output())
    browser = Browser(run.base_url)
    browser.login(email, password)
    pdf = _get_cpd_record(browser, tmp_path)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Continuing professional development record" in text

    # Someone signs up: the verification email is printed on bin/run's console.
    newcomer = f"newcomer-{run.port}@example.org"
    signup = Browser(run.base_url).submit(
        "/accounts/signup/",
        "/accounts/signup/",
        {
            "full_name": "New Comer",
            "email": newcomer,
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
        },
    )
    assert signup.status == 302, signup.text[:1000]
    wait_for(
        lambda: f"To: {newcomer}" in run.output(),
        timeout=30,
        what="the verification email on the console",
    )
    message = re.search(
        rf"^Subject: ([^\n]+)\n(?:[^\n]+\n)*?To: {re.escape(newcomer)}\n(.*?)\n-{{20,}}",
        run.output(),
        re.MULTILINE | re.DOTALL,
    )
    assert message, run.output()[-3000:]
    assert message.group(1).startswith("[IMHCF] ")
    assert f"{run.base_url}/accounts/confirm-email/" in message.group(2)

    # Nothing bin/run started has stopped along the way...
    gone = {pid: cmd for pid, cmd in started.items() if not _alive(pid)}
    assert not gone, f"processes bin/run started have exited: {gone}\n{run.output()[-3000:]}"
    assert run.proc.poll() is None, run.output()[-3000:]
    assert "bin/run: " not in run.output(), run.output()[-3000:]

    # ...and Ctrl+C stops all of it, cleanly.
    assert run.ctrl_c() == 0, run.output()[-3000:]
    left = {pid: _command(pid) for pid in _in_session(run.proc.pid)}
    assert not left, f"processes outlived bin/run: {left}"
    assert "stopping the web server and the worker" in run.output()


def test_bin_run_stops_the_server_and_says_why_when_the_worker_dies(first_run):
    run = first_run
    _wait_until_everything_answers(run)
    worker = next(
        pid
        for pid, cmd in _descendants(run.proc.pid).items()
        if "celery -A imhcf worker" in cmd and _proc_stat(pid)[1] == run.proc.pid
    )
    os.kill(worker, signal.SIGKILL)

    assert run.proc.wait(timeout=60) == 1
    output = run.output()
    assert "bin/run: the Celery worker stopped: it was killed by signal 9 (SIGKILL)" in output
    assert "bin/run: stopping the web server too" in output
    left = {pid: _command(pid) for pid in _in_session(run.proc.pid)}
    assert not left, f"processes outlived bin/run: {left}"
    assert run.health() is None  # nobody answers on the port any more
