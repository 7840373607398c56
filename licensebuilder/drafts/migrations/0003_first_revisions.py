"""Every draft has a first revision, recorded when it is started (``Draft.objects.start``). Drafts
made before that rule had theirs recorded when History or Compare was first opened, a write on a
GET; those pages now only read, so the drafts still without one get it here: their answers as they
stand, worded by the clause library of today, dated from their last save."""

from django.db import migrations


def record_first_revisions(apps, schema_editor):
    # The engine, not the app's models: what it computes from a spec does not depend on this state.
    from licensebuilder.core.complete import complete
    from licensebuilder.core.exports import Build
    from licensebuilder.core.library import LibraryError
    from licensebuilder.core.spec import SpecError

    Draft = apps.get_model("drafts", "Draft")
    Revision = apps.get_model("drafts", "Revision")
    missing = Draft.objects.filter(revisions__isnull=True).only("pk", "owner_id", "spec", "updated").order_by("pk")
    for draft in missing.iterator(chunk_size=200):
        try:
            result = Build(complete(draft.spec))
            document, markdown, fingerprint = result.document, result.markdown, result.fingerprint
        except (LibraryError, SpecError, ValueError):
            continue  # answers that cannot be worded: recorded by the next save that can be
        Revision.objects.create(
            draft_id=draft.pk,
            number=1,
            kind="created",
            spec=draft.spec,
            document=document.to_data(),
            markdown=markdown,
            fingerprint=fingerprint,
            library_version=document.library_version,
            author_id=draft.owner_id,
            created=draft.updated,
            last_edit=draft.updated,
        )


class Migration(migrations.Migration):
    dependencies = [("drafts", "0002_revisions_move_here")]

    operations = [migrations.RunPython(record_first_revisions, migrations.RunPython.noop, elidable=True)]
