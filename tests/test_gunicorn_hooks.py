"""gunicorn.conf.py's hooks, run as gunicorn runs them: in a master that has loaded the app,
then in a worker it forks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_FROZEN_IN_A_WORKER = """
import gc, os, runpy
hooks = runpy.run_path("gunicorn.conf.py")
import licensebuilder.wsgi  # what preload_app loads in the master: the app and the clause library
from licensebuilder.core.library import default_library
library = default_library()
hooks["when_ready"](None)
pid = os.fork()
if pid == 0:  # a worker: what the master loaded is out of the collector's generations
    scanned = {id(o) for o in gc.get_objects()}
    os._exit(0 if id(library) not in scanned and id(library.clauses) not in scanned else 3)
_, status = os.waitpid(pid, 0)
print(gc.get_freeze_count(), os.waitstatus_to_exitcode(status))
"""


def test_workers_start_with_what_the_master_loaded_frozen_out_of_the_garbage_collector(tmp_path):
    """A full collection in a worker does not walk the clause library (gunicorn.conf.py's when_ready)."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "deploy-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "licensebuilder.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", _FROZEN_IN_A_WORKER], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, worker = map(int, done.stdout.split())
    assert worker == 0, "the library is still scanned by the worker's collector"
    assert frozen > 100_000


def test_the_app_module_loads_the_library_and_compiles_the_redline_before_any_request():
    """What the master loads under preload_app, so that no worker's first compare compiles it."""
    import licensebuilder.wsgi
    from licensebuilder.core.diff import html

    html._fragment.cache_clear()
    licensebuilder.wsgi._warm()
    assert html._fragment.cache_info().currsize == 1
