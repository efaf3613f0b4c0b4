"""The `outbox` fixture: run a hand-off, then send the emails of the notifications it made in-process (the
Celery task, with the locmem backend) and return them. Import it into a test module to use it:

    from tests.mailbox import outbox  # noqa: F401  (fixture)
"""

import pytest
from django.core import mail

from people.models import Notification
from people.tasks import send_notification_email


@pytest.fixture
def outbox(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(action):
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=False):
            result = action()
        mail.outbox.clear()
        for pk in Notification.objects.filter(pk__gt=before).values_list("pk", flat=True):
            send_notification_email.apply(args=[pk]).get()
        run.result = result
        return list(mail.outbox)

    return run
