"""One private PostgreSQL cluster for the package; a private Redis and app per test.

The cluster is migrated and loaded with the shipped framework once (that is
most of the set-up time). Each test makes its own people, so the tests do not
depend on one another, and each gets a Redis it may stop and a storage
directory of its own.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.faults.services import (
    App,
    PostgresCluster,
    RedisServer,
    postgres_cluster,
    redis_server,
    require_fault_binaries,
)


@pytest.fixture(scope="package")
def fault_base():
    base = Path(tempfile.mkdtemp(prefix="imhcf-faults-"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="package")
def pg(fault_base) -> PostgresCluster:
    bindir = require_fault_binaries()
    with postgres_cluster(bindir) as cluster:
        setup = App(database_url=cluster.url(), broker_url="memory://", base=fault_base / "setup")
        setup.manage("migrate", "--noinput", "-v", "0")
        setup.manage("load_framework")
        yield cluster


@pytest.fixture
def redis(pg, tmp_path) -> RedisServer:
    with redis_server(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def app(pg, redis, fault_base) -> App:
    base = fault_base / uuid.uuid4().hex[:8]
    base.mkdir()
    return App(database_url=pg.url(), broker_url=redis.url, base=base)


@pytest.fixture
def email():
    """A fresh address per person, so tests sharing the cluster never collide."""
    return lambda who: f"{who}-{uuid.uuid4().hex[:8]}@example.org"
