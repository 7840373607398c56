"""gunicorn settings read from the working directory on start (the Dockerfile's /app).

Share-link tokens travel in URLs (/s/<token>/); the access log and the error log go through a logger
that replaces every token with [redacted] before anything is written.
"""

logger_class = "licensebuilder.review.redaction.GunicornLogger"
