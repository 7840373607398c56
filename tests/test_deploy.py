"""The production setup without Docker: gunicorn, PostgreSQL, DEBUG off, static files by WhiteNoise."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.postgres import postgres_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(postgres_url, tmp_path_factory):  # noqa: F811
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "deploy-test-" + "x" * 40,
        "DATABASE_URL": postgres_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on 127.0.0.1: the HTTPS switches off, as .env.example says for a local run.
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_SETTINGS_MODULE": "licensebuilder.settings",
    }
    manage = [sys.executable, "manage.py"]
    for args in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["check", "--deploy", "--fail-level", "ERROR"],  # the production defaults: test_security_defaults
    ):
        done = subprocess.run(manage + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = tmp_path_factory.mktemp("gunicorn") / "output.log"
    log_file = log.open("wb")
    # The same command line as the Dockerfile's, access log included.
    proc = subprocess.Popen(
        [str(gunicorn), "licensebuilder.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
         "--access-logfile", "-"],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # the app and the clause library load before the workers fork
    while True:
        try:
            urllib.request.urlopen(base + "/schema/license-spec-v1.json", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("gunicorn did not start: " + log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)
    yield {"base": base, "env": env, "log": log}
    proc.terminate()
    proc.wait(timeout=10)
    log_file.close()


def test_gunicorn_on_postgres_serves_the_schema(server):
    with urllib.request.urlopen(server["base"] + "/schema/license-spec-v1.json") as response:
        schema = json.load(response)
    assert schema["properties"]["derivatives"]["properties"]["distillation"]["default"] == "share_alike"


def test_static_files_are_served_with_debug_off(server):
    with urllib.request.urlopen(server["base"] + "/static/license/license.css") as response:
        assert response.status == 200
        assert b".license" in response.read()


def test_the_database_is_postgresql(server):
    code = "from django.db import connection; print(connection.vendor, connection.pg_version // 10000)"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["postgresql", "15"], out.stderr


def test_an_unknown_host_is_refused_not_served(server):
    request = urllib.request.Request(server["base"] + "/schema/license-spec-v1.json", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request)
    assert exc.value.code == 400


def test_share_link_tokens_never_reach_the_logs(server):
    token = secrets.token_urlsafe(32)
    for path in (f"/s/{token}/", f"/s/{token}/history/?page=2"):
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(server["base"] + path)
        assert exc.value.code == 404
    deadline = time.monotonic() + 10
    while "/s/[redacted]/history/" not in server["log"].read_text(errors="replace"):
        assert time.monotonic() < deadline, "the access log never showed the request"
        time.sleep(0.1)
    assert token not in server["log"].read_text(errors="replace")
