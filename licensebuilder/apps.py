from django.apps import AppConfig


class LicenseBuilderConfig(AppConfig):
    name = "licensebuilder"
    verbose_name = "License builder"
