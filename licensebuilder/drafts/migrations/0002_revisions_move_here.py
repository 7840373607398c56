"""Revision and LibraryChoice move from the review app to this one, where the write path records
them. Only Django's idea of which app owns them changes: their tables keep their names and rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0001_initial"),
        ("review", "0002_librarychoice"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Created"),
                            ("edit", "Edited"),
                            ("import", "Imported"),
                            ("duplicate", "Duplicated"),
                            ("restore", "Restored"),
                            ("upgrade", "Clause wording updated"),
                        ],
                        default="edit",
                        max_length=12,
                    ),
                ),
                ("spec", models.JSONField()),
                ("document", models.JSONField()),
                ("markdown", models.TextField()),
                ("fingerprint", models.CharField(max_length=64)),
                ("library_version", models.CharField(max_length=40)),
                ("name", models.CharField(blank=True, default="", max_length=120)),
                ("summary", models.CharField(blank=True, default="", max_length=300)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_edit", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "draft",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="revisions", to="drafts.draft"
                    ),
                ),
            ],
            options={
                "db_table": "review_revision",
                "ordering": ["-number"],
                "constraints": [models.UniqueConstraint(fields=("draft", "number"), name="unique_revision_number")],
            },
        ),
        migrations.CreateModel(
            name="LibraryChoice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("library_version", models.CharField(max_length=40)),
                ("kept", models.BooleanField(default=True)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "draft",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="library_choices", to="drafts.draft"
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="drafts.revision",
                    ),
                ),
            ],
            options={
                "db_table": "review_librarychoice",
                "ordering": ["-created", "-id"],
                "indexes": [models.Index(fields=["draft", "library_version"], name="review_libr_draft_i_c7f6a7_idx")],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
