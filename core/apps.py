from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: permissions, form widgets and choices, view mixins, list and upload helpers.

    It imports no other app of the project; every app may import it."""

    name = "core"
    verbose_name = "Shared building blocks"
