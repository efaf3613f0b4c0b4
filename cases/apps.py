from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "3.3, 5.2, 5.5, 7 Incidents and cases"
