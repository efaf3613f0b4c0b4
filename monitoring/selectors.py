"""Queries that encode who may see which monitoring information."""

from __future__ import annotations

import datetime as dt

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


def usage_overview(*, first_day: dt.date, last_day: dt.date) -> QuerySet[User]:
    """Employees with social media use in the period, with their totals (one query)."""
    in_period = Q(usage_days__day__gte=first_day, usage_days__day__lte=last_day)
    return (
        User.objects.filter(usage_days__day__gte=first_day, usage_days__day__lte=last_day)
        .select_related("organisation")
        .annotate(
            days_used=Count("usage_days", filter=in_period),
            in_breaks=Sum("usage_days__minutes_in_breaks", filter=in_period),
            outside_breaks=Sum("usage_days__minutes_outside_breaks", filter=in_period),
            overtime=Sum("usage_days__minutes_overtime", filter=in_period),
            flagged_days=Count("usage_days", filter=in_period & Q(usage_days__possible_excessive_use=True)),
        )
        # No DISTINCT: the aggregates already group by employee, and DISTINCT over every column of the
        # user row cost a sort of all of them (docs/PERFORMANCE.md).
    )


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
