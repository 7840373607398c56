"""The production stack on 127.0.0.1: gunicorn nodes and PDF render workers on one PostgreSQL
database and one redis-server, each on a free port. Used by the multi-node and fault tests and by
``make load``; a small HTTP client that behaves like a browser (cookies, CSRF) goes with it."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    directory: Path
    database_url: str
    redis_url: str
    settings: dict[str, str] = field(default_factory=dict)
    nodes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    workers: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "stack-" + "k" * 50,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            # Sign-up confirmation links, as files a visitor can read (bench/locustfile.py).
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.directory / "mail"),
            "STATIC_ROOT": str(self.directory / "static"),
            "DJANGO_SETTINGS_MODULE": "licensebuilder.settings",
            **self.settings,
        }

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")

    def _log(self, name: str):
        path = self.directory / f"{name}.log"
        self.logs.append(path)
        return path.open("ab")

    def start_node(self, workers: int = 2, threads: int = 4) -> str:
        port = free_port()
        args = [str(BIN / "gunicorn"), "licensebuilder.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
        log = self._log(f"node-{port}")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        self.nodes.append((base, proc))
        wait_for(base + "/schema/license-spec-v1.json", proc, self.logs[-1])
        return base

    def start_workers(self, count: int = 1) -> subprocess.Popen:
        args = [sys.executable, "manage.py", "rqworker-pool", "pdf", "--num-workers", str(count),
                "--worker-class", "licensebuilder.drafts.renders.RenderWorker"]  # fmt: skip
        log = self._log("workers")
        self.workers = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.workers

    def stop_workers(self) -> None:
        if self.workers is not None and self.workers.poll() is None:
            os.killpg(self.workers.pid, signal.SIGTERM)
            try:
                self.workers.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.workers.pid, signal.SIGKILL)
                self.workers.wait(timeout=10)
        self.workers = None

    def worker_processes(self) -> dict[int, int]:
        """{pid: process group} of every process of the render workers: the pool, its workers,
        their scheduler and any work horse (each horse leads a process group of its own)."""
        if self.workers is None:
            return {}
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone in between
            pid, group, session = int(stat.parent.name), int(fields[2]), int(fields[3])
            if session == self.workers.pid and fields[0] != "Z":
                found[pid] = group
        return found

    def render_processes(self) -> list[int]:
        """The work horses laying out a PDF now."""
        pool = self.workers.pid if self.workers is not None else 0
        return [pid for pid, group in self.worker_processes().items() if pid == group != pool]

    def kill_workers(self) -> None:
        """SIGKILL every process of the render workers at once, as when their machine is lost:
        nothing gets to clean up or tell Redis."""
        for pid in self.worker_processes():
            with contextlib.suppress(ProcessLookupError):  # gone in between
                os.kill(pid, signal.SIGKILL)
        if self.workers is not None:
            self.workers.wait(timeout=10)
        self.workers = None

    def stop(self) -> None:
        self.stop_workers()
        for _base, proc in self.nodes:
            proc.terminate()
        for _base, proc in self.nodes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.nodes = []

    def tail(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs if p.exists())


def wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"{url} did not answer:\n{log.read_text(errors='replace')[-3000:]}") from None
            time.sleep(0.25)


# -- a browser-like client -------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """Cookies shared by every node (one host, several ports), CSRF as a page sends it."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, url: str, data: dict | None = None, headers: dict | None = None, timeout: float = 60) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"User-Agent": "stack-test", **(headers or {})})
        if body is not None:
            req.add_header("X-CSRFToken", self.csrf())
            req.add_header("Referer", url)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, dict(exc.headers), exc.read())

    def get(self, url: str, **kwargs) -> Reply:
        return self.request(url, **kwargs)

    def post(self, url: str, data: dict, **kwargs) -> Reply:
        if not self.csrf():
            self.get(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/accounts/login/")
        return self.request(url, data=data, **kwargs)

    def login(self, base: str, username: str, password: str) -> None:
        self.get(base + "/accounts/login/")
        reply = self.post(base + "/accounts/login/", {"username": username, "password": password})
        if reply.status != 302:
            raise RuntimeError(f"login as {username} failed: {reply.status} {reply.text[:500]}")


def make_account(stack: Stack, username: str, password: str, drafts: int = 1) -> list[int]:
    """A user with ``drafts`` complete drafts that differ in their answers (from each other and from
    every other user's): their ids."""
    code = f"""
from django.contrib.auth import get_user_model
from licensebuilder.core import spec as specs
from licensebuilder.drafts.models import Draft
from licensebuilder.drafts import wizard
user = get_user_model().objects.create_user({username!r}, password={password!r})
base = {{"license": {{"name": "Acme Open Model License", "version": "1.0"}},
        "licensor": {{"name": {username!r} + " Ltd."}}, "model": {{"name": "Acme-7B", "version": "1.0"}}}}
done = [s.slug for s in wizard.STEPS if s.form is not None]
for n in range({drafts}):
    spec = specs.validate(base)
    spec["terms"]["termination_cure_days"] = 30 + n
    d = Draft.objects.create(owner=user, title=f"Draft {{n}}", spec=specs.validate(spec), done=done)
    print(d.pk)
"""
    return [int(line) for line in stack.manage("shell", "--no-imports", "-c", code).split()]


def new_password() -> str:
    return "pw-" + secrets.token_urlsafe(12)
