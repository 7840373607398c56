"""``python -m tests.on_postgres FILE...``: the given test files again, on PostgreSQL.

The suite runs on SQLite; the web and security tests run a second time with DATABASE_URL pointing
at a PostgreSQL database made for this run, so that an error only one database raises (a NUL byte
in a JSON column, a length limit, a lock) cannot hide. No PostgreSQL means failure, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys

from _pytest.outcomes import Failed

from tests.postgres import temporary_database


def main(args: list[str]) -> int:
    try:
        with temporary_database() as url:
            env = {**os.environ, "DATABASE_URL": url}
            print(f"on PostgreSQL: {' '.join(args)}", flush=True)
            return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], env=env).returncode
    except Failed as exc:  # ensure_server's message: PostgreSQL missing or not starting
        print(f"on PostgreSQL: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
