"""Every sign-in of a break-glass account, by whatever path, is audited and announced to the Head of HR."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from audit.middleware import client_ip
from people.signin.services import break_glass_sign_in_announce, is_break_glass


@receiver(user_logged_in, dispatch_uid="people.signin.break_glass")
def announce_break_glass(sender, request, user, **kwargs):
    if is_break_glass(user):
        break_glass_sign_in_announce(user=user, client_ip=(client_ip(request) if request is not None else "") or "")
