"""Production hardening, checked in a fresh interpreter with DJANGO_ENV=production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _signing_key() -> str:
    from joserfc.jwk import OKPKey

    return OKPKey.generate_key("Ed25519").as_pem(private=True).decode()


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "p" * 20 + "-not-a-real-secret-but-long-enough-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "register.example.org",
    "IMHCF_CREDENTIAL_SIGNING_KEY": _signing_key(),
    # Only named here: nothing below signs in, so the cache is never reached.
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def _run(
    code_or_args: list[str], extra_env: dict[str, str], tmp_path
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", **extra_env})
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("IMHCF_CREDENTIAL_SIGNING_KEY", "IMHCF_CREDENTIAL_SIGNING_KEY"),
        ("CACHE_URL", "CACHE_URL must name a Redis server in production"),
    ],
)
def test_production_refuses_to_start_without_required_settings(tmp_path, missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_cache_url_that_is_not_redis_fails_loudly(tmp_path):
    result = _run(["manage.py", "check"], {"CACHE_URL": "memcached://127.0.0.1:11211"}, tmp_path)
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis URL" in result.stderr


def test_bad_boolean_fails_loudly(tmp_path):
    result = _run(["manage.py", "check"], {"DJANGO_DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/", secure=True, HTTP_HOST="register.example.org")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "session_engine": settings.SESSION_ENGINE}))
"""


def test_production_responses_carry_security_headers(tmp_path):
    result = _run(
        ["-c", HEADERS_SCRIPT],
        # No collectstatic here, so plain storage; the headers are the same.
        {
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "imhcf.settings",
            "IMHCF_MANIFEST_STATIC": "false",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    csp = headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    # Sessions in the database alone: a Redis outage must not sign everyone out or fail pages.
    assert answer["session_engine"] == "django.contrib.sessions.backends.db"


def test_production_refuses_a_signing_key_that_is_not_ed25519(tmp_path):
    result = _run(
        ["manage.py", "check"],
        {**PRODUCTION_ENV, "IMHCF_CREDENTIAL_SIGNING_KEY": "not a key"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "not an Ed25519 private key" in result.stdout + result.stderr


def test_production_refuses_a_signing_key_file_that_is_missing(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "IMHCF_CREDENTIAL_SIGNING_KEY"}
    env["IMHCF_CREDENTIAL_SIGNING_KEY_FILE"] = str(tmp_path / "absent.pem")
    result = _run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "is not a file" in result.stderr
