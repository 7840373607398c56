"""Reading what the site writes to its stdout log handler, as the JSON objects it writes."""

import io
import json
import logging
from contextlib import contextmanager


@contextmanager
def json_log_lines():
    """The configured console handler, writing into a list of parsed lines for the duration."""
    (handler,) = [h for h in logging.getLogger("django").handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        handler.setStream(previous)
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines() if line.strip())
