"""What the web app makes of a build: the preview, exports and downloads.

The builds themselves, and their cached PDFs, are in ``models.builds``; their names are also
reached from here (``outputs.build``, ``outputs.cached_pdf``) by the pages that show them.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from html import escape
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from licensebuilder.core.assemble import Clause, Document, Reason, Section, assemble
from licensebuilder.core.cache import LRU
from licensebuilder.core.exports import Build
from licensebuilder.core.library import Library, LibraryError, default_library
from licensebuilder.core.render.html import safe_html
from licensebuilder.core.render.markdown import clause_heading, header_markdown
from licensebuilder.core.render.pdf import PAPER_SIZES, html_for_pdf

from . import renders, standins, wizard

# Re-exported: the pages that show builds reach them here.
from .models.builds import build as build
from .models.builds import build_answers as build_answers
from .models.builds import library_version as library_version


def pdf_key(result: Build, paper: str) -> str:
    return hashlib.sha256(result.json.encode("utf-8") + b"\x00" + paper.encode("ascii")).hexdigest()


def cached_pdf(result: Build, paper: str = "a4") -> bytes:
    """The PDF of a build: stored once by content, rendered in the request or by a render worker."""

    def page() -> tuple[str, dict[str, bytes]]:
        return html_for_pdf(result.document, result.markdown, paper), {"license.json": result.json.encode("utf-8")}

    return renders.pdf(pdf_key(result, paper), page, paper, result.fingerprint)


# -- downloads -------------------------------------------------------------------------------

EXPORTS: dict[str, tuple[str, str, str]] = {
    # format: (label, content type, file name suffix)
    "md": ("Markdown", "text/markdown; charset=utf-8", ".md"),
    "html": ("HTML", "text/html; charset=utf-8", ".html"),
    "pdf": ("PDF", "application/pdf", ".pdf"),
    "json": ("license.json", "application/json", ".license.json"),
    "summary": ("Plain-language summary", "text/markdown; charset=utf-8", "-summary.md"),
    "bundle": ("Release bundle (.zip)", "application/zip", "-bundle.zip"),
}


def file_stem(spec: dict[str, Any]) -> str:
    """An ASCII file name from the license name and version: acme-open-model-license-1.0."""
    name = slugify(spec["license"]["name"])[:80].strip("-") or "license"
    version = re.sub(r"[^a-z0-9.]+", "-", str(spec["license"].get("version", "")).lower()).strip("-.")
    version = re.sub(r"\.{2,}", ".", version)[:20]
    return f"{name}-{version}" if version else name


def zip_bundle(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # fixed: same draft, same zip
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def export(result: Build, fmt: str, paper: str = "a4") -> bytes:
    if fmt == "bundle":
        return zip_bundle(result.bundle(paper))
    content = result.output(fmt, paper=paper)
    return content if isinstance(content, bytes) else content.encode("utf-8")


# A downloaded HTML file opened from this site runs nothing and loads nothing but its own styles.
_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


def paper_from(request: HttpRequest) -> tuple[str, HttpResponse | None]:
    """The ``paper`` asked for (A4 when none), or a 400 answer naming the field."""
    paper = request.GET.get("paper", "a4")
    if paper not in PAPER_SIZES:
        message = f"paper: must be one of {', '.join(sorted(PAPER_SIZES))}"
        return paper, HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return paper, None


def download_name(spec: dict[str, Any], fmt: str, paper: str, extra: str = "") -> str:
    """``acme-model-license-1.0[-extra][-letter].pdf``: made only of safe characters."""
    paper_part = f"-{paper}" if fmt in ("pdf", "bundle") and paper != "a4" else ""
    return f"{file_stem(spec)}{extra}{paper_part}{EXPORTS[fmt][2]}"


def download(data: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment; an HTML one also gets a policy that keeps it inert if opened from here."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if content_type.startswith("text/html"):
        response["Content-Security-Policy"] = _HTML_CSP
    return response


# -- the preview -----------------------------------------------------------------------------


def _digest(title: str, body: str) -> str:
    key = (title, body)
    hit = _DIGESTS.get(key)
    if hit is not None:
        return hit
    return _DIGESTS.put(key, hashlib.blake2s(f"{title}\x00{body}".encode(), digest_size=5).hexdigest())


def _digest_size(key: Any, value: str) -> int:
    return sum(len(part) for part in key) + 200


# Each clause's digest, by its title and text: hashing every clause again on every keystroke cost a
# fifth of a preview (``make bench``, web-preview). Bounded in bytes, as its keys hold typed text.
_DIGESTS: LRU[str] = LRU(max_entries=4096, max_bytes=16 * 2**20, size=_digest_size)


def state_of(doc: Document) -> str:
    """The preview state sent back with the next preview request: clause id and digest pairs."""
    return " ".join(f"{c.id}:{_digest(c.title, c.body)}" for c in doc.clauses())


# One item of a state: a clause id and a digest, alone between white space (or the ends).
_STATE_ITEM = re.compile(r"(?<!\S)([a-z][a-z0-9_.]{0,80}):([0-9a-f]{10})(?!\S)")


def parse_state(text: str) -> dict[str, str] | None:
    """A state sent by the browser; an item that is not one is left out, and a state with none
    counts as no state."""
    if not text or len(text) > 20_000:
        return None
    return dict(_STATE_ITEM.findall(text)) or None


def _section_size(key: Any, value: str) -> int:
    return sum(len(part) for part in key if isinstance(part, str)) + len(value) + 300


# A clause's section of the preview without its mark, by what it shows (see ``_clause_section``):
# most clauses are the same from one keystroke to the next.
_SECTIONS: LRU[str] = LRU(max_entries=4096, max_bytes=32 * 2**20, size=_section_size)


def _ascii(html: str) -> str:
    """``html`` with every character beyond ASCII written as a character reference, which reads the
    same. The preview is sent again on every change: a reply all in ASCII is sent as it is, while a
    single quotation mark in it would have the whole reply (100 KB) encoded again, character by
    character, each time."""
    return html if html.isascii() else html.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _clause_text_html(clause: Clause) -> str:
    """The clause's heading and body as sanitised HTML: two blocks, made apart (see
    ``render.html.clause_html``), so that a renumbered clause reuses its body."""
    return safe_html(clause_heading(clause)) + "\n" + safe_html(clause.body + "\n")


def _why_html(why: tuple[tuple[str, str], ...], rationale: str) -> str:
    """The "Why is this here?" box. Its words are plain text (the vocabulary's and the library's,
    answers as typed), escaped as everywhere: ``html.escape``, which Django's ``escape`` applies."""
    if why:
        reasons = "".join(f"<li>{escape(label)}: <strong>{escape(value)}</strong></li>" for label, value in why)
        reasons = f"<p>Included because of these answers:</p><ul>{reasons}</ul>"
    else:
        reasons = "<p>Every license built here has this clause.</p>"
    rationale_html = f"<p>{escape(rationale)}</p>" if rationale else ""
    return f'<details class="clause-why"><summary>Why is this here?</summary>{reasons}{rationale_html}</details>'


def _clause_section(clause: Clause, mark: str, names: standins.Names = standins.NONE) -> str:
    """A clause's section of the preview: its text and "Why is this here?", remembered by all
    they show, in the section that marks it (a clause marked once shows unmarked afterwards). Its
    reasons quote the answers as given (``names``: those the clause's text has stand-ins for).
    Its markup around them, with the library's clause ids, is ASCII as they are (``_ascii``)."""
    reasons = clause.why
    if names.words and any(r.path in standins.HOLDING_NAMES for r in reasons):
        reasons = tuple(Reason(r.path, names.value(r.value)) for r in reasons)
    key: tuple[Any, ...] = (clause.id, clause.number, clause.title, clause.body, clause.rationale, reasons)
    try:
        inner = _SECTIONS.get(key)
    except TypeError:  # a reason that is a list of answers: remembered by how it reads
        key = (*key[:5], tuple((r.path, repr(r.value)) for r in reasons))
        inner = _SECTIONS.get(key)
    if inner is None:
        why = tuple(wizard.reason_words(r.path, r.value) for r in reasons)
        inner = _SECTIONS.put(key, _ascii(_clause_text_html(clause) + _why_html(why, clause.rationale)))
    classes = f"clause clause--{mark}" if mark else "clause"
    note = f'<p class="clause-mark">{"New" if mark == "added" else "Changed"}</p>' if mark else ""
    return (
        f'<section class="{classes}" id="{escape(clause.anchor)}" data-clause-id="{escape(clause.id)}">'
        f"{note}{inner}</section>"
    )


def clause_html(clause: Clause) -> SafeString:
    """One clause as the preview shows it, unmarked: its heading, text and "Why is this here?"."""
    return mark_safe(_clause_section(clause, ""))


def header_html(doc: Document) -> SafeString:
    """The license's title block as HTML."""
    return mark_safe(safe_html(header_markdown(doc)))


class _Shown:
    """A clause as the preview shows it, with the names its text stands in for (``names``): its
    digest, and its section once for each mark it has been given."""

    def __init__(self, clause: Clause, names: standins.Names, names_key: tuple[tuple[str, str], ...]):
        self.clause, self.names, self.names_key = clause, names, names_key
        # Names are put back only where the clause's text shows one: what else a section shows
        # (its title and rationale, the library's words; its reasons, given as typed) never
        # holds a stand-in.
        self.shown = names.shown_in(clause.body)
        self.digest = _digest(clause.title, names.put_back(clause.body) if self.shown else clause.body)
        self.item = f"{clause.id}:{self.digest}"  # as the preview state names it
        # Whether it may read differently with other names: its text may show one, or a reason
        # quotes one. Every other clause shows the same whatever the names.
        self.named = standins.may_hold(clause.body) or any(r.path in standins.HOLDING_NAMES for r in clause.why)
        self._html: dict[str, str] = {}

    def html(self, mark: str) -> str:
        made = self._html.get(mark)
        if made is None:
            made = _clause_section(self.clause, mark, self.names)
            made = self._html[mark] = _ascii(self.names.put_back(made)) if self.shown else made
        return made

    def shows(self, clause: Clause, names_key: tuple[tuple[str, str], ...]) -> bool:
        """Whether ``clause``, with these names, is shown as this one's clause is: the same
        number, title, text, reasons and rationale (a definition whose users changed, or a clause
        kept from the last assembly), with the same names if it may show one."""
        c = self.clause
        return (not self.named or self.names_key == names_key) and (
            c is clause
            or (
                c.id == clause.id
                and c.number == clause.number
                and c.title == clause.title
                and c.body == clause.body
                and c.rationale == clause.rationale
                and c.why == clause.why
            )
        )

    def renewed(self, clause: Clause) -> _Shown:
        """This, for ``clause``, which :meth:`shows` alike: its digest and sections shared."""
        if clause is self.clause:
            return self
        new = object.__new__(_Shown)
        new.__dict__.update(self.__dict__)
        new.clause = clause
        return new


class _ShownSection:
    """A section as the preview shows it (see ``_Shown``): its clauses, the digest each is known by
    in the preview state, and its HTML with no clause marked. ``before`` is the last one made for a
    section of the same id: each clause shown alike is taken from it, not worked out again."""

    def __init__(
        self,
        section: Section,
        names: standins.Names,
        names_key: tuple[tuple[str, str], ...],
        before: _ShownSection | None = None,
    ):
        self.section, self.names_key = section, names_key
        earlier: dict[str, _Shown] = before.by_id if before is not None else {}
        shown_clauses = []
        for clause in section.clauses:
            shown = earlier.get(clause.id)
            if shown is not None and shown.shows(clause, names_key):
                shown = shown.renewed(clause)
            else:
                shown = _Shown(clause, names, names_key)
            shown_clauses.append(shown)
        self.clauses = tuple(shown_clauses)
        self.by_id: dict[str, _Shown] = {shown.clause.id: shown for shown in self.clauses}
        self.named = any(shown.named for shown in self.clauses)
        self.digests = {clause_id: shown.digest for clause_id, shown in self.by_id.items()}
        self.state = [shown.item for shown in self.clauses]
        self.opening = _ascii(
            f'<section class="license-section" id="section-{escape(section.id.replace("_", "-"))}">'
            f"<h2>{escape(section.number)}. {escape(section.title)}</h2>"
        )
        self._html: str | None = None
        self.size = sum(2 * len(shown.clause.body) + 200 for shown in self.clauses) + 1000  # its HTML, and the state

    def html(self) -> str:
        if self._html is None:
            self._html = self.opening + "".join(shown.html("") for shown in self.clauses) + "</section>"
        return self._html

    def renewed(self, section: Section, names_key: tuple[tuple[str, str], ...]) -> _ShownSection | None:
        """This, for ``section``, when it is shown as this one is: the same number and title, and
        each clause shown alike (see ``_Shown.shows``), as a definition is whose users changed.
        None when it is not."""
        mine = self.section
        if (
            section.number != mine.number
            or section.title != mine.title
            or len(section.clauses) != len(self.clauses)
            or not all(
                shown.shows(clause, names_key) for shown, clause in zip(self.clauses, section.clauses, strict=True)
            )
        ):
            return None
        new = object.__new__(_ShownSection)
        new.__dict__.update(self.__dict__)
        new.section, new.names_key = section, names_key
        return new


def _shown_section(section: Section, names: standins.Names, names_key: tuple[tuple[str, str], ...]) -> _ShownSection:
    """The section as shown, found by the section itself where the last assembly lent it whole
    (``reuse.Reuse``); otherwise made, taking what it can from the last made of its id."""
    hit = _SHOWN_SECTIONS.get(id(section))
    if hit is not None and hit.section is section and (not hit.named or hit.names_key == names_key):
        return hit
    before = _LATEST_SECTIONS.get(section.id)
    made = (before.renewed(section, names_key) if before is not None else None) or _ShownSection(
        section, names, names_key, before
    )
    _LATEST_SECTIONS.put(section.id, made)
    return _SHOWN_SECTIONS.put(id(section), made)


# Bounded in entries and bytes; an entry holds its section, so no other object takes its identity.
_SHOWN_SECTIONS: LRU[_ShownSection] = LRU(max_entries=512, max_bytes=16 * 2**20, size=lambda key, value: value.size)

# The last made for each section id: most of a section that changed shows as it did (a definition
# whose users changed, the clauses kept from the last assembly beside one that changed).
_LATEST_SECTIONS: LRU[_ShownSection] = LRU(max_entries=64, max_bytes=8 * 2**20, size=lambda key, value: value.size)


@dataclass(frozen=True)
class Marked:
    """A clause the last change added or changed: where it is in the preview, and what it is called."""

    anchor: str
    number: str
    title: str
    mark: str  # "added" or "changed"


@dataclass
class Preview:
    html: SafeString
    state: str
    added: int
    changed: int
    removed: list[str]
    marked: tuple[Marked, ...] = ()

    @property
    def summary(self) -> str:
        """What the last change did, counted: "1 clause added, 2 changed and 1 removed"."""
        counts = [
            (n, what)
            for n, what in ((self.added, "added"), (self.changed, "changed"), (len(self.removed), "removed"))
            if n
        ]
        if not counts:
            return "no clause changed"
        first, what = counts[0]
        words = [f"{first} clause{'' if first == 1 else 's'} {what}", *(f"{n} {w}" for n, w in counts[1:])]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def preview(doc: Document, base: dict[str, str] | None, names: standins.Names = standins.NONE) -> Preview:
    """The license as HTML, each clause marked added or changed against ``base``. ``names`` are
    the names ``doc`` has stand-ins for (see ``standins``); raises ``standins.Doubt`` when one
    cannot be put back for certain."""
    parts = [f'<header class="license-header">{_ascii(names.put_back(safe_html(header_markdown(doc))))}</header>']
    names_key = tuple(names.words.items())
    added = changed = 0
    seen: set[str] = set()
    digests: list[str] = []
    marked = []
    for section in doc.sections:
        shown_section = _shown_section(section, names, names_key)
        seen.update(shown_section.digests)
        digests.extend(shown_section.state)
        if base is None or shown_section.digests.items() <= base.items():
            parts.append(shown_section.html())  # no clause of it added or changed
            continue
        parts.append(shown_section.opening)
        for shown in shown_section.clauses:
            clause = shown.clause
            mark = ""
            previous = base.get(clause.id)
            if previous is None:
                mark, added = "added", added + 1
            elif previous != shown.digest:
                mark, changed = "changed", changed + 1
            if mark:
                marked.append(Marked(clause.anchor, clause.number, clause.title, mark))
            parts.append(shown.html(mark))
        parts.append("</section>")
    removed = [clause_title(cid) for cid in base if cid not in seen] if base else []
    return Preview(mark_safe("".join(parts)), " ".join(digests), added, changed, removed, tuple(marked))


def spec_preview(spec: dict[str, Any], base: dict[str, str] | None, library: Library | None = None) -> Preview:
    """The preview of a validated spec against a base state, names typed as plain words standing
    in (see ``standins``); rendered directly when a name cannot be put back for certain."""
    stand_in, names = standins.stand_ins(spec, library)
    if names:
        try:
            return preview(assemble(stand_in, library), base, names)
        except standins.Doubt:
            pass
    return preview(assemble(spec, library), base)


def clause_title(clause_id: str) -> str:
    try:
        for template in default_library().clauses:
            if template.id == clause_id:
                return template.title
    except LibraryError:
        pass
    return clause_id


def deed_html(result: Build) -> SafeString:
    return mark_safe(safe_html(result.deed))
