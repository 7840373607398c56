"""Keeping share-link tokens out of logs.

A token in a URL is a password: whoever reads it can read the draft. Django logs the path of every
4xx and 5xx answer ("Not Found: /s/<token>/"), the development server logs each request line, and
gunicorn's access log does the same, so each of them passes through ``redact`` first.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# /s/<token> wherever it appears in a path, a full URL or a request line.
_SHARE_PATH = re.compile(r"/s/[^/\s?#\"']+")
REDACTED = "/s/[redacted]"


def redact(text: str) -> str:
    return _SHARE_PATH.sub(REDACTED, text)


class RedactShareTokens(logging.Filter):
    """A logging filter that rewrites a record's message with share-link tokens removed.

    The message is formatted once and its arguments dropped, so no handler further on can format
    the token back in. The request attached to Django's records keeps its path only for code that
    reads it on purpose; formatters do not print it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _redact_atom(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a production dependency only
    _GunicornLogger = None


if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with every access-log value (request line, path, referrer, headers,
        environment) and every error-log message cleaned of share-link tokens."""

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for logger in (self.error_log, self.access_log):
                if not any(isinstance(f, RedactShareTokens) for f in logger.filters):
                    logger.addFilter(RedactShareTokens())

        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            return {key: _redact_atom(value) for key, value in super().atoms(resp, req, environ, request_time).items()}
