from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: the health page, deploy checks, request ids and logs, error reports, backups."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from operations import checks  # noqa: F401  (registers the deploy checks)
