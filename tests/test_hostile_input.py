"""Text a licensor types is data in every output: never markup, template code, a link or a fetch."""

import json
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from licensebuilder.core import spec as specs
from licensebuilder.core.exports import build
from tests.factories import MINIMAL, make_spec
from tests.helpers import pdf_text

FIELDS = [
    "license.name",
    "licensor.name",
    "model.name",
    "model.version",
    "terms.governing_law",
    "use.restrictions[0].text",
    "licensor.contact",
    "model.url",
]

HOSTILE = [
    "<script>alert(1)</script>",
    "](javascript:alert(1))",
    "[click](javascript:alert(1))",
    "# heading\n",
    "# heading",
    "{{7*7}}",
    "{% raw %}",
    "{{ licensor.name }}",
    '<img src="http://127.0.0.1:9/x">',
    "file:///etc/passwd",
    "x" * 5000,
    "Acme\u202eevil",
    "*bold* _em_ `code` ~~gone~~",
    "1. first",
    "- item",
    "> quoted",
    "| a | b |",
    "&amp; &lt;b&gt;",
    "back\\slash\\",
    "[[Model]] [[Licensor|them]]",
    "<!-- comment -->",
    "Line\u2028separator",
    "https://evil.example/<script>",
]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.tags = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data):
        self.parts.append(data)


def _read(html):
    parser = _Text()
    parser.feed(html)
    return parser


def _set(data, path, value):
    if path.startswith("use.restrictions[0]"):
        data.setdefault("use", {})["restrictions"] = [{"text": value}]
        return
    section, key = path.split(".")
    data.setdefault(section, {})[key] = value


def _structure(result):
    # Heading levels and numbers only: the title line holds the (hostile) license name itself.
    md_headings = [
        line.split(" ", 2)[:2] if line.startswith("##") else ["#"]
        for line in result.markdown.splitlines()
        if line.startswith("#")
    ]
    parsed = _read(result.html)
    return md_headings, sorted(parsed.tags), parsed.hrefs


@pytest.fixture(scope="module")
def baseline():
    data = json.loads(json.dumps(MINIMAL))
    data["use"] = {"restrictions": [{"text": "plain words"}]}
    data["terms"] = {"governing_law": "plain words"}
    return _structure(build(specs.validate(data)))


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
@pytest.mark.parametrize("field", FIELDS)
def test_hostile_text_is_refused_with_a_field_error_or_shown_literally(field, value, baseline):
    data = json.loads(json.dumps(MINIMAL))
    data["use"] = {"restrictions": [{"text": "plain words"}]}
    data["terms"] = {"governing_law": "plain words"}
    _set(data, field, value)
    try:
        spec = specs.validate(data)
    except specs.SpecError as exc:
        assert {p.path for p in exc.problems} == {field}
        return
    result = build(spec)
    headings, tags, hrefs = _structure(result)
    # Same headings in the Markdown, same elements and links in the HTML: no structure added.
    assert headings == baseline[0]
    assert tags == baseline[1]
    assert hrefs == baseline[2]
    shown = " ".join(value.split())
    text = " ".join("".join(_read(result.html).parts).split())
    assert shown in text, "the value appears as the user typed it"
    assert json.dumps(value.strip(), ensure_ascii=False)[1:-1] in result.json


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    _Counter.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_the_counting_server_does_see_a_plain_weasyprint_fetch(counting_server):
    # Control: without our fetcher and sanitiser the same markup is fetched, so zero below means something.
    from weasyprint import HTML

    port = counting_server.server_address[1]
    HTML(string=f'<img src="http://127.0.0.1:{port}/control">').write_pdf()
    assert _Counter.hits >= 1


def test_no_output_fetches_anything_named_in_user_text(counting_server):
    port = counting_server.server_address[1]
    bait = f'<img src="http://127.0.0.1:{port}/x"> <link rel=stylesheet href="http://127.0.0.1:{port}/s.css">'
    spec = make_spec(
        **{
            "model.name": bait[:120],
            "licensor.name": f"![x](http://127.0.0.1:{port}/md.png)",
            "terms.governing_law": f"url(http://127.0.0.1:{port}/css)",
            "use.restrictions": [{"text": bait}],
        }
    )
    result = build(spec)
    pdf = result.pdf()
    assert _Counter.hits == 0
    assert f"127.0.0.1:{port}/x" in pdf_text(pdf).replace("\n", "")
