from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' own command, `generate_scale_data`: a synthetic council at scale in a scratch database.
    The benchmark scripts (bench/*.py) run outside Django's app loading and are not part of the app."""

    name = "bench"
    verbose_name = "Benchmarks"
