"""Monthly partitions of the usage-record table (clause 4.2: the purge drops whole months).

The parent `monitoring_usagerecord` is PARTITIONED BY RANGE (started_at) with one partition per calendar
month (UTC), named `monitoring_usagerecord_yYYYYmMM`, and a default partition that catches anything else.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

PARENT = "monitoring_usagerecord"
DEFAULT = f"{PARENT}_default"
# Any fixed number: two imports creating the same partition at once would otherwise collide.
_LOCK_KEY = 4_202_401
RETENTION_MONTHS = 12


def month_start(value: dt.date | dt.datetime) -> dt.date:
    return dt.date(value.year, value.month, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def existing_partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [PARENT],
        )
        return {row[0] for row in cursor.fetchall()}


def _create_partition(cursor, month: dt.date) -> None:
    name, lower, upper = partition_name(month), month.isoformat(), add_months(month, 1).isoformat()
    bounds = f"FOR VALUES FROM ('{lower} 00:00:00+00') TO ('{upper} 00:00:00+00')"
    cursor.execute(
        f"SELECT 1 FROM {DEFAULT} WHERE started_at >= %s::timestamptz AND started_at < %s::timestamptz LIMIT 1",
        [f"{lower} 00:00:00+00", f"{upper} 00:00:00+00"],
    )
    if cursor.fetchone() is None:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT} {bounds}")
        return
    # Rows of this month sit in the default partition: move them into the new one, then attach it.
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE started_at >= %s::timestamptz AND started_at < %s::timestamptz "
        f"RETURNING *) INSERT INTO {name} SELECT * FROM moved",
        [f"{lower} 00:00:00+00", f"{upper} 00:00:00+00"],
    )
    cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} {bounds}")


def ensure_partitions(
    months_ahead: int = 2, *, months_behind: int = RETENTION_MONTHS, today: dt.date | None = None
) -> list[str]:
    """Create the missing monthly partitions from `months_behind` months ago to `months_ahead` months ahead."""
    this_month = month_start(today or timezone.now().astimezone(dt.UTC))
    wanted = [add_months(this_month, offset) for offset in range(-months_behind, months_ahead + 1)]
    created = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        have = existing_partitions()
        for month in wanted:
            if partition_name(month) not in have:
                _create_partition(cursor, month)
                created.append(partition_name(month))
    return created
