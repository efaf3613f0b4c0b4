"""Rest-break analysis (clauses 2.1, 2.2): each minute of social media use, inside or outside the rules.

A minute with any social media request counts once, whatever the number of sites. On a weekday it is:
- during overtime: not allowed (2.1 allows social media only when not undertaking overtime);
- inside an official rest break of the employee's organisation: allowed;
- otherwise inside the working day: outside breaks, not allowed (2.1 for school devices, 2.2 for own ones);
- otherwise: outside working hours, which the policy does not govern.
Weekends count as outside working hours unless overtime was recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter

from django.conf import settings
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from monitoring.models import UsageDay, UsageRecord
from people.models import OvertimePeriod, RestBreak, User


def excessive_threshold() -> int:
    """Minutes of not-allowed use in one day from which HR's overview shows a pointer (never a finding)."""
    return settings.MONITORING_EXCESSIVE_MINUTES_PER_DAY


@dataclass
class DayAnalysis:
    day: dt.date
    in_breaks: int = 0
    outside_breaks: int = 0
    overtime: int = 0
    outside_hours: int = 0
    school_device: int = 0
    own_device: int = 0
    requests: int = 0
    sites: dict = field(default_factory=dict)  # site id -> minutes

    @property
    def not_allowed(self) -> int:
        return self.outside_breaks + self.overtime

    @property
    def total(self) -> int:
        return self.in_breaks + self.outside_breaks + self.overtime + self.outside_hours

    @property
    def possible_excessive_use(self) -> bool:
        return self.not_allowed >= excessive_threshold()


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time.min, tz), dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz)


def analyse_employee(employee: User, first_day: dt.date, last_day: dt.date) -> dict[dt.date, DayAnalysis]:
    """Each day from first_day to last_day (inclusive) that has social media use, analysed minute by minute."""
    start, _ = _day_bounds(first_day)
    _, end = _day_bounds(last_day)
    org = employee.organisation
    breaks: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    if org is not None:
        for weekday, b_start, b_end in RestBreak.objects.filter(organisation=org).values_list(
            "weekday", "start", "end"
        ):
            breaks[weekday].append((b_start, b_end))
    overtime = list(
        OvertimePeriod.objects.filter(employee=employee, start__lt=end, end__gt=start).values_list("start", "end")
    )
    rows = UsageRecord.objects.filter(employee=employee, started_at__gte=start, started_at__lt=end).values_list(
        "started_at", "device", "requests", "site_id"
    )
    return _analyse(rows, org, breaks, overtime)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _analyse(rows, org, breaks, overtime, local_of: dict | None = None) -> dict[dt.date, DayAnalysis]:
    """The analysis of one employee's usage rows (started_at, device, requests, site id, ...), given their
    organisation's rest breaks by weekday and their overtime periods.

    A row's started_at may also be microseconds since the epoch, which PostgreSQL sends and psycopg2
    reads much faster than a timestamp. local_of caches each moment's local time and day across calls
    (an import's staff share the same minutes, so most rows need no time-zone conversion); the caller
    clears it between employees once it is large, so it holds at most that plus one employee's minutes,
    which `minutes` holds anyway."""
    work_start = org.workday_start if org else dt.time(8, 0)
    work_end = org.workday_end if org else dt.time(17, 0)
    minutes: dict[dt.datetime, set[str]] = defaultdict(set)
    days: dict[dt.date, DayAnalysis] = {}
    site_minutes: dict[tuple[dt.date, int], set] = defaultdict(set)
    tz = timezone.get_current_timezone()  # once: timezone.localtime() looks it up again for every row
    if local_of is None:
        local_of = {}
    for row in rows:
        started_at = row[0]  # a datetime, or microseconds since the epoch (read faster than a timestamp)
        local_day = local_of.get(started_at)
        if local_day is None:
            if not isinstance(started_at, dt.datetime):
                started_at = EPOCH + dt.timedelta(microseconds=started_at)
            local = started_at.astimezone(tz)
            local_day = local_of[row[0]] = (local, local.date())
        local, date = local_day
        minutes[local].add(row[1])
        day = days.get(date)
        if day is None:
            day = days[date] = DayAnalysis(date)
        day.requests += row[2]
        site_minutes[(date, row[3])].add(local)
    for local, devices in minutes.items():
        day = days[local.date()]
        t = local.time()
        if any(o_start <= local < o_end for o_start, o_end in overtime):
            day.overtime += 1
        elif local.weekday() < 5 and work_start <= t < work_end:
            if any(b_start <= t < b_end for b_start, b_end in breaks.get(local.weekday(), ())):
                day.in_breaks += 1
            else:
                day.outside_breaks += 1
        else:
            day.outside_hours += 1
        if "school" in devices:
            day.school_device += 1
        if "own" in devices:
            day.own_device += 1
    for (day, site_id), used in site_minutes.items():
        days[day].sites[site_id] = len(used)
    return dict(sorted(days.items()))


RECOMPUTE_BATCH_DAYS = 2000  # employee-days whose usage rows are read in one query (bounds memory)
RECOMPUTE_FETCH_ROWS = 5000  # usage rows fetched from the server at a time while a batch is read
RECOMPUTE_LOCAL_TIMES = 20_000  # moments whose local time is remembered across employees (bounds memory)


def _batches(ids: list[int], by_employee: dict[int, set[dt.date]]):
    batch, days = [], 0
    for employee_id in ids:
        wanted = by_employee[employee_id]
        span = (max(wanted) - min(wanted)).days + 1
        if batch and days + span > RECOMPUTE_BATCH_DAYS:
            yield batch
            batch, days = [], 0
        batch.append(employee_id)
        days += span
    if batch:
        yield batch


def usage_days_recompute(*, pairs: Iterable[tuple[int, dt.date]]) -> int:
    """Store the analysis of the given (employee id, day) pairs for HR's overview; returns days stored.

    An import touches thousands of employees at once, so this reads their rest breaks, overtime and usage
    rows a batch of employees at a time and writes the days with one upsert per batch, instead of
    several queries per employee."""
    by_employee: dict[int, set[dt.date]] = defaultdict(set)
    for employee_id, day in pairs:
        by_employee[employee_id].add(day)
    stored = 0
    now = timezone.now()
    local_of: dict = {}
    employees = User.objects.select_related("organisation").in_bulk(list(by_employee))
    # Employees with similar days together, so that a batch's period stays short.
    ids = sorted((i for i in by_employee if i in employees), key=lambda i: (min(by_employee[i]), i))
    breaks: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    orgs = {employees[i].organisation_id for i in ids} - {None}
    for org_id, weekday, b_start, b_end in RestBreak.objects.filter(organisation_id__in=orgs).values_list(
        "organisation_id", "weekday", "start", "end"
    ):
        breaks[org_id][weekday].append((b_start, b_end))
    for batch in _batches(ids, by_employee):
        start, _ = _day_bounds(min(min(by_employee[i]) for i in batch))
        _, end = _day_bounds(max(max(by_employee[i]) for i in batch))
        overtime: dict[int, list] = defaultdict(list)
        for employee_id, o_start, o_end in OvertimePeriod.objects.filter(
            employee_id__in=batch, start__lt=end, end__gt=start
        ).values_list("employee_id", "start", "end"):
            overtime[employee_id].append((o_start, o_end))
        # Streamed (a server-side cursor) and grouped by employee: a batch of busy days can be millions of
        # rows, and only one employee's rows are held at a time.
        rows = (
            UsageRecord.objects.filter(employee_id__in=batch, started_at__gte=start, started_at__lt=end)
            .order_by("employee_id", "started_at")
            .annotate(started_us=RawSQL("(EXTRACT(EPOCH FROM started_at) * 1000000)::bigint", []))
            .values_list("started_us", "device", "requests", "site_id", "employee_id")
            .iterator(chunk_size=RECOMPUTE_FETCH_ROWS)
        )
        upserts, gone = [], Q()
        with_rows = groupby(rows, itemgetter(4))  # each employee's rows, read as _analyse goes
        seen = set()
        # Then the employees left with no usage in the period at all: their days are deleted.
        for employee_id, employee_rows in chain(with_rows, ((i, ()) for i in batch)):
            if employee_id in seen:
                continue
            seen.add(employee_id)
            employee, wanted = employees[employee_id], by_employee[employee_id]
            if len(local_of) >= RECOMPUTE_LOCAL_TIMES:
                local_of.clear()
            analysed = _analyse(
                employee_rows,
                employee.organisation,
                breaks.get(employee.organisation_id, {}),
                overtime.get(employee_id, []),
                local_of,
            )
            missing = [day for day in wanted if day not in analysed]
            if missing:
                gone |= Q(employee_id=employee_id, day__in=missing)
            for day in wanted:
                result = analysed.get(day)
                if result is None:
                    continue
                upserts.append(
                    UsageDay(
                        employee_id=employee_id,
                        day=day,
                        minutes_in_breaks=result.in_breaks,
                        minutes_outside_breaks=result.outside_breaks,
                        minutes_overtime=result.overtime,
                        minutes_outside_hours=result.outside_hours,
                        minutes_school_device=result.school_device,
                        minutes_own_device=result.own_device,
                        requests=result.requests,
                        possible_excessive_use=result.possible_excessive_use,
                        created_at=now,
                        computed_at=now,
                    )
                )
        if gone:
            UsageDay.objects.filter(gone).delete()
        UsageDay.objects.bulk_create(
            upserts,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["employee", "day"],
            update_fields=[
                "minutes_in_breaks",
                "minutes_outside_breaks",
                "minutes_overtime",
                "minutes_outside_hours",
                "minutes_school_device",
                "minutes_own_device",
                "requests",
                "possible_excessive_use",
                "computed_at",
            ],
        )
        stored += len(upserts)
    return stored
