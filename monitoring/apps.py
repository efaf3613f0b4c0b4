from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "2, 4 Monitoring of internet use"

    def ready(self) -> None:
        from core.dashboard import seed_hook
        from monitoring.dashboard import seed_retention
        from monitoring.retention import validate_limits

        validate_limits()  # clause 4.2: a limit above 12 months stops start-up
        # The people app has loaded every app's dashboard by now, so this demo runs after the cases demo,
        # whose open case the hold needs.
        seed_hook(seed_retention)
