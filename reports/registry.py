"""The registry of HR reports: a section is one function that turns filters into a table and a chart.

    @hr_report("incidents-by-category", "Incidents per month by category", order=10, description="...")
    def incidents_by_category(filters: ReportFilters) -> ReportTable: ...

Apps add sections from their own `hr_reports.py` module (autodiscovered), so monitoring or surveillance
figures need no change here. A section must run a fixed number of queries whatever the size of the data:
aggregate in the database, never loop over rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class ReportFilters:
    """The school (None for every organisation) and the period, both dates inclusive, in UK time."""

    start: dt.date
    end: dt.date
    school_id: int | None = None
    school_name: str = ""

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        """The first moment after the period (the end date is included)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches, oldest first."""
        months, cursor = [], self.start.replace(day=1)
        while cursor <= self.end:
            months.append(cursor)
            cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
        return months

    def describe(self) -> str:
        where = self.school_name or "all organisations"
        return f"{where}, {self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"


@dataclass
class ReportTable:
    """Column headings, rows of plain values (str, int, float or None) and an optional chart."""

    columns: list[str]
    rows: list[list]
    chart: dict | None = None
    footer: list | None = None  # a totals row, shown bold and included in downloads
    empty_message: str = "Nothing was recorded in this period."

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class HRReport:
    slug: str
    title: str
    description: str
    build: Callable[[ReportFilters], ReportTable]
    order: int = 100
    permission: str = "reports.view_reports"
    group: str = ""
    extra: dict = field(default_factory=dict)


_reports: dict[str, HRReport] = {}


def hr_report(
    slug: str,
    title: str,
    *,
    description: str,
    order: int = 100,
    group: str = "",
    permission: str = "reports.view_reports",
) -> Callable[[Callable[[ReportFilters], ReportTable]], Callable[[ReportFilters], ReportTable]]:
    def register(fn: Callable[[ReportFilters], ReportTable]) -> Callable[[ReportFilters], ReportTable]:
        existing = _reports.get(slug)
        if existing is not None and existing.build is not fn:
            raise ValueError(f"Another HR report is already registered as {slug!r}")
        _reports[slug] = HRReport(slug, title, description, fn, order, permission, group)
        return fn

    return register


def all_reports() -> list[HRReport]:
    return sorted(_reports.values(), key=lambda r: (r.order, r.title))


def reports_for(user) -> list[HRReport]:
    return [r for r in all_reports() if user.has_perm(r.permission)]


def get_report(slug: str) -> HRReport | None:
    return _reports.get(slug)


def bar_chart(labels: list[str], datasets: dict[str, list], *, stacked: bool = True, y_title: str = "") -> dict:
    """The chart description that static/js/reports.js draws with Chart.js."""
    return {
        "type": "bar",
        "labels": labels,
        "datasets": [{"label": name, "data": data} for name, data in datasets.items()],
        "stacked": stacked,
        "yTitle": y_title,
    }
