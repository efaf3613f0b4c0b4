"""Weekly reminder to reconfirm declared accounts (clause 5, yearly reconfirmation)."""

from celery import shared_task

from disclosures.services import reconfirmation_remind_due


@shared_task
def remind_disclosure_reconfirmation() -> int:
    return reconfirmation_remind_due()
