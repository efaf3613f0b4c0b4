"""Generated monitoring data for the retention tests: 14 months of it, counted back from a run date."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from cases.models import Case
from monitoring import partitions
from monitoring.models import Site
from monitoring.retention import months_before
from people.models import User

PREFIX = "rt-"  # identity values of generated usage records start with this, so clean-up finds only ours


def uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_default_timezone())


def cutoff_of(today: dt.date, months: int = 12) -> dt.datetime:
    return uk_midnight(months_before(today, months))


def add_usage(
    employee: User | None, start: dt.datetime, end: dt.datetime, *, step: str = "6 hours", tag: str = ""
) -> int:
    """One usage record every `step` from start (inclusive) to end (exclusive); returns how many."""
    value = f"{PREFIX}{tag or (employee.username if employee else 'unclaimed')}"
    site = Site.objects.order_by("pk").values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_usagerecord (identity_kind, identity_value, employee_id, site_id, device, "
            "started_at, first_seen, last_seen, requests, bytes) "
            "SELECT 'username', %s, %s, %s, 'school', t, t, t, 1, 100 "
            "FROM generate_series(%s::timestamptz, %s::timestamptz - interval '1 microsecond', %s::interval) t",
            [value, employee.pk if employee else None, site, start, end, step],
        )
        return cursor.rowcount


def add_record_at(employee: User | None, moment: dt.datetime, tag: str) -> None:
    add_usage(employee, moment, moment + dt.timedelta(seconds=1), step="1 hour", tag=tag)


def fourteen_months(today: dt.date, employees: list[User]) -> None:
    """Partitions for 15 months back, and usage every 6 hours over the 14 months before `today`."""
    partitions.ensure_partitions(months_ahead=3, months_behind=15, today=today)
    start = uk_midnight(months_before(today, 14))
    for employee in employees:
        add_usage(employee, start, uk_midnight(today))
    add_usage(None, start, uk_midnight(today), step="1 day")  # an identity nobody has claimed


def usage_stats(where: str = "TRUE", params: list | None = None) -> tuple[int, dt.datetime | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), min(started_at) FROM monitoring_usagerecord WHERE identity_value LIKE %s AND {where}",
            [f"{PREFIX}%", *(params or [])],
        )
        return cursor.fetchone()


def generated_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_value, started_at FROM monitoring_usagerecord WHERE identity_value LIKE %s ORDER BY 1, 2",
            [f"{PREFIX}%"],
        )
        return cursor.fetchall()


def remove_generated_usage() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_usagerecord WHERE identity_value LIKE %s", [f"{PREFIX}%"])


def open_case(subject: User, opened_by: User, reference: str = "CASE-RT-1") -> Case:
    return Case.objects.create(
        reference=reference,
        subject=subject,
        organisation_id=subject.organisation_id,
        summary="Alleged social media use during lessons over many months (4.1).",
        opened_by=opened_by,
    )
