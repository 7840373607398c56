"""Revisions moved from the review app to the drafts app without touching their table: a database
made before the move keeps every revision, library choice and comment link after migrating, on
SQLite and on PostgreSQL; a draft that never had a revision gets its first, and a share link's last
use moves to the cache. (A fresh database is migrated by every test run and by test_deploy.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import postgres_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]

# Runs in its own process: migrates to the state before the move, writes rows through the
# historical models of that state, migrates to the latest state and reads them back.
SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

before = [("drafts", "0001_initial"), ("review", "0002_librarychoice")]
call_command("migrate", "review", "0002_librarychoice", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(before).apps
user = old.get_model("auth", "User").objects.create(username="ann")
draft = old.get_model("drafts", "Draft").objects.create(owner_id=user.pk, title="Old", spec={})
revision = old.get_model("review", "Revision").objects.create(
    draft_id=draft.pk, number=1, kind="created", spec={"a": 1}, document={}, markdown="# Old",
    fingerprint="f" * 64, library_version="1.0", name="Sent to counsel",
)
old.get_model("review", "LibraryChoice").objects.create(
    draft_id=draft.pk, library_version="2.0", revision_id=revision.pk
)
old.get_model("review", "Comment").objects.create(
    draft_id=draft.pk, clause_id="grant.license", revision_id=revision.pk, name="Ann", body="Hm."
)
# A draft whose history was never opened, so without a revision, and a share link used lately.
never_opened = old.get_model("drafts", "Draft").objects.create(
    owner_id=user.pk, title="Never opened", spec={"license": {"name": "Acme Open Model License", "version": "1.0"}}
)
from django.utils import timezone
used = timezone.now()
old.get_model("review", "ShareLink").objects.create(
    draft_id=draft.pk, label="Counsel", token_hash="a" * 64, last_used=used
)

call_command("migrate", verbosity=0)
from licensebuilder.drafts.models import Draft, LibraryChoice, Revision
from licensebuilder.review.models import Comment

moved = Revision.objects.get(draft_id=draft.pk)
assert (moved.name, moved.markdown, moved.draft.title) == ("Sent to counsel", "# Old", "Old"), moved
assert LibraryChoice.objects.get().revision == moved
assert Comment.objects.get().revision == moved and list(moved.comments.all()) == [Comment.objects.get()]
draft = Draft.objects.get(title="Old")
Revision.objects.create(
    draft=draft, number=2, spec={}, document={}, markdown="", fingerprint="", library_version="2.0"
)
assert list(draft.revisions.values_list("number", flat=True)) == [2, 1]
# The draft without a revision has its first, with the text its answers make; the link's last use is kept.
first = Revision.objects.get(draft_id=never_opened.pk)
assert (first.number, first.kind, first.author.username) == (1, "created", "ann"), first
assert first.markdown.startswith("# Acme Open Model License"), first.markdown[:200]
from licensebuilder.review.models import ShareLink
link = ShareLink.objects.get()
assert abs((ShareLink.last_uses([link])[link.pk] - used).total_seconds()) < 1
call_command("makemigrations", "--check", "--dry-run", verbosity=0)
print("kept")
"""


def _migrate_old_database(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "licensebuilder.settings"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and done.stdout.strip() == "kept", done.stderr


def test_an_sqlite_database_from_before_the_move_keeps_its_revisions(tmp_path):
    _migrate_old_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.mark.postgres
def test_a_postgresql_database_from_before_the_move_keeps_its_revisions(postgres_url):  # noqa: F811
    _migrate_old_database(postgres_url)
