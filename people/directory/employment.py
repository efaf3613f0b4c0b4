"""Managing one employee in the app rather than the admin site (issue 17, item 5): the Head of HR or the
system administrator grants and removes roles, changes a line manager and marks a leaver, each with a reason,
each on the audit trail with what it was and what it became.

A later full directory import is the source of truth for what its file holds: a role granted here to someone
the file lists is replaced by the file's roles column, if it has one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from people.directory.handover import open_items_for
from people.models import Organisation, Role, RoleAssignment, User
from people.notifications import notify


def _require_manage(actor: User) -> None:
    if not actor.has_perm("people.manage_employee"):
        raise PermissionDenied("Only the Head of HR or the system administrator may change employees' records.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason: it goes on the audit trail."})
    return reason


def role_assignment_grant(
    *, actor: User, employee: User, role: str, organisation: Organisation, reason: str
) -> RoleAssignment:
    _require_manage(actor)
    reason = _reason(reason)
    if not employee.is_active:
        raise ValidationError("This person has left; a leaver cannot be given a role.")
    with transaction.atomic():
        assignment = RoleAssignment(user=employee, role=role, organisation=organisation)
        assignment.full_clean()
        assignment.save()
        audit_record(
            actor=actor,
            action="role.granted",
            obj=employee,
            organisation_id=organisation.pk,
            details={"role": role, "organisation": organisation.name, "reason": reason},
        )
    return assignment


def role_assignment_remove(*, actor: User, assignment: RoleAssignment, reason: str) -> None:
    _require_manage(actor)
    reason = _reason(reason)
    employee = assignment.user
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="role.removed",
            obj=employee,
            organisation_id=assignment.organisation_id,
            details={
                "role": assignment.role,
                "organisation": assignment.organisation.name,
                "held since": assignment.granted_at,
                "reason": reason,
            },
        )
        assignment.delete()


def employee_line_manager_change(*, actor: User, employee: User, line_manager: User | None, reason: str) -> User:
    _require_manage(actor)
    reason = _reason(reason)
    if line_manager is not None and not line_manager.is_active:
        raise ValidationError({"line_manager": f"{line_manager} has left and cannot be a line manager."})
    with transaction.atomic():
        employee = User.objects.select_for_update().get(pk=employee.pk)
        old = employee.line_manager
        if (old.pk if old else None) == (line_manager.pk if line_manager else None):
            raise ValidationError({"line_manager": "That is already their line manager."})
        employee.line_manager = line_manager
        employee.clean()  # refuses being one's own manager and loops in the chain
        employee.save(update_fields=["line_manager"])
        audit_record(
            actor=actor,
            action="employee.line_manager_changed",
            obj=employee,
            details={
                "old": f"{old} ({old.staff_number})" if old else "",
                "new": f"{line_manager} ({line_manager.staff_number})" if line_manager else "",
                "reason": reason,
            },
        )
    return employee


def employee_leave(*, actor: User, employee: User, leave_date: dt.date, reason: str) -> User:
    """Close the account of someone who has left: they cannot sign in; nothing about them is deleted.
    HR is told, with what they leave open."""
    _require_manage(actor)
    reason = _reason(reason)
    if employee.pk == actor.pk:
        raise ValidationError("You cannot mark yourself as a leaver; ask another member of HR.")
    if employee.employment_status == User.EmploymentStatus.LEFT:
        raise ValidationError("This person is already recorded as a leaver.")
    if leave_date > timezone.localdate():
        raise ValidationError({"leave_date": "The leave date cannot be in the future: mark them on or after it."})
    if employee.start_date and leave_date < employee.start_date:
        raise ValidationError(
            {"leave_date": f"The leave date is before their start date ({employee.start_date:%d/%m/%Y})."}
        )
    with transaction.atomic():
        old_status = employee.get_employment_status_display()
        User.objects.filter(pk=employee.pk).update(
            is_active=False, employment_status=User.EmploymentStatus.LEFT, leave_date=leave_date
        )
        employee.refresh_from_db()
        audit_record(
            actor=actor,
            action="employee.left",
            obj=employee,
            details={
                "old": old_status,
                "new": employee.get_employment_status_display(),
                "leave_date": leave_date,
                "reason": reason,
                "account": "deactivated: cannot sign in; nothing about them is deleted",
            },
        )
        items = open_items_for([employee.pk]).get(employee.pk, [])
        hr = User.objects.active().filter(role_assignments__role__in=[Role.HR_OFFICER, Role.HEAD_OF_HR]).distinct()
        notify(
            recipients=[u for u in hr if u.pk != actor.pk],
            subject=f"{employee} has left: hand over their open work",
            template="people/email/employee_left.txt",
            context={"employee": employee, "items": items, "actor": actor},
            url=reverse("people:employee_detail", args=[employee.pk]),
        )
    return employee
