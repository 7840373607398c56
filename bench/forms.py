"""What a browser would send from a page's form: every field's current value, as the HTML says."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _ours(self, attrs: dict[str, str | None]) -> bool:
        return self.inside or attrs.get("form") == self.form_id

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        name = attrs.get("name")
        if tag == "input" and name and self._ours(attrs):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "file", "reset"):
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name and self._ours(attrs):
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_value = value
        elif tag == "textarea" and name and self._ours(attrs):
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


# The only parts of a page that say what a form submits: its controls and the text of its text
# areas. Most of a step page is the license preview; leaving it out before parsing makes reading a
# form about 20 times cheaper (the load test's client reads one per step it opens).
_FORM_PARTS = re.compile(r"<textarea\b[^>]*>.*?</textarea\s*>|</?(?:form|input|select|option)\b[^>]*>", re.S | re.I)


def form_fields(html: str, form_id: str = "step-form") -> list[tuple[str, str]]:
    """The (name, value) pairs the form ``form_id`` would submit (without its buttons)."""
    reader = _FormReader(form_id)
    reader.feed("".join(_FORM_PARTS.findall(html)))
    return reader.fields


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """``fields`` with the named ones set to ``values`` (added when missing)."""
    out = [(k, values[k]) if k in values else (k, v) for k, v in fields]
    out += [(k, v) for k, v in values.items() if k not in {k for k, _ in fields}]
    return out


_STATE = re.compile(r'name="preview_state"[^>]*value="([^"]*)"')
_VERSION = re.compile(r'id="field-version" value="(\d+)"')


def preview_state(html: str) -> str | None:
    match = _STATE.search(html)
    return match.group(1) if match else None


def version(html: str) -> str | None:
    match = _VERSION.search(html)
    return match.group(1) if match else None


# The step page's two hx-trigger delays: for the preview and for the autosave.
_DELAY = re.compile(r'hx-post="[^"]*/(preview|autosave)/"\s+hx-trigger="input from:#step-form delay:(\d+)ms')


def typing_delays(html: str) -> tuple[float, float]:
    """How long the page waits after the last keystroke before it asks for a preview and before it
    autosaves (its hx-trigger delays), in seconds."""
    delays = {kind: int(ms) / 1000 for kind, ms in _DELAY.findall(html)}
    return delays.get("preview", 0.3), delays.get("autosave", 0.8)
