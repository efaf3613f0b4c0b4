"""Actions that change people data; each checks permission, validates, changes state and audits in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import audit_record
from core.permissions import require
from people.models import OvertimePeriod, PolicyAcknowledgement, PolicyVersion, RestBreak, User


def policy_acknowledge(*, actor: User, version: PolicyVersion) -> PolicyAcknowledgement:
    """Record that the actor has read the policy version; a second call changes nothing."""
    existing = PolicyAcknowledgement.objects.filter(policy_version=version, employee=actor).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            ack = PolicyAcknowledgement.objects.create(policy_version=version, employee=actor)
            audit_record(
                actor=actor,
                action="policy.acknowledged",
                obj=ack,
                organisation_id=actor.organisation_id,
                details={"version": version.version},
            )
    except IntegrityError:
        # A double-submitted form: the other request recorded it first.
        return PolicyAcknowledgement.objects.get(policy_version=version, employee=actor)
    return ack


def policy_version_publish(
    *,
    actor: User,
    version: str,
    title: str,
    summary: str,
    effective_from: dt.date,
    document_url: str = "",
    text: str = "",
) -> PolicyVersion:
    """Publish a version; from its effective date every page asks staff to acknowledge it, and the weekly
    reminder (people.policies.policy_reminders_send) emails those who have not."""
    require(actor, "people.publish_policy")
    with transaction.atomic():
        policy = PolicyVersion(
            version=version,
            title=title,
            summary=summary,
            text=text,
            effective_from=effective_from,
            document_url=document_url,
            published_by=actor,
        )
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action="policy.published",
            obj=policy,
            organisation_id=actor.organisation_id,
            details={"version": version, "effective_from": effective_from},
        )
    return policy


def overtime_record(
    *, actor: User, employee: User, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> OvertimePeriod:
    """Record overtime; during it clause 2.1's permission to use social media does not apply."""
    require(actor, "people.record_overtime", employee)
    if start >= end:
        raise ValidationError({"end": "Overtime must end after it starts."})
    if end - start > dt.timedelta(hours=16):
        raise ValidationError({"end": "An overtime period can be at most 16 hours; record separate periods."})
    with transaction.atomic():
        overlapping = OvertimePeriod.objects.select_for_update().filter(employee=employee, start__lt=end, end__gt=start)
        if overlapping.exists():
            raise ValidationError("This overlaps overtime already recorded for this employee.")
        period = OvertimePeriod.objects.create(
            employee=employee, start=start, end=end, reason=reason, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="overtime.recorded",
            obj=period,
            organisation_id=employee.organisation_id,
            details={"employee": employee.pk, "start": start, "end": end},
        )
    return period


def rest_break_save(*, actor: User, rest_break: RestBreak) -> RestBreak:
    require(actor, "people.manage_rest_breaks", rest_break.organisation)
    created = rest_break.pk is None
    with transaction.atomic():
        rest_break.full_clean()
        rest_break.save()
        audit_record(
            actor=actor,
            action="rest_break.created" if created else "rest_break.changed",
            obj=rest_break,
            organisation_id=rest_break.organisation_id,
            details={"weekday": rest_break.weekday, "start": rest_break.start, "end": rest_break.end},
        )
    return rest_break


def rest_break_delete(*, actor: User, rest_break: RestBreak) -> None:
    require(actor, "people.manage_rest_breaks", rest_break.organisation)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="rest_break.deleted",
            obj=rest_break,
            organisation_id=rest_break.organisation_id,
            details={"was": str(rest_break)},
        )
        rest_break.delete()
