"""Sign-ins, sign-outs and failed sign-ins go on the trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", kind=AuditEvent.Kind.ACCESS, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", kind=AuditEvent.Kind.ACCESS, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name that was tried: never the password.
    audit_record(
        actor=None,
        action="auth.login_failed",
        kind=AuditEvent.Kind.ACCESS,
        details={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None,
        action="auth.locked_out",
        kind=AuditEvent.Kind.ACCESS,
        details={"username": str(username or "")[:150], "ip_address": ip_address},
    )
