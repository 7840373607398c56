"""A share link's last use moves from its row to the shared cache, so that reading a draft through
a link writes nothing to the database (see ``ShareLink.note_use``). The uses of the last 90 days
are carried over, so the owner's Share links page shows what it showed before."""

from datetime import timedelta

from django.db import migrations

LAST_USE_DAYS = 90  # as review.models.LAST_USE_DAYS when this was written


def carry_last_uses(apps, schema_editor):
    from django.core.cache import cache
    from django.utils import timezone

    ShareLink = apps.get_model("review", "ShareLink")
    since = timezone.now() - timedelta(days=LAST_USE_DAYS)
    for token_hash, last_used in ShareLink.objects.filter(last_used__gt=since).values_list("token_hash", "last_used"):
        left = int((last_used - since).total_seconds())
        try:
            cache.set(f"share-link-used:{token_hash}", last_used.timestamp(), timeout=left)
        except Exception:  # no cache to carry them to: the page shows "none recorded" until the next use
            return


class Migration(migrations.Migration):
    dependencies = [("review", "0003_revisions_move_to_drafts")]

    operations = [
        migrations.RunPython(carry_last_uses, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="sharelink", name="last_used"),
    ]
