from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "licensebuilder.drafts"
    label = "drafts"
    verbose_name = "Drafts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Builds live with the models; the PDFs they hand out are stored and queued by the layer
        # above (outputs, renders), connected here so the models never import it.
        from .models.builds import CachedBuild
        from .outputs import cached_pdf

        CachedBuild.pdf_source = staticmethod(cached_pdf)
