"""The load test's visitors (``make load``): each signs up (following the emailed link), starts a
draft, walks the wizard with live previews and autosaves as the page sends them, and now and then compares, exports (PDF
included, polled as the "preparing" page polls), shares and looks at the dashboard.

Requests go to the nodes in LOAD_NODES in turn, as a round-robin load balancer would send them.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from bench.forms import form_fields, preview_state, replace, typing_delays, version

NODES = os.environ.get("LOAD_NODES", "http://127.0.0.1:8000").split(",")
MAIL = os.environ.get("LOAD_MAIL", "")
STEPS = ("basics", "elements", "use", "derivatives", "terms")
PASSWORD = "load-test-passphrase-" + secrets.token_hex(4)
_next_node = itertools.cycle(range(len(NODES)))


class Licensor(FastHttpUser):
    host = NODES[0]
    wait_time = between(1, 3)

    def _url(self, path: str) -> str:
        return NODES[next(_next_node)] + path

    def _csrf(self) -> str:
        return next((cookie.value or "" for cookie in self.client.cookiejar if cookie.name == "csrftoken"), "")

    def _post(self, path: str, data, name: str, htmx: bool = False, **kwargs):
        headers = {
            "X-CSRFToken": self._csrf(),
            "Referer": NODES[0] + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode(list(data.items()) if isinstance(data, dict) else data)
        return self.client.post(self._url(path), data=body, headers=headers, name=name, **kwargs)

    def _confirmation_link(self, email: str) -> str:
        """The link of the sign-up email, read from the nodes' mail files (LOAD_MAIL)."""
        for path in sorted(Path(MAIL).glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            text = path.read_text(errors="replace")
            start = text.find(f"To: {email}\n")
            if start >= 0:  # the first link after this visitor's own address: a file holds many messages
                link = re.search(r"http://\S+/accounts/activate/\S+", text[start:])
                if link:
                    return link.group(0)
        raise StopUser()

    def on_start(self) -> None:
        # A visitor reads each page before acting on it (the same think time as between tasks): the
        # sign-up form, the email, the new draft's first step.
        self.client.get(self._url("/accounts/signup/"), name="signup page")
        self.wait()
        username = "load-" + secrets.token_hex(5)
        email = f"{username}@load.example"
        data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
        with self._post("/accounts/signup/", data, "signup", allow_redirects=False, catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"signup: {reply.status_code}")
                raise StopUser()
        self.wait()
        link = self._confirmation_link(email)
        path = link.split("//", 1)[1].split("/", 1)[1]
        self.client.get(self._url("/" + path), name="confirm page")
        self.wait()
        with self._post("/" + path, {}, "confirm", allow_redirects=False, catch_response=True) as reply:
            if reply.status_code != 302:
                reply.failure(f"confirm: {reply.status_code}")
                raise StopUser()
        self.wait()
        reply = self._post("/drafts/new/", {"preset": "responsible-use"}, "new draft", allow_redirects=False)
        self.draft = int(reply.headers["Location"].split("/drafts/")[1].split("/")[0])
        page = self.client.get(self._url(f"/drafts/{self.draft}/steps/basics/"), name="step").text
        self.wait()
        names = {"license_name": "Load Test License", "licensor_name": "Load Co.", "model_name": "Load-1"}
        fields = replace(form_fields(page), action="next", **names)
        self._post(f"/drafts/{self.draft}/steps/basics/", fields, "save step", allow_redirects=False)
        self.typed = 0

    @task(10)
    def walk_a_step(self) -> None:
        """Open a step, type (three previews, as the page debounces them), and autosave."""
        slug = random.choice(STEPS)
        page = self.client.get(self._url(f"/drafts/{self.draft}/steps/{slug}/"), name="step").text
        fields, state = form_fields(page), preview_state(page)
        # The page asks for a preview once typing has paused for its preview delay, and autosaves
        # once it has paused for the longer autosave delay: requests never come closer than that.
        preview_delay, autosave_delay = typing_delays(page)
        for _ in range(3):
            time.sleep(preview_delay)
            self.typed += 1
            if slug == "basics":
                fields = replace(fields, model_name=f"Load-{self.typed}")
            elif slug == "terms":
                fields = replace(fields, termination_cure_days=str(1 + self.typed % 90))
            sent = replace(fields, preview_state=state) if state else fields
            reply = self._post(f"/drafts/{self.draft}/steps/{slug}/preview/", sent, "preview", htmx=True)
            state = preview_state(reply.text) or state
        time.sleep(autosave_delay - preview_delay)
        reply = self._post(f"/drafts/{self.draft}/steps/{slug}/autosave/", fields, "autosave", htmx=True)
        fields = replace(fields, version=version(reply.text) or dict(fields).get("version", "1"))

    @task(2)
    def dashboard(self) -> None:
        self.client.get(self._url("/drafts/"), name="dashboard")

    @task(2)
    def compare(self) -> None:
        self.client.get(self._url(f"/drafts/{self.draft}/compare/?a=preset-permissive&b=current"), name="compare")

    @task(2)
    def export_text(self) -> None:
        fmt = random.choice(("md", "html", "json", "summary"))
        self.client.get(self._url(f"/drafts/{self.draft}/export/{fmt}/"), name="export (text)")

    @task(1)
    def export_pdf(self) -> None:
        """Ask for the PDF, then poll as the "preparing" page does until it downloads."""
        path = f"/drafts/{self.draft}/export/pdf/"
        deadline = time.monotonic() + 60
        while True:
            with self.client.get(self._url(path), name="pdf", catch_response=True) as reply:
                if reply.status_code == 200 and reply.content.startswith(b"%PDF"):
                    reply.success()
                    return
                if reply.status_code == 202 and time.monotonic() < deadline:
                    reply.success()
                    time.sleep(float(reply.headers.get("Retry-After", "2")))
                    continue
                reply.failure(f"PDF: {reply.status_code}")
                return

    @task(1)
    def share(self) -> None:
        path = f"/drafts/{self.draft}/shares/"
        self.client.get(self._url(path), name="shares")
        reply = self._post(path, {"label": "Counsel", "expires_in": "7"}, "share (create)")
        token = reply.text.split("/s/")[1].split("/")[0] if "/s/" in reply.text else ""
        if token:
            self.client.get(self._url(f"/s/{token}/"), name="shared page")


# Every response time, for the runner to take the p95 of all non-PDF requests together.
_TIMES: list[tuple[str, float]] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    _TIMES.append((name, response_time))


@events.quitting.add_listener
def _write(environment, **kwargs):
    out = os.environ.get("LOAD_TIMES")
    if out:
        with open(out, "w") as f:
            f.writelines(f"{name}\t{ms:.3f}\n" for name, ms in _TIMES)
