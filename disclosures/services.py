"""Actions on declared accounts and politically restricted posts (clause 5).

Each checks permission, validates, changes state, audits and notifies in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.permissions import require
from disclosures.checks import check_disclaimer, check_profile_name
from disclosures.models import (
    PROFILE_TEXT_MAX,
    DisclaimerWording,
    DisclosureFollowUp,
    DisclosureReconfirmation,
    PersonalAccountDisclosure,
    PoliticalActivity,
    RestrictedPostRecord,
)
from disclosures.selectors import active_wordings, current_restriction, organisation_names_for
from people.models import Notification, User
from people.notifications import notify
from people.selectors import hr_staff

ACCOUNT_FIELDS = (
    "platform",
    "handle",
    "display_name",
    "profile_url",
    "profile_text",
    "says_works_at_school",
    "discusses_work",
    "disclaimer",
    "political_activities",
    "political_details",
    "privacy_settings_checked",
)


@dataclass(frozen=True)
class CheckOutcome:
    outcome: str
    findings: list[dict]


def run_checks(*, employee: User, data: dict) -> CheckOutcome:
    """Run the 5.3 and 5.4 checks on an account's details; findings are plain data to store and show."""
    findings: list[dict] = []
    name_result = check_profile_name(
        handle=data.get("handle", ""),
        display_name=data.get("display_name", ""),
        names=organisation_names_for(employee),
    )
    for match in name_result.matches:
        findings.append(
            {
                "clause": "5.3",
                "field": match.field,
                "passed": False,
                "matched": match.matched_text,
                "name": match.name.text,
                "message": match.explanation(),
            }
        )
    disclaimer = check_disclaimer(
        texts=[data.get("disclaimer", ""), data.get("profile_text", "")],
        discusses_work=bool(data.get("discusses_work")),
        wordings=active_wordings(),
    )
    findings.append(
        {
            "clause": "5.4",
            "field": "disclaimer",
            "passed": disclaimer.passed,
            "matched": "; ".join(disclaimer.found.values()),
            "missing": [str(e) for e in disclaimer.missing] if disclaimer.required else [],
            "message": disclaimer.explanation(),
        }
    )
    failed = not name_result.passed or not disclaimer.passed
    outcome = PersonalAccountDisclosure.Outcome.NEEDS_CHANGES if failed else PersonalAccountDisclosure.Outcome.COMPLIANT
    return CheckOutcome(outcome=outcome, findings=findings)


def _validate(data: dict) -> None:
    errors: dict[str, str] = {}
    if not (data.get("handle") or "").strip():
        errors["handle"] = "Enter your user name on the platform."
    if len(data.get("profile_text") or "") > PROFILE_TEXT_MAX:
        errors["profile_text"] = f"Keep the profile text to {PROFILE_TEXT_MAX:,} characters."
    if not data.get("privacy_settings_checked"):
        errors["privacy_settings_checked"] = "Please check your privacy settings first (clause 5.1)."
    bad = set(data.get("political_activities") or []) - set(PoliticalActivity.values)
    if bad:
        errors["political_activities"] = "Choose only from the listed activities."
    if errors:
        raise ValidationError(errors)


def _flag_politics(*, actor: User, disclosure: PersonalAccountDisclosure) -> None:
    """Clause 5.6: political activity disclosed by a restricted post holder goes to HR."""
    employee = disclosure.employee
    if not (employee.politically_restricted and disclosure.political_activities):
        return
    disclosure.political_flagged_at = timezone.now()
    audit_record(
        actor=actor,
        action="disclosure.political_activity_flagged",
        obj=disclosure,
        details={"activities": disclosure.political_activities},
    )
    notify(
        recipients=hr_staff(),
        subject="Political activity disclosed by a politically restricted post holder",
        template="disclosures/email/political_activity.txt",
        context={"disclosure": disclosure, "employee": employee},
        url=reverse("disclosures:detail", args=[disclosure.pk]),
    )


def disclosure_declare(*, actor: User, **data: Any) -> PersonalAccountDisclosure:
    """Declare a personal account (clause 5.1) and check it at once (5.3, 5.4)."""
    require(actor, "disclosures.declare_account")
    _validate(data)
    checks = run_checks(employee=actor, data=data)
    try:
        with transaction.atomic():
            disclosure = PersonalAccountDisclosure.objects.create(
                employee=actor,
                **{k: data.get(k) for k in ACCOUNT_FIELDS if k in data},
                outcome=checks.outcome,
                findings=checks.findings,
            )
            audit_record(
                actor=actor,
                action="disclosure.declared",
                obj=disclosure,
                details={"platform": disclosure.platform, "outcome": disclosure.outcome},
            )
            _flag_politics(actor=actor, disclosure=disclosure)
            if disclosure.political_flagged_at:
                disclosure.save(update_fields=["political_flagged_at"])
    except IntegrityError as exc:
        raise ValidationError({"handle": "You have already declared this account; open it to update it."}) from exc
    return disclosure


def disclosure_update(*, actor: User, disclosure: PersonalAccountDisclosure, **data: Any) -> PersonalAccountDisclosure:
    """Update and resubmit a declared account; the checks run again."""
    require(actor, "disclosures.edit_account", disclosure)
    _validate(data)
    checks = run_checks(employee=disclosure.employee, data=data)
    try:
        with transaction.atomic():
            locked = (
                PersonalAccountDisclosure.objects.select_for_update().select_related("employee").get(pk=disclosure.pk)
            )
            before = locked.outcome
            had_politics = bool(locked.political_activities)
            for key in ACCOUNT_FIELDS:
                if key in data:
                    setattr(locked, key, data[key])
            locked.outcome = checks.outcome
            locked.findings = checks.findings
            locked.checked_at = timezone.now()
            locked.resubmissions += 1
            if not locked.political_activities:
                locked.political_flagged_at = None
            elif not had_politics or locked.political_flagged_at is None:
                _flag_politics(actor=actor, disclosure=locked)
            locked.save()
            audit_record(
                actor=actor,
                action="disclosure.resubmitted",
                obj=locked,
                details={"outcome_before": before, "outcome": locked.outcome},
            )
    except IntegrityError as exc:
        raise ValidationError({"handle": "You have already declared this account."}) from exc
    return locked


def disclosure_follow_up(*, actor: User, disclosure: PersonalAccountDisclosure, note: str) -> DisclosureFollowUp:
    """HR follows up an account that needs changes; the employee is told."""
    require(actor, "disclosures.follow_up_account", disclosure)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Write what you advised or asked for."})
    if len(note) > 2000:
        raise ValidationError({"note": "Keep the note to 2,000 characters."})
    with transaction.atomic():
        follow_up = DisclosureFollowUp.objects.create(disclosure=disclosure, recorded_by=actor, note=note)
        audit_record(actor=actor, action="disclosure.followed_up", obj=disclosure, details={"note_length": len(note)})
        notify(
            recipients=[disclosure.employee],
            subject="HR has followed up your declared social media account",
            template="disclosures/email/follow_up.txt",
            context={"disclosure": disclosure, "note": note},
            url=reverse("disclosures:detail", args=[disclosure.pk]),
        )
    return follow_up


def disclosures_reconfirm(*, actor: User) -> DisclosureReconfirmation:
    """The employee confirms that their declared accounts are complete and up to date (yearly)."""
    require(actor, "disclosures.reconfirm_accounts")
    with transaction.atomic():
        count = PersonalAccountDisclosure.objects.filter(employee=actor).count()
        confirmation = DisclosureReconfirmation.objects.create(employee=actor, accounts=count)
        audit_record(actor=actor, action="disclosure.reconfirmed", obj=confirmation, details={"accounts": count})
    return confirmation


def disclaimer_wording_save(*, actor: User, wording: DisclaimerWording) -> DisclaimerWording:
    require(actor, "disclosures.manage_wordings")
    with transaction.atomic():
        created = wording.pk is None
        wording.updated_by = actor
        wording.updated_at = timezone.now()
        wording.full_clean()
        wording.save()
        audit_record(
            actor=actor,
            action=f"disclaimer_wording.{'created' if created else 'changed'}",
            obj=wording,
            details={"pattern": wording.pattern, "element": wording.element, "in_use": wording.is_active},
        )
    return wording


def restricted_post_mark(*, actor: User, employee: User, reason: str = "") -> RestrictedPostRecord:
    """HR marks an employee's post as politically restricted (clause 5.6); the holder is told."""
    require(actor, "disclosures.manage_restricted_posts")
    if len(reason) > 300:
        raise ValidationError({"reason": "Keep the reason to 300 characters."})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=employee.pk)
        existing = RestrictedPostRecord.objects.filter(employee=locked, lifted_at__isnull=True).first()
        if locked.politically_restricted and existing:
            raise ValidationError({"employee": f"{locked} already holds a politically restricted post."})
        if existing is None:
            existing = RestrictedPostRecord.objects.create(employee=locked, reason=reason, marked_by=actor)
        locked.politically_restricted = True
        locked.save(update_fields=["politically_restricted"])
        audit_record(actor=actor, action="restricted_post.marked", obj=locked, details={"reason": reason})
        notify(
            recipients=[locked],
            subject="Your post is politically restricted",
            template="disclosures/email/restricted_post.txt",
            context={"employee": locked, "reason": reason},
            url=reverse("disclosures:mine"),
        )
    return existing


def restricted_post_lift(*, actor: User, employee: User) -> None:
    """HR records that the post is no longer politically restricted (clause 5.6); the employee is told what
    that changes, and what of the policy still applies."""
    require(actor, "disclosures.manage_restricted_posts")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=employee.pk)
        if not locked.politically_restricted:
            raise ValidationError(f"{locked} does not hold a politically restricted post.")
        now = timezone.now()
        current = RestrictedPostRecord.objects.filter(employee=locked, lifted_at__isnull=True).first()
        RestrictedPostRecord.objects.filter(employee=locked, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=actor
        )
        locked.politically_restricted = False
        locked.save(update_fields=["politically_restricted"])
        audit_record(actor=actor, action="restricted_post.lifted", obj=locked)
        # A holder marked before the app kept records has none; the notice needs only the date then.
        record = current or RestrictedPostRecord(employee=locked)
        record.lifted_at, record.lifted_by = now, actor
        notify(
            recipients=[locked],
            subject="Your post is no longer politically restricted",
            template="disclosures/email/restricted_post_lifted.txt",
            context={"employee": locked, "record": record},
            url=reverse("disclosures:mine"),
        )


def restricted_post_acknowledge(*, actor: User) -> RestrictedPostRecord:
    """The holder acknowledges the clause 5.6 notice; a second call changes nothing."""
    require(actor, "disclosures.acknowledge_restriction")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        record = current_restriction(actor)
        if record is None:  # marked before this app kept records
            record = RestrictedPostRecord.objects.create(employee=actor)
        if record.acknowledged_at is None:
            record.acknowledged_at = timezone.now()
            record.save(update_fields=["acknowledged_at"])
            audit_record(actor=actor, action="restricted_post.acknowledged", obj=record)
    return record


def reconfirmation_remind_due(*, now: dt.datetime | None = None) -> int:
    """Remind everyone whose reconfirmation is due, at most once a month; safe to rerun."""
    from disclosures.selectors import employees_due_to_reconfirm

    now = now or timezone.now()
    recent = now - dt.timedelta(days=30)
    subject = "Please reconfirm your declared social media accounts"
    reminded = 0
    for employee in employees_due_to_reconfirm():
        if Notification.objects.filter(recipient=employee, subject=subject, created_at__gte=recent).exists():
            continue
        with transaction.atomic():
            notify(
                recipients=[employee],
                subject=subject,
                template="disclosures/email/reconfirm.txt",
                context={"accounts": employee.accounts},  # type: ignore[attr-defined]  # prefetched to_attr
                url=reverse("disclosures:mine"),
            )
        reminded += 1
    return reminded
