"""Incidents and cases (clauses 3.3, 5.2-5.6, 7.1, 7.3): how many, of what kind, where, and how long they take."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case, Category, DisciplinaryOutcome, IncidentReport
from people.models import Organisation, User
from reports.models import CaseTally, IncidentTally
from reports.registry import ReportFilters, ReportTable, bar_chart, hr_report

NOT_KNOWN = "Not known or outside the council"


def _month_label(month) -> str:
    return f"{month:%b %Y}"


def _reports_in(filters: ReportFilters):
    qs = IncidentReport.objects.filter(reported_at__gte=filters.start_at, reported_at__lt=filters.end_before)
    if filters.school_id:
        qs = qs.filter(subject__organisation_id=filters.school_id)
    return qs


@hr_report(
    "incidents-by-category",
    "Incidents per month by category",
    description="Concerns reported each month, counted under every category of the policy they touch "
    "(a report about confidentiality and disrepute counts once under each). School: the employer of the "
    "person concerned.",
    order=10,
    group="Incidents and cases",
)
def incidents_by_category(filters: ReportFilters) -> ReportTable:
    months = filters.months()
    if _whole_months(filters):
        counts = {
            (row["month"], row["category"]): row["n"]
            for row in _tallies(filters).exclude(category="").values("month", "category").annotate(n=Sum("reports"))
            if row["n"]
        }
    else:
        counts = _category_counts_from_reports(filters)
    categories = [c for c in Category if any(key[1] == c.value for key in counts)]
    rows = []
    for month in months:
        values = [counts.get((month, c.value), 0) for c in categories]
        rows.append([_month_label(month), *values, sum(values)])
    if not counts:
        rows = []
    footer = ["Total", *[sum(r[i + 1] for r in rows) for i in range(len(categories))], sum(r[-1] for r in rows)]
    return ReportTable(
        columns=["Month", *[c.label for c in categories], "All categories"],
        rows=rows,
        footer=footer if rows else None,
        chart=bar_chart(
            [_month_label(m) for m in months],
            {c.label: [counts.get((m, c.value), 0) for m in months] for c in categories},
            y_title="Category mentions",
        ),
        empty_message="No concern was reported in this period.",
    )


def _whole_months(filters: ReportFilters) -> bool:
    """Whether the period is whole months (the last one may run to today), which the tallies answer."""
    today = timezone.localdate()
    return filters.start.day == 1 and ((filters.end + dt.timedelta(days=1)).day == 1 or filters.end >= today)


def _tallies(filters: ReportFilters):
    """The monthly incident tallies of the period (reports.IncidentTally, kept by database triggers)."""
    qs = IncidentTally.objects.filter(month__gte=filters.start, month__lte=filters.end)
    if filters.school_id:
        qs = qs.filter(organisation_id=filters.school_id)
    return qs.order_by()


def _category_counts_from_reports(filters: ReportFilters) -> dict:
    """Category mentions per month counted from the reports themselves, for a period of part-months."""
    report_table = IncidentReport._meta.db_table
    user_table = User._meta.db_table
    sql = f"""
        SELECT date_trunc('month', r.reported_at AT TIME ZONE %s)::date AS month, c.category, count(*)
        FROM {report_table} r
        CROSS JOIN LATERAL unnest(r.categories) AS c(category)
        LEFT JOIN {user_table} u ON u.id = r.subject_id
        WHERE r.reported_at >= %s AND r.reported_at < %s AND (%s::bigint IS NULL OR u.organisation_id = %s::bigint)
        GROUP BY 1, 2
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [settings.TIME_ZONE, filters.start_at, filters.end_before, filters.school_id, filters.school_id]
        )
        return {(month, category): n for month, category, n in cursor.fetchall()}


@hr_report(
    "incidents-by-school",
    "Incidents per month by school",
    description="Concerns reported each month, by the school (or council) that employs the person concerned.",
    order=11,
    group="Incidents and cases",
)
def incidents_by_school(filters: ReportFilters) -> ReportTable:
    months = filters.months()
    if _whole_months(filters):
        rows = _tallies(filters).filter(category="").values("month", org=F("organisation__name"))
        counts = {(row["month"], row["org"]): row["n"] for row in rows.annotate(n=Sum("reports")) if row["n"]}
    else:
        counts = {
            (row["month"].date() if hasattr(row["month"], "date") else row["month"], row["org"]): row["n"]
            for row in _reports_in(filters)
            .annotate(month=TruncMonth("reported_at"), org=F("subject__organisation__name"))
            .values("month", "org")
            .annotate(n=Count("pk"))
            .order_by()
        }
    orgs = sorted({org for _, org in counts if org}) + ([None] if any(org is None for _, org in counts) else [])
    rows = []
    for org in orgs:
        values = [counts.get((m, org), 0) for m in months]
        rows.append([org or NOT_KNOWN, *values, sum(values)])
    footer = ["Total", *[sum(counts.get((m, o), 0) for o in orgs) for m in months], sum(counts.values())]
    return ReportTable(
        columns=["Organisation", *[_month_label(m) for m in months], "Total"],
        rows=rows,
        footer=footer if rows else None,
        chart=bar_chart(
            [_month_label(m) for m in months],
            {org or NOT_KNOWN: [counts.get((m, org), 0) for m in months] for org in orgs},
            y_title="Concerns reported",
        ),
        empty_message="No concern was reported in this period.",
    )


@hr_report(
    "cases-by-state",
    "Cases by state and outcome",
    description="Cases opened in the period, by where they are now and, once decided, the disciplinary "
    "outcome (7.1, 7.3).",
    order=20,
    group="Incidents and cases",
)
def cases_by_state(filters: ReportFilters) -> ReportTable:
    if _whole_months(filters):
        tallies = CaseTally.objects.filter(month__gte=filters.start, month__lte=filters.end)
        if filters.school_id:
            tallies = tallies.filter(organisation_id=filters.school_id)
        counts = {
            (row["status"], row["outcome"] or None): row["n"]
            for row in tallies.values("status", "outcome").annotate(n=Sum("cases")).order_by()
            if row["n"]
        }
    else:
        qs = Case.objects.filter(opened_at__gte=filters.start_at, opened_at__lt=filters.end_before)
        if filters.school_id:
            qs = qs.filter(organisation_id=filters.school_id)
        counts = {
            (row["status"], row["outcome__kind"]): row["n"]
            for row in qs.values("status", "outcome__kind").annotate(n=Count("pk")).order_by()
        }
    outcome_kinds = [k for k in DisciplinaryOutcome.Kind if any(key[1] == k.value for key in counts)]
    columns_keys: list[str | None] = [None, *[k.value for k in outcome_kinds]]
    states = [s for s in Case.Status if any(key[0] == s.value for key in counts)]
    rows = []
    for state in states:
        values = [counts.get((state.value, k), 0) for k in columns_keys]
        rows.append([state.label, *values, sum(values)])
    footer = ["Total", *[sum(counts.get((s.value, k), 0) for s in states) for k in columns_keys], sum(counts.values())]
    labels = {None: "No outcome yet", **{k.value: k.label for k in outcome_kinds}}
    return ReportTable(
        columns=["State", *[labels[k] for k in columns_keys], "Total"],
        rows=rows,
        footer=footer if rows else None,
        chart=bar_chart(
            [s.label for s in states],
            {labels[k]: [counts.get((s.value, k), 0) for s in states] for k in columns_keys},
            y_title="Cases",
        ),
        empty_message="No case was opened in this period.",
    )


@hr_report(
    "time-to-outcome",
    "Time from report to outcome",
    description="For cases whose outcome was decided in the period: days from the first report of the concern "
    "(or the case being opened, if HR opened it directly) to the decision. Median and 90th percentile.",
    order=21,
    group="Incidents and cases",
)
def time_to_outcome(filters: ReportFilters) -> ReportTable:
    case_table, outcome_table = Case._meta.db_table, DisciplinaryOutcome._meta.db_table
    report_table, org_table = IncidentReport._meta.db_table, Organisation._meta.db_table
    sql = f"""
        WITH durations AS (
            SELECT c.organisation_id,
                   EXTRACT(EPOCH FROM (o.decided_at - COALESCE(
                       (SELECT MIN(r.reported_at) FROM {report_table} r WHERE r.case_id = c.id), c.opened_at
                   ))) / 86400.0 AS days
            FROM {case_table} c JOIN {outcome_table} o ON o.case_id = c.id
            WHERE o.decided_at >= %s AND o.decided_at < %s AND (%s::bigint IS NULL OR c.organisation_id = %s::bigint)
        )
        SELECT org.name, GROUPING(org.name) AS is_total, count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY d.days)
        FROM durations d JOIN {org_table} org ON org.id = d.organisation_id
        GROUP BY GROUPING SETS ((org.name), ())
        ORDER BY is_total, org.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [filters.start_at, filters.end_before, filters.school_id, filters.school_id])
        result = cursor.fetchall()
    rows, footer = [], None
    for name, is_total, n, median, p90 in result:
        if not n:
            continue
        row = [name, n, round(median, 1), round(p90, 1)]
        if is_total:
            footer = ["All organisations", *row[1:]]
        else:
            rows.append(row)
    return ReportTable(
        columns=["Organisation", "Cases decided", "Median days", "90th percentile days"],
        rows=rows,
        footer=footer if rows else None,
        chart=bar_chart(
            [r[0] for r in rows],
            {"Median days": [r[2] for r in rows], "90th percentile days": [r[3] for r in rows]},
            stacked=False,
            y_title="Days from report to outcome",
        ),
        empty_message="No case reached an outcome in this period.",
    )
