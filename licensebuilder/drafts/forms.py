"""Forms for drafts. The wizard's step forms are in ``step_forms.py``; accounts' in the accounts app."""

from __future__ import annotations

from typing import Any

from django import forms

from licensebuilder.core import spec as specs


class RenameForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="Only you see this title; it is not the license name."
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the draft a title.")
        if specs.has_control_characters(title):
            raise forms.ValidationError("The title must not contain control or bidirectional-override characters.")
        return title


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spec or license.json file",
        help_text=f"JSON or YAML, at most {specs.MAX_SPEC_BYTES // 1024} KiB. "
        "A license.json exported from licensebuilder works too.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > specs.MAX_SPEC_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KiB; the limit is {specs.MAX_SPEC_BYTES // 1024} KiB."
            )
        return upload
