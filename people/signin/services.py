"""Who may sign in by single sign-on, the second factor, recovery codes and the break-glass account."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from people.models import RecoveryCode, Role, SignInIdentity, User
from people.notifications import notify
from people.signin.providers import Provider

RECOVERY_CODE_COUNT = 10
RECOVERY_FAILURE_LIMIT = 5  # wrong codes per person within RECOVERY_LOCK_SECONDS before the form stops trying
RECOVERY_LOCK_SECONDS = 15 * 60
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


class SignInRefused(Exception):
    """The identity provider vouched for someone this app will not sign in; `reason` goes to the audit trail."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class MatchedIdentity:
    user: User
    linked_now: bool
    provider_mfa: bool


def _claimed_email(provider: Provider, claims: dict) -> str:
    for name in provider.email_claims:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return ""


def _email_verified(provider: Provider, claims: dict) -> bool:
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() == "true"
    if verified is False:
        return False
    return verified is True or provider.directory_email_trusted


def provider_mfa_satisfied(claims: dict) -> bool:
    """Did the identity provider itself ask for a second factor (`amr`, RFC 8176, or `acr`)?"""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.SSO_MFA_AMR_VALUES):
        return True
    acr = claims.get("acr")
    return bool(acr) and acr in settings.SSO_MFA_ACR_VALUES


def sso_identity_match(*, provider: Provider, claims: dict) -> MatchedIdentity:
    """Find the existing, current employee these ID-token claims belong to; never create one.

    Raises SignInRefused (audited by the caller, who has the request) for an identity without a stable
    id, an unverified or foreign email, no matching employee, more than one, or a leaver."""
    subject = claims.get(provider.uid_claim)
    if not isinstance(subject, str) or not subject:
        raise SignInRefused("no_stable_id", f"{provider.label} did not say which account this is.")
    email = _claimed_email(provider, claims)
    if not email:
        raise SignInRefused("no_email", f"Your {provider.label} account has no email address we can use.")
    domain = email.rpartition("@")[2]
    if domain not in settings.SSO_ALLOWED_EMAIL_DOMAINS:
        raise SignInRefused(
            "domain_not_allowed",
            f"Accounts from {domain} cannot sign in here. Use your school or council account.",
        )
    with transaction.atomic():
        identity = (
            SignInIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider.slug, subject=subject)
            .first()
        )
        linked_now = identity is None
        if identity is not None:
            user = identity.user
        else:
            if not _email_verified(provider, claims):
                raise SignInRefused("email_not_verified", f"{provider.label} has not verified your email address.")
            matches = list(User.objects.filter(email__iexact=email)[:2])
            if not matches:
                raise SignInRefused("no_employee", "There is no employee record with your email address.")
            if len(matches) > 1:
                raise SignInRefused("several_employees", "More than one employee record has your email address.")
            user = matches[0]
        if not user.is_active or user.employment_status == User.EmploymentStatus.LEFT:
            raise SignInRefused("leaver", "Your access to socialpolicy has ended.")
        if identity is None:
            if SignInIdentity.objects.filter(provider=provider.slug, user=user).exists():
                raise SignInRefused(
                    "linked_to_another_account",
                    f"Your employee record is already linked to a different {provider.label} account.",
                )
            try:
                with transaction.atomic():
                    identity = SignInIdentity.objects.create(
                        user=user, provider=provider.slug, subject=subject, email_at_link=email
                    )
            except IntegrityError:
                raise SignInRefused("link_race", "Please try signing in again.")
            audit_record(
                actor=user,
                action="auth.sso_identity_linked",
                kind=AuditEvent.Kind.ACCESS,
                obj=user,
                details={"provider": provider.slug, "email": email},
            )
        SignInIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())
    return MatchedIdentity(user=user, linked_now=linked_now, provider_mfa=provider_mfa_satisfied(claims))


def sso_refusal_record(*, provider: Provider, reason: str, claims: dict | None, client_ip: str = "") -> None:
    """Audit a refused single sign-on: who the provider said it was, and why we said no."""
    claims = claims or {}
    audit_record(
        actor=None,
        action="auth.sso_refused",
        kind=AuditEvent.Kind.ACCESS,
        object_type="sso",
        object_id=provider.slug,
        object_repr=f"{provider.label} sign-in",
        details={
            "provider": provider.slug,
            "reason": reason,
            "email": _claimed_email(provider, claims),
            "subject": str(claims.get(provider.uid_claim, ""))[:255],
        },
    )


# --- recovery codes ------------------------------------------------------------------------------------------


def _digest(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def recovery_codes_generate(*, actor: User) -> list[str]:
    """A fresh set of one-time codes for the actor, replacing any earlier set; the codes are shown once."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))  # ~49 bits each
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=actor).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=actor, digest=_digest(code)) for code in codes)
        audit_record(actor=actor, action="auth.recovery_codes_generated", kind=AuditEvent.Kind.ACCESS, obj=actor)
    return codes


def _recovery_failures_key(user: User) -> str:
    return f"signin:recovery-failures:{user.pk}"


def recovery_code_locked(user: User) -> bool:
    return cache.get(_recovery_failures_key(user), 0) >= RECOVERY_FAILURE_LIMIT


def recovery_code_use(*, actor: User, code: str) -> bool:
    """Spend one unused code; False (and audited) when it is wrong, already used, or after too many tries."""
    if recovery_code_locked(actor):
        audit_record(actor=actor, action="auth.recovery_code_locked", kind=AuditEvent.Kind.ACCESS, obj=actor)
        return False
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(user=actor, digest=_digest(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        left = RecoveryCode.objects.filter(user=actor, used_at__isnull=True).count()
        audit_record(
            actor=actor,
            action="auth.recovery_code_used" if spent else "auth.recovery_code_failed",
            kind=AuditEvent.Kind.ACCESS,
            obj=actor,
            details={"codes_left": left},
        )
    if not spent:
        key = _recovery_failures_key(actor)
        cache.add(key, 0, RECOVERY_LOCK_SECONDS)
        cache.incr(key)
    return bool(spent)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- break-glass ---------------------------------------------------------------------------------------------


def is_break_glass(user) -> bool:
    return bool(getattr(user, "username", None)) and user.username in settings.BREAK_GLASS_USERNAMES


def break_glass_sign_in_announce(*, user: User, client_ip: str = "") -> None:
    """The emergency administrator signed in: record it and tell every Head of HR at once."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action="auth.break_glass_signed_in",
            kind=AuditEvent.Kind.ACCESS,
            obj=user,
            details={"ip": client_ip},
        )
        heads = User.objects.filter(role_assignments__role=Role.HEAD_OF_HR, is_active=True).distinct()
        notify(
            recipients=heads,
            subject="The emergency administrator account was used",
            template="people/email/break_glass_signed_in.txt",
            context={"account": user, "when": timezone.localtime(), "ip": client_ip},
        )
