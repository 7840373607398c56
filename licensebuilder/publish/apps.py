from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "licensebuilder.publish"
    label = "publish"
    verbose_name = "Published licenses"

    def ready(self) -> None:
        from . import trial  # noqa: F401 - connects the receiver that keeps drafts started before sign-up
