"""PDF: WeasyPrint lays out the print page made from the same Markdown as every other output."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Attachment, URLFetcher

from ..document import Document
from .html import STATIC_DIR, render_print_page

PAPER_SIZES = {"a4": "A4", "letter": "letter"}  # the CSS page size of each paper
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}  # as people name them
# Fixed stamps keep repeated exports of the same draft alike.
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class LocalFilesOnly(URLFetcher):
    """Fetches the project's own static files and refuses every other URL."""

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url!r}: only the project's own static files are allowed")


def html_for_pdf(doc: Document, markdown_text: str, paper: str = "a4") -> str:
    return render_print_page(doc, markdown_text=markdown_text, paper=paper)


def paper_stylesheet(paper: str, fetcher: URLFetcher) -> CSS:
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper: {paper!r} is not one of {', '.join(PAPER_SIZES)}")
    return CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}", url_fetcher=fetcher)


def write_pdf(
    page_html: str,
    *,
    paper: str = "a4",
    attachments: dict[str, bytes] | None = None,
    fetcher: URLFetcher | None = None,
) -> bytes:
    """Lay out ``page_html`` (from :func:`html_for_pdf`) with our fetcher and attachments."""
    fetcher = fetcher or LocalFilesOnly()
    document = HTML(string=page_html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    files = [
        Attachment(
            string=content,
            name=name,
            url_fetcher=fetcher,
            created=_EPOCH,
            modified=_EPOCH,
            relationship="Data" if name.endswith(".json") else "Supplement",
        )
        for name, content in (attachments or {}).items()
    ]
    return document.write_pdf(
        stylesheets=[paper_stylesheet(paper, fetcher)],
        attachments=files,
        pdf_identifier=b"licensebuilder",
        # Tagged for screen readers and reflow: a structure tree, the document's language (from the
        # page's lang attribute) and its title, as PDF/UA-1 asks.
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=False,
    )


def render_pdf(
    doc: Document, *, markdown_text: str, license_json: str, paper: str = "a4", fetcher: URLFetcher | None = None
) -> bytes:
    page = html_for_pdf(doc, markdown_text, paper)
    return write_pdf(page, paper=paper, attachments={"license.json": license_json.encode("utf-8")}, fetcher=fetcher)
