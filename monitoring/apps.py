from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "2, 4 Monitoring of internet use"

    def ready(self) -> None:
        from monitoring.retention import validate_limits

        validate_limits()  # clause 4.2: a limit above 12 months stops start-up
