"""Two-factor sign-in (TOTP) and idle time-out for the roles that see cases, surveillance and monitoring.

HR officers, the Head of HR, investigators and administrators must confirm an authenticator code after
their password; until they do, every page except these sends them here. Their sessions also end after
a configurable idle time.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import audit_record
from people.models import RecoveryCode, Role
from people.selectors import has_role

TWO_FACTOR_ROLES = (Role.HR_OFFICER, Role.HEAD_OF_HR, Role.INVESTIGATOR)
DEMO_DEVICE_NAME = "demo authenticator"
_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/")
# Set for this session when the second step was met another way: the identity provider's own
# multi-factor proof, or a one-time recovery code (people/signin/). Signing out clears it with the session.
SECOND_FACTOR_SESSION_KEY = "second_factor"


def _activity_write_interval() -> int:
    """How stale the recorded last activity may get before it is written again.

    Writing it on every request cost every page a session UPDATE and a commit. Recording it at most once a
    minute (a tenth of the time-out when that is shorter) can only end an idle session that much earlier,
    never later."""
    return min(60, settings.IDLE_TIMEOUT_SECONDS // 10)


@receiver(user_logged_in)
def record_activity_at_sign_in(sender, request, user, **kwargs):
    """Signing in is activity: the idle time-out counts from it (and the first page need not write it)."""
    if request is not None and hasattr(request, "session") and requires_two_factor(user):
        request.session["last_activity"] = int(time.time())


def requires_two_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or any(has_role(user, role) for role in TWO_FACTOR_ROLES)


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (used by tests and, with DEBUG on, the demo)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class TwoFactorMiddleware:
    """Placed after django_otp's OTPMiddleware: enforces verification and the idle time-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if requires_two_factor(user):
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS:
                audit_record(actor=user, action="auth.idle_timeout", kind=AuditEvent.Kind.ACCESS, obj=user)
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity. Please sign in again.")
                return redirect(f"{reverse('login')}?next={request.path}")
            if last is None or now - last >= _activity_write_interval():
                request.session["last_activity"] = now
            if (
                settings.TWO_FACTOR_REQUIRED
                and not user.is_verified()
                and not request.session.get(SECOND_FACTOR_SESSION_KEY)
                and not request.path.startswith(_EXEMPT_PREFIXES)
            ):
                return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is six digits.")
        return token


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify with an existing device, or set one up on first use."""
    user = request.user
    next_url = request.GET.get("next") or request.POST.get("next") or reverse("people:dashboard")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("people:dashboard")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=user, action="auth.two_factor_enrolled", kind=AuditEvent.Kind.ACCESS, obj=user)
            otp_login(request, device)
            audit_record(actor=user, action="auth.two_factor_verified", kind=AuditEvent.Kind.ACCESS, obj=user)
            return redirect(next_url)
        audit_record(actor=user, action="auth.two_factor_failed", kind=AuditEvent.Kind.ACCESS, obj=user)
        form.add_error("token", "That code is not right, or has expired. Try the code your app shows now.")
    context = {"form": form, "setting_up": setting_up, "next": next_url, "device": device}
    context["recovery_codes_left"] = RecoveryCode.objects.filter(user=user, used_at__isnull=True).exists()
    if setting_up:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _base32(device)
    if settings.DEBUG and device.name == DEMO_DEVICE_NAME:
        context["demo_code"] = current_code(device)
    return render(
        request,
        "registration/two_factor.html",
        context,
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
