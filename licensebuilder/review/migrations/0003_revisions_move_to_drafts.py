"""Revision and LibraryChoice now belong to the drafts app (see drafts 0002). Comments keep
pointing at the same table; nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_librarychoice"),
        ("drafts", "0002_revisions_move_here"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="comment",
            name="revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="comments",
                to="drafts.revision",
            ),
        ),
        migrations.DeleteModel(name="LibraryChoice"),
        migrations.DeleteModel(name="Revision"),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
