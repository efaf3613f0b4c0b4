"""Queries that encode who may see which monitoring information."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from monitoring.models import AccessWithdrawal, MonitoringCheck, UsageDay
from people.models import User
from people.rules import is_hr


def checks_visible_to(user: User) -> QuerySet[MonitoringCheck]:
    """HR see every check except one about themselves; anyone else only the checks they asked for."""
    qs = MonitoringCheck.objects.select_related("employee__organisation", "requested_by")
    if is_hr(user):
        return qs.filter(Q(requested_by=user) | ~Q(employee=user))
    return qs.filter(requested_by=user)


def check_get_for_user(user: User, pk: int) -> MonitoringCheck:
    check = get_object_or_404(checks_visible_to(user), pk=pk)
    if not user.has_perm("monitoring.open_check", check):
        raise Http404
    return check


def employee_for_usage(user: User, pk: int) -> User:
    """An employee whose usage the user may read (HR, not about themselves), else 404."""
    employee = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if not user.has_perm("monitoring.read_usage_of", employee):
        raise Http404
    return employee


def withdrawals_applying_to(user: User) -> QuerySet[AccessWithdrawal]:
    condition = Q(employee=user)
    if user.organisation_id:
        condition |= Q(organisation_id=user.organisation_id)
    return AccessWithdrawal.objects.filter(condition, status=AccessWithdrawal.Status.ACTIVE).select_related("site")


def usage_overview(
    *, first_day: dt.date, last_day: dt.date, employees: Q | None = None
) -> QuerySet[Any, Any]:  # rows are dicts of the employee id and totals
    """One row per employee with social media use in the period: their id and totals.

    Grouped over the usage days alone (narrow rows, read from the covering index of migration 0005) and
    filtered by `employees` (a condition on the employee, e.g. `Q(employee__last_name__icontains=...)`);
    joining each employee's whole row before grouping made PostgreSQL hash every column of 28,000 rows
    for a fortnight of 2,000 staff (docs/PERFORMANCE.md). `overview_employees` loads the page's people."""
    in_period = UsageDay.objects.filter(day__gte=first_day, day__lte=last_day)
    if employees is not None:
        in_period = in_period.filter(employees)
    return in_period.values("employee_id").annotate(
        days_used=Count("pk"),
        in_breaks=Sum("minutes_in_breaks"),
        outside_breaks=Sum("minutes_outside_breaks"),
        overtime=Sum("minutes_overtime"),
        flagged_days=Count("pk", filter=Q(possible_excessive_use=True)),
    )


def overview_employees(rows: list[dict]) -> list[User]:
    """The employees of a page of `usage_overview`, in its order, each carrying its totals (one query)."""
    people = User.objects.select_related("organisation").in_bulk([row["employee_id"] for row in rows])
    result = []
    for row in rows:
        employee = people.get(row["employee_id"])
        if employee is not None:
            for key, value in row.items():
                if key not in {"employee_id", "window_total"}:
                    setattr(employee, key, value)
            result.append(employee)
    return result


def unmatched_identity_count(limit: int = 100) -> int:
    """How many user names and addresses in usage records matched no employee, counted up to `limit`.

    Reads only distinct identities from the partial index on unmatched records, stopping at the limit,
    instead of totalling every unmatched record as the identities page does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT DISTINCT identity_kind, identity_value FROM monitoring_usagerecord "
            "WHERE employee_id IS NULL LIMIT %s) unmatched",
            [limit],
        )
        return cursor.fetchone()[0]


def usage_days_of(employee: User, first_day: dt.date, last_day: dt.date) -> QuerySet[UsageDay]:
    return UsageDay.objects.filter(employee=employee, day__gte=first_day, day__lte=last_day).order_by("day")


def unmatched_identities(limit: int = 200) -> list[dict]:
    """User names and addresses in usage records that no network identity matched, most used first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_kind, identity_value, count(*), sum(requests), min(started_at), max(started_at) "
            "FROM monitoring_usagerecord WHERE employee_id IS NULL "
            "GROUP BY identity_kind, identity_value ORDER BY sum(requests) DESC, identity_value LIMIT %s",
            [limit],
        )
        return [
            {"kind": k, "value": v, "minutes": m, "requests": r, "first": f, "last": la}
            for k, v, m, r, f, la in cursor.fetchall()
        ]
