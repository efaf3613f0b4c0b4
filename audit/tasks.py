from celery import shared_task
from django.conf import settings
from django.core.mail import mail_admins

from audit.services import audit_chain_verify


@shared_task
def verify_audit_chain() -> dict:
    """Nightly check of the audit trail; tells the administrators if a link is broken."""
    report = audit_chain_verify()
    if not report.ok:
        mail_admins(
            "Audit trail integrity check failed",
            f"The audit trail is broken at event #{report.broken_at}: {report.reason}.\n"
            f"Check it at {settings.SITE_URL}/audit/verify/",
        )
    return {"checked": report.checked, "broken_at": report.broken_at, "reason": report.reason}
