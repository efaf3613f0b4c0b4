"""Subject access: the employee's own copy of their data, and HR's register of requests."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.subject_access import build_export, section_choices
from people.models import DataWithholding, SubjectAccessRequest, User


def withheld_sections(employee: User) -> dict[str, str]:
    today = timezone.localdate()
    return {w.section: w.reason for w in DataWithholding.objects.filter(employee=employee) if w.is_current(today)}


def subject_export(*, actor: User, employee: User) -> dict:
    """The export, as the employee sees it; reading it is audited."""
    if not actor.has_perm("people.export_subject_data", employee):
        raise PermissionDenied
    data = build_export(employee, withheld=withheld_sections(employee))
    audit_record(
        actor=actor,
        action="subject_data.exported",
        obj=employee,
        kind=AuditEvent.Kind.READ,
        organisation_id=employee.organisation_id,
    )
    return data


def sar_log(*, actor: User, employee: User, received_on: dt.date, notes: str = "") -> SubjectAccessRequest:
    if not actor.has_perm("people.manage_subject_access"):
        raise PermissionDenied
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "A request cannot be received in the future."})
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(
            employee=employee,
            received_on=received_on,
            due_on=received_on + relativedelta(months=1),
            notes=notes,
            logged_by=actor,
        )
        audit_record(actor=actor, action="subject_access.logged", obj=sar, organisation_id=employee.organisation_id)
    return sar


def sar_complete(*, actor: User, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    if not actor.has_perm("people.manage_subject_access"):
        raise PermissionDenied
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
        if sar.status != SubjectAccessRequest.Status.OPEN:
            raise ValidationError("This request is already completed.")
        sar.status = SubjectAccessRequest.Status.COMPLETED
        sar.completed_at, sar.completed_by = timezone.now(), actor
        sar.save(update_fields=["status", "completed_at", "completed_by"])
        audit_record(
            actor=actor, action="subject_access.completed", obj=sar, organisation_id=sar.employee.organisation_id
        )
    return sar


def withholding_record(
    *, actor: User, employee: User, section: str, reason: str, until: dt.date | None = None
) -> DataWithholding:
    if not actor.has_perm("people.manage_subject_access"):
        raise PermissionDenied
    if section not in dict(section_choices()):
        raise ValidationError({"section": "Choose one of the listed parts of the data."})
    if not reason.strip():
        raise ValidationError({"reason": "Say which exemption applies."})
    with transaction.atomic():
        w = DataWithholding.objects.create(
            employee=employee, section=section, reason=reason.strip(), until=until, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="subject_data.withheld",
            obj=w,
            organisation_id=employee.organisation_id,
            details={"section": section, "reason": reason},
        )
    return w
