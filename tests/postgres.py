"""A real PostgreSQL server for the tests that need one: started if it is installed and down.

Nothing here skips: when no server can be had, the test fails and says why, so CI cannot pass
without having exercised PostgreSQL.
"""

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def _run(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, check=check, timeout=120)


def _psql(sql):
    return _run("runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qAtc", sql)


def ensure_server():
    if not shutil.which("pg_lsclusters"):
        pytest.fail("PostgreSQL is not installed: run 'make test' as root, or apt-get install postgresql")
    clusters = [line.split() for line in _run("pg_lsclusters", "-h").stdout.splitlines() if line.strip()]
    if not clusters:
        pytest.fail("PostgreSQL is installed but has no cluster: pg_createcluster --start 15 main")
    version, name, port, status = clusters[0][:4]
    if status != "online":
        started = _run("pg_ctlcluster", version, name, "start", check=False)
        if started.returncode != 0:
            pytest.fail(f"could not start PostgreSQL {version}/{name}: {started.stderr.strip()}")
    return int(port)


@contextmanager
def temporary_database() -> Iterator[str]:
    """The URL of a role and database made for this run (and pytest-django's test_ copy of it),
    all dropped afterwards."""
    port = ensure_server()
    suffix = secrets.token_hex(4)
    user, database, password = f"lb_{suffix}", f"lb_{suffix}", secrets.token_hex(12)
    _psql(f"CREATE ROLE {user} LOGIN CREATEDB PASSWORD '{password}'")
    _psql(f"CREATE DATABASE {database} OWNER {user}")
    try:
        yield f"postgres://{user}:{password}@127.0.0.1:{port}/{database}"
    finally:
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        _psql(f"DROP DATABASE IF EXISTS test_{database} WITH (FORCE)")
        _psql(f"DROP ROLE IF EXISTS {user}")


@pytest.fixture(scope="session")
def postgres_url():
    with temporary_database() as url:
        yield url
