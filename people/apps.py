from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "1–2 People, organisations and policy"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("dashboard")
        autodiscover_modules("subject_access")
        from people.directory import handover  # noqa: F401  (registers direct reports as open items)

        autodiscover_modules("handover")  # each app's kinds of open item a leaver leaves

        from people import twofactor  # noqa: F401  (its sign-in receiver records the first activity)
        from people.signin import signals  # noqa: F401  (announces the break-glass account's sign-in)
