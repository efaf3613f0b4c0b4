from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "HR reports, search and what is waiting for whom"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # The built-in sections, then any app's `hr_reports.py` (monitoring and surveillance add theirs there).
        from reports import sections  # noqa: F401

        autodiscover_modules("hr_reports")
