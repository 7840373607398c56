"""Small readers for what the exports contain."""

import io
import json

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_attachment_json(data: bytes, name: str = "license.json") -> dict:
    attachments = pdf_reader(data).attachments
    return json.loads(attachments[name][0])
