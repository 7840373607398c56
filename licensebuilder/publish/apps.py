from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "licensebuilder.publish"
    label = "publish"
    verbose_name = "Published licenses"
