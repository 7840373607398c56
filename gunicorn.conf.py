"""gunicorn settings read from the working directory on start (the Dockerfile's /app).

- The app is loaded once, before forking (``preload_app``): the settings, the URL map and the clause
  library are parsed in the master and shared by every worker, so no worker's first request pays
  for them.
- Threaded workers (``gthread``): most of a request's time is spent waiting on PostgreSQL or Redis,
  and PDFs are laid out by the render workers, not here. WEB_CONCURRENCY processes (default: cores
  + 1) of WEB_THREADS threads (default 4).
- What the master loaded lives as long as the process: it is frozen out of the garbage
  collector's reach (``gc.freeze``) before any worker is forked. Without it every full
  collection in a worker walked the whole clause library, holding all its threads: in
  `make load` each worker paused 3 times for up to 0.6 s; frozen, the longest was 0.27 s.
- Workers are replaced after about MAX_REQUESTS requests, at staggered times (jitter), so a slow
  leak cannot grow a worker without bound and the workers never restart together.

Share-link tokens travel in URLs (/s/<token>/); the access log and the error log go through a logger
that replaces every token with [redacted] before anything is written.
"""

import gc
import os

preload_app = True
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("WEB_THREADS", "4"))
max_requests = int(os.environ.get("MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# Idle keep-alive connections are held longer than a load balancer's own idle timeout (60 s for
# most), so the balancer closes them first: a connection closed here just as a client reuses it
# is a failed request (`make load` saw 33 in 3,804 with gunicorn's default of 2 s). gthread
# workers keep idle connections in a poller, not in a thread.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "75"))
logger_class = "licensebuilder.review.redaction.GunicornLogger"


def when_ready(server):
    """The app is loaded (``preload_app``) and no worker is forked yet: freeze what was loaded."""
    gc.collect()
    gc.freeze()
