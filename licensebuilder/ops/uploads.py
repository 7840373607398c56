"""Uploaded files are kept in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and never spooled to disk:
past the limit the upload stops and the request is answered 413 (``bad_request`` below)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from .middleware import too_large


class UploadTooLarge(RequestDataTooBig):
    pass


class LimitedMemoryUpload(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            raise UploadTooLarge(f"an uploaded file is larger than {settings.FILE_UPLOAD_MAX_MEMORY_SIZE} bytes")
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400, except that a body or upload over its limit is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE))
    return defaults.bad_request(request, exception if exception is not None else BadRequest())
