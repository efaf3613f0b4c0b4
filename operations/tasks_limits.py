"""The longest any Celery task may run: its own hard time limit, or the default one."""

from django.conf import settings


def longest_time_limit() -> int:
    from socialpolicy.celery import app

    app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them
    default = settings.CELERY_TASK_TIME_LIMIT
    limits = [task.time_limit or default for name, task in app.tasks.items() if not name.startswith("celery.")]
    return max([default, *limits])
