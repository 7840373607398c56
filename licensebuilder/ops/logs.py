"""Structured logs: one JSON object a line on stdout, and the security events the site reports.

A line always has ``time``, ``level``, ``logger`` and ``message``; an error adds ``traceback``;
Django's request errors add ``status_code``, ``method`` and ``path`` (share-link tokens redacted);
a security event adds ``event`` and its own fields. The request object itself is never printed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from licensebuilder.review.redaction import redact

security_log = logging.getLogger("licensebuilder.security")


def security_event(event: str, message: str, **fields: Any) -> None:
    """Log one security event (a lockout, a share link made or revoked, a storm of refusals)."""
    security_log.warning(message, extra={"event": event, **fields})


class JsonLines(JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "traceback"})
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__("{levelname}{name}{message}", *args, style="{", **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        request = getattr(record, "request", None)
        super().add_fields(log_data, record, message_dict)
        log_data["time"] = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        if request is not None and hasattr(request, "path"):
            log_data.setdefault("method", request.method)
            log_data.setdefault("path", redact(request.path))
        # Drop what is not JSON or not useful (a socket from the development server, for example).
        for key in [k for k, v in log_data.items() if not isinstance(v, str | int | float | bool | type(None))]:
            log_data[key] = str(log_data[key])
