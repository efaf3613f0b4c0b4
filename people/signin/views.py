"""The single sign-on round trip, the refusal page, sign-out with the provider's sign-out, recovery codes."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from joserfc.errors import JoseError

from audit.middleware import client_ip
from audit.models import AuditEvent
from audit.services import audit_record
from people.signin.forms import PasswordSignInForm, RecoveryCodeForm
from people.signin.providers import client_for, configured_providers, provider_get
from people.signin.services import (
    SignInRefused,
    recovery_code_locked,
    recovery_code_use,
    recovery_codes_generate,
    recovery_codes_left,
    sso_identity_match,
    sso_refusal_record,
)
from people.twofactor import SECOND_FACTOR_SESSION_KEY, requires_two_factor

logger = logging.getLogger(__name__)

_NEXT_KEY = "sso_next"
_SSO_KEY = "sso"  # {"provider": slug, "id_token": ...} kept for the provider's sign-out
_END_SESSION_KEY = "sso_end_session"


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """The sign-in page: a button per configured identity provider, and the password form where kept on."""

    form_class = PasswordSignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = configured_providers()
        context["password_sign_in_enabled"] = settings.PASSWORD_SIGN_IN_ENABLED
        return context


@login_not_required
@require_GET
def sso_begin(request, provider: str):
    """Send the browser to the identity provider, with a fresh `state`, `nonce` and PKCE verifier."""
    idp = provider_get(provider)
    request.session[_NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    redirect_uri = request.build_absolute_uri(reverse("sso_callback", args=[idp.slug]))
    try:
        return client_for(idp).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, AuthlibBaseError, ValueError, KeyError) as exc:
        logger.warning("sign-in provider %s unreachable: %s", idp.slug, exc)
        return _unavailable(request, idp)


def _unavailable(request, idp):
    return render(
        request,
        "registration/sso_unavailable.html",
        {"provider": idp, "password_sign_in_enabled": settings.PASSWORD_SIGN_IN_ENABLED},
        status=503,
    )


@login_not_required
@require_GET
def sso_callback(request, provider: str):
    """Check the provider's answer, match it to an existing employee, and sign them in."""
    idp = provider_get(provider)
    claims = None
    try:
        token = client_for(idp).authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise SignInRefused("no_id_token", "The answer from the sign-in service had no identity in it.")
        matched = sso_identity_match(provider=idp, claims=claims)
    except SignInRefused as refusal:
        return _refuse(request, idp, refusal.reason, refusal.message, claims)
    except requests.RequestException as exc:
        logger.warning("sign-in provider %s unreachable: %s", idp.slug, exc)
        return _unavailable(request, idp)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as exc:
        # A wrong or replayed `state`, a refused code, or an ID token whose signature, issuer, audience,
        # expiry or nonce does not check out.
        reason = getattr(exc, "error", None) or type(exc).__name__
        return _refuse(
            request,
            idp,
            f"invalid_response:{reason}",
            "The answer from the sign-in service could not be trusted, so you have not been signed in.",
            None,
        )
    next_url = request.session.pop(_NEXT_KEY, None) or reverse(settings.LOGIN_REDIRECT_URL)
    login(request, matched.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[_SSO_KEY] = {"provider": idp.slug, "id_token": token.get("id_token", "")}
    if matched.provider_mfa:
        request.session[SECOND_FACTOR_SESSION_KEY] = f"identity_provider:{idp.slug}"
    audit_record(
        actor=matched.user,
        action="auth.sso_signed_in",
        kind=AuditEvent.Kind.ACCESS,
        obj=matched.user,
        details={"provider": idp.slug, "provider_mfa": matched.provider_mfa, "first_time": matched.linked_now},
    )
    return redirect(_safe_next(request, next_url))


def _refuse(request, idp, reason: str, message: str, claims: dict | None):
    sso_refusal_record(provider=idp, reason=reason, claims=claims, client_ip=client_ip(request) or "")
    request.session.pop(_NEXT_KEY, None)
    return render(
        request,
        "registration/sso_refused.html",
        {"provider": idp, "message": message, "password_sign_in_enabled": settings.PASSWORD_SIGN_IN_ENABLED},
        status=403,
    )


class SignOutView(auth_views.LogoutView):
    """Ends this app's session; after single sign-on, offers the provider's own sign-out as well."""

    def post(self, request, *args, **kwargs):
        end_session_url = _end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if end_session_url:
            request.session[_END_SESSION_KEY] = end_session_url
            return redirect("signed_out")
        return response


def _end_session_url(request) -> str:
    sso = request.session.get(_SSO_KEY)
    if not sso or sso.get("provider") not in settings.SSO_PROVIDERS:
        return ""
    idp = provider_get(sso["provider"])
    try:
        result = client_for(idp).create_logout_url(
            post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
            id_token_hint=sso.get("id_token") or None,
        )
    except (requests.RequestException, RuntimeError, AuthlibBaseError) as exc:
        logger.info("no sign-out address for %s: %s", idp.slug, exc)  # Google publishes none
        return ""
    return result["url"]


@login_not_required
@require_GET
def signed_out(request):
    """After signing out of the app: the link that signs the person out of the identity provider too."""
    url = request.session.pop(_END_SESSION_KEY, "")
    if not url:
        return redirect("login")
    return render(request, "registration/signed_out.html", {"end_session_url": url})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_code_sign_in(request):
    """The second step with a one-time recovery code, for someone without their authenticator app."""
    if not requires_two_factor(request.user):
        return redirect(reverse(settings.LOGIN_REDIRECT_URL))
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if recovery_code_use(actor=request.user, code=form.cleaned_data["code"]):
            request.session[SECOND_FACTOR_SESSION_KEY] = "recovery_code"
            left = recovery_codes_left(request.user)
            messages.warning(
                request,
                f"You used a recovery code. You have {left} left: make a new set from your recovery codes page "
                "when you can.",
            )
            return redirect(next_url)
        if recovery_code_locked(request.user):
            form.add_error("code", "Too many wrong codes. Wait 15 minutes, or ask the system administrator for help.")
        else:
            form.add_error("code", "That code is not right, or has been used already.")
    return render(
        request,
        "registration/recovery_code_form.html",
        {"form": form, "next": next_url},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """See how many recovery codes are left, and make a new set (shown once, kept only as digests)."""
    if not requires_two_factor(request.user):
        raise PermissionDenied
    codes = recovery_codes_generate(actor=request.user) if request.method == "POST" else None
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "left": recovery_codes_left(request.user)},
    )
