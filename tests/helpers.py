"""Small readers for what the exports contain, and the license command run in-process."""

import io
import json
import sys
from dataclasses import dataclass
from unittest import mock

import pikepdf
from django.core.management import call_command
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_structure_types(node, depth: int = 0) -> list[str]:
    """The structure types (H1, P, Table...) in a tagged PDF's structure tree, depth first, from
    ``node`` (``pdf.Root.StructTreeRoot.K``)."""
    found: list[str] = []
    if depth > 60:
        return found
    if isinstance(node, pikepdf.Array):
        for item in node:
            found += pdf_structure_types(item, depth + 1)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(str(node.S))
        if "/K" in node:
            found += pdf_structure_types(node.K, depth + 1)
    return found


def pdf_attachment_json(data: bytes, name: str = "license.json") -> dict:
    attachments = pdf_reader(data).attachments
    return json.loads(attachments[name][0])


@dataclass
class Ran:
    """What ``manage.py license ...`` did: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def run_license(*args, stdin: str | None = None) -> Ran:
    """``manage.py license *args`` run in this process through ``call_command``; ``stdin`` is
    what the command reads from standard input."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    piped = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    with mock.patch.object(sys, "stdin", piped):
        try:
            call_command("license", *map(str, args), stdout=out, stderr=err)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())
