"""The engine's caches, all in one place: each bounded, each kept because ``make bench`` shows it pays.

The engine reads plainly and asks this module, as Jinja asks its bytecode cache: a miss computes
the plain way and the result is remembered. ``clear()`` empties every cache; the property tests
compare results after ``clear()`` with warm ones, so a stale entry would show there.

What is cached, and by what:

- ``clause_renders``: a clause body rendered from its template, keyed by the template and the
  exact sub-key of the answers it reads (:func:`render_key`). Rendering a body in the sandbox is
  most of an assembly's cost, and an edit changes the answers of only a few clauses.
- ``conditions``: whether a clause's ``when`` holds, keyed the same way by what it reads:
  evaluating a hundred sandboxed expressions costs more than the rest of an assembly.
- ``documents``: a whole assembled Document, keyed by the canonical JSON of its spec: a preview
  while someone types a name asks for the very same (stand-in) spec on every keystroke.
- ``markdown_html``: one Markdown chunk (a heading, a clause) converted to HTML and sanitised,
  keyed by the chunk's text. Converting and sanitising are most of an HTML export's cost and a
  third of a preview's; most chunks survive an edit. The preview and the exports share it.
- ``summaries``: the summary in ``license.json``, keyed by which clauses the license holds and the
  exact values its rules read (never a name): working out the rules model for it costs as much as
  an assembly, and an edit of a name or a version leaves it as it was.
- ``clause_sections``: a clause's section of the HTML, by the clause object itself, and a section's,
  by the section object (see below).
- ``json_texts``: a member of ``license.json`` indented, by its compact JSON: Python indents JSON
  with its pure-Python encoder, and the clause list and the summary outlive most edits.
- ``completed``: a draft's answers completed with placeholders, by their canonical JSON; and
  ``completed_parts``, each top-level answer completed, by its own.
- ``headers``: a license's title block, by the names and versions it shows.
- ``word_diffs``, ``segment_html``: the redline's word diffs and their HTML, by the texts.

Each is a least-recently-used map bounded in entries and in bytes of text: entries vary in size
with what licensors type, and a cache keyed on text must never grow a worker without bound.

Besides the caches, each thread keeps its last assembly (``reuse.Reuse``): the next one takes from it
the conditions, bodies and whole clauses that read only answers which did not change, without
building a key, and whole sections whose clauses would all be taken. A clause or section taken
over is the very same object, so what is remembered by it (``clause_sections``, the preview's
sections) is found without reading its text.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    """A thread-safe least-recently-used map holding at most ``max_entries`` entries whose
    ``size(key, value)`` add up to at most ``max_bytes``."""

    def __init__(self, max_entries: int, max_bytes: int, size: Callable[[Hashable, V], int]):
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        _ALL.append(self)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            self._data.move_to_end(key)
            return hit[0]

    def put(self, key: Hashable, value: V) -> V:
        size = self._size(key, value)
        if size > self.max_bytes:
            return value  # larger than the whole cache: not worth evicting everything for
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._data[key] = (value, size)
            self.bytes += size
            while len(self._data) > self.max_entries or self.bytes > self.max_bytes:
                _, (_, dropped) = self._data.popitem(last=False)
                self.bytes -= dropped
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        hit = self.get(key)
        return hit if hit is not None else self.put(key, make())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.bytes = 0


_ALL: list[LRU[Any]] = []


def clear() -> None:
    """Empty every cache (tests use it to compare cold results with warm ones)."""
    global generation
    for cache in _ALL:
        cache.clear()
    _paths.clear()
    _policy_reasons.clear()
    generation += 1


def text_size(key: Hashable, value: Any) -> int:
    """Bytes of a text key and its text value (or of a value's ``text_size``), roughly."""
    key_size = len(key) if isinstance(key, str) else 64
    value_size = len(value) if isinstance(value, str) else getattr(value, "text_size", 256)
    return key_size + value_size + 100


# -- rendered clause bodies ------------------------------------------------------------------

# Context helpers whose result depends on more than their arguments: ``mods_with`` reads the
# derivative policies; ``included`` which clauses the license contains (``included.x``: whether it
# contains clause x; ``included`` alone: all of them).
HELPER_READS = {"mods_with": "derivatives"}


def _value_at(path: str, values: dict[str, Any]) -> Any:
    """The value at a dotted ``path`` into the template context; a path that does not lead to a
    value (a method such as ``derivatives.items``, a key a spec lacks) stands for its whole root."""
    root, _, rest = path.partition(".")
    value = values.get(root)
    if rest and root in HELPER_READS and callable(value):
        return value(rest)  # ``mods_with.x``: the modifications with the policy x
    for part in rest.split(".") if rest else ():
        if not isinstance(value, dict) or part not in value:
            return values.get(root)
        value = value[part]
    return value


def read_paths(names: Iterable[str], values: dict[str, Any]) -> tuple[str, ...]:
    """Of the dotted names a template reads, those whose value can differ between two specs, with
    the helpers it calls replaced by what they read. A name absent from the context (a template's
    own variable) or a path into a pure helper reads the same in every assembly: it is left out."""
    out: dict[str, None] = {}
    for path in names:
        root = path.split(".", 1)[0]
        if root == "included":
            out[path] = None
        elif root in HELPER_READS:
            # ``mods_with.x`` reads only which modifications have the policy x; the helper called
            # some other way, every policy.
            out[path if path != root else HELPER_READS[root]] = None
        elif root in values and not callable(values[root]):
            out[path] = None
    return tuple(out)


def policy_reason(path: str, policy: Any, make: Callable[[str, Any], V]) -> V:
    """``make(path, policy)``, made once for each derivative policy of each modification (a few
    dozen of them) and shared: the reasons a derived answer gives are made again on every edit of
    a policy otherwise."""
    if not isinstance(policy, str) or len(policy) > 64:
        return make(path, policy)  # not a policy word: nothing to share
    key = (path, policy)
    hit = _policy_reasons.get(key)
    if hit is None:
        if len(_policy_reasons) >= 1024:
            _policy_reasons.clear()
        hit = _policy_reasons[key] = make(path, policy)
    return hit


_policy_reasons: dict[tuple[str, str], Any] = {}  # (path, policy) -> what ``make`` made of them


def template_paths(names: tuple[str, ...], values: dict[str, Any]) -> tuple[str, ...]:
    """:func:`read_paths` of one of a template's name lists, worked out once per list (every
    assembly's context has the same names)."""
    hit = _paths.get(id(names))
    if hit is not None and hit[0] is names:
        return hit[1]
    paths = read_paths(names, values)
    if len(_paths) >= 8192:  # libraries loaded again and again (tests): start afresh
        _paths.clear()
    _paths[id(names)] = (names, paths)
    return paths


def render_key(
    template: Any,
    paths: tuple[str, ...],
    values: dict[str, Any],
    selected: Collection[str],
    memo: dict[str, Any] | None = None,
) -> tuple[Any, ...]:
    """The exact sub-key of a clause render: the template and, for each of ``paths`` (see
    :func:`read_paths`), the canonical JSON of the value it reads. Two assemblies whose values agree
    on these paths render the body identically."""
    parts: list[Any] = [id(template)]
    for path in paths:
        if path == "included":
            parts.append(tuple(sorted(selected)))
            continue
        if path.startswith("included."):
            parts.append(path[9:] in selected)
            continue
        part = memo.get(path, _MISSING) if memo is not None else _MISSING
        if part is _MISSING:
            part = key_part(path, values)
            if memo is not None:
                memo[path] = part
        parts.append(part)
    return tuple(parts)


def key_part(path: str, values: dict[str, Any]) -> Any:
    """What a key holds of the value at ``path``: the value itself, typed (so that True and 1
    differ), or the canonical JSON of a list or mapping (its key order matters to the text)."""
    value = _value_at(path, values)
    if value is None or type(value) in _SCALARS:
        return (type(value), value)
    return _KEY_JSON.encode(value)


# What ``json.dumps(value, ensure_ascii=False, default=str)`` does, with the encoder made once
# (each call with options of its own makes one anew).
_KEY_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def spec_texts(spec: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """``json.dumps(spec, ensure_ascii=False, separators=(",", ":"))``, written answer by answer,
    and each answer's own text: an assembly is remembered by the first and compares the second with
    the last assembly's (``reuse.Reuse``), so that no answer is written out twice."""
    if not all(type(key) is str for key in spec):
        return _SPEC_JSON.encode(spec), {}  # keys JSON writes otherwise: the whole, as dumps writes it
    texts = {key: _SPEC_JSON.encode(value) for key, value in spec.items()}
    return "{" + ",".join(f"{_quoted(key)}:{text}" for key, text in texts.items()) + "}", texts


_SPEC_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _quoted(key: str) -> str:
    """A spec's key as JSON writes it: each of the few the schema has written once."""
    text = _QUOTED.get(key)
    if text is None:
        text = _SPEC_JSON.encode(key)
        if len(_QUOTED) < 64 and len(key) <= 64:
            _QUOTED[key] = text
    return text


_QUOTED: dict[str, str] = {}

_MISSING = object()

# Moved on by ``clear()``: no thread's last assembly (``reuse.Reuse``) is taken over across it.
generation = 0


_SCALARS = {str, bool, int, float}


# len(str((t, value))) is 4 + len(repr(t)) + len(repr(value)): the type's part worked out once.
_TYPED = {t: 4 + len(repr(t)) for t in (*_SCALARS, type(None))}


def _part_size(part: Any) -> int:
    """``len(str(part))`` of a part of a render key, without writing out the type's name."""
    if isinstance(part, str):
        return len(part)
    if type(part) is tuple and len(part) == 2 and part[0] in _TYPED:
        return _TYPED[part[0]] + len(repr(part[1]))
    return len(str(part))


def _render_size(key: Hashable, value: Any) -> int:
    key_size = sum(map(_part_size, key[1:])) if isinstance(key, tuple) else 64
    return key_size + getattr(value, "text_size", 256) + 200


def _pair_size(key: Hashable, value: Any) -> int:
    return 2 * sum(len(text) for text in key) + 200 if isinstance(key, tuple) else 256  # the segments repeat the texts


def _segments_size(key: Hashable, value: Any) -> int:
    segments = key[0] if isinstance(key, tuple) else ()
    return sum(len(text) for _, text in segments) + len(value) + 200


def _summary_size(key: Hashable, value: Any) -> int:
    return len(str(key)) + len(value[1]) + 200  # the key holds the values the rules read


def _part_key_size(key: Hashable) -> int:
    """Characters of a (name, answer JSON) key: the answer as typed, which may be longer than as kept."""
    return sum(len(part) for part in key if isinstance(part, str)) if isinstance(key, tuple) else 64


def _document_size(key: Hashable, value: Any) -> int:
    """Bytes of a (library id, spec JSON) key and its (library, Document) value, roughly."""
    spec_text = key[1] if isinstance(key, tuple) else ""
    return 2 * len(spec_text) + sum(section.text_size for section in value[1].sections)


# Whole documents, by the canonical JSON of their spec (and the library's identity): the live
# preview asks for the same spec again and again while someone types a name (see drafts/standins.py).
documents: LRU[Any] = LRU(max_entries=256, max_bytes=32 * 2**20, size=_document_size)

# What each template reads that can differ between specs (see ``template_paths``): a few hundred
# small tuples per library, read hundreds of times per assembly, so a plain dict.
_paths: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}

# Rendered clause bodies: the value keeps its template, and a hit is used only for that very
# template, so a reloaded library whose template reuses an old id never hits.
clause_renders: LRU[Any] = LRU(max_entries=8192, max_bytes=32 * 2**20, size=_render_size)

# Whether a clause's ``when`` holds, by the template and the values at the paths it reads.
conditions: LRU[bool] = LRU(max_entries=16384, max_bytes=16 * 2**20, size=_render_size)

# A word-level diff of two clause bodies (``diff.redline``), by the two bodies.
word_diffs: LRU[Any] = LRU(max_entries=4096, max_bytes=16 * 2**20, size=_pair_size)

# The sanitised HTML of a word diff's kept segments (``diff.html``), by the segments.
segment_html: LRU[str] = LRU(max_entries=4096, max_bytes=16 * 2**20, size=_segments_size)

# A license's summary (``summary.summary_of``), by the clauses it holds and the values its rules read.
summaries: LRU[Any] = LRU(max_entries=1024, max_bytes=4 * 2**20, size=_summary_size)

# For each clause library: which templates read each answer (``reuse.Readers.of``).
readers: LRU[Any] = LRU(max_entries=8, max_bytes=4 * 2**20, size=lambda key, value: value[1].size + 256)

# A clause's section of the HTML, by the clause itself, and a whole section's, by the section: an
# entry holds its clause or section, so that no other object can take its identity while it is kept.
clause_sections: LRU[Any] = LRU(max_entries=4096, max_bytes=32 * 2**20, size=lambda key, value: 2 * len(value[1]) + 400)

# A member of ``license.json`` indented, by its compact JSON (``render.json``).
json_texts: LRU[str] = LRU(max_entries=1024, max_bytes=16 * 2**20, size=text_size)

# The sanitised HTML of one chunk of the canonical Markdown, by the chunk.
markdown_html: LRU[str] = LRU(max_entries=8192, max_bytes=32 * 2**20, size=text_size)

# A license's title block in Markdown (``render.markdown.header_markdown``), by what it shows.
headers: LRU[str] = LRU(max_entries=256, max_bytes=2 * 2**20, size=lambda key, value: 2 * len(value) + 300)

# A draft's answers completed with placeholders for the names not given yet (``complete.complete``),
# as JSON text, by the canonical JSON of the answers: the preview completes the same few specs over
# and over while someone types. Each caller reads its own copy from the text.
completed: LRU[str] = LRU(max_entries=512, max_bytes=16 * 2**20, size=text_size)

# One top-level answer validated and completed as JSON text (``complete``), by the answer's name and
# canonical JSON: an edit changes one answer, and the others are completed as they were.
completed_parts: LRU[str] = LRU(
    max_entries=1024, max_bytes=8 * 2**20, size=lambda key, value: _part_key_size(key) + len(value) + 200
)
