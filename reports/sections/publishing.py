"""Official accounts (clauses 3.3, 3.4): posts and campaigns by where they have got to, per school."""

from __future__ import annotations

from django.db.models import Count, F

from publishing.models import Campaign, Post
from reports.registry import ReportFilters, ReportTable, bar_chart, hr_report


def _by_state(qs, school_path: str, states) -> ReportTable:
    counts = {
        (row["school_name"], row["state"]): row["n"]
        for row in qs.annotate(school_name=F(school_path))
        .values("school_name", "state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    schools = sorted({school for school, _ in counts})
    rows = []
    for school in schools:
        values = [counts.get((school, s.value), 0) for s in states]
        rows.append([school, *values, sum(values)])
    footer = ["Total", *[sum(counts.get((sc, s.value), 0) for sc in schools) for s in states], sum(counts.values())]
    return ReportTable(
        columns=["School", *[s.label for s in states], "Total"],
        rows=rows,
        footer=footer if rows else None,
        chart=bar_chart(schools, {s.label: [counts.get((sc, s.value), 0) for sc in schools] for s in states}),
    )


@hr_report(
    "posts-by-state",
    "Official posts by state per school",
    description="Posts for official accounts written in the period, by school and by where they are in the "
    "colleague check of 3.3 (draft, awaiting check, approved, returned, published).",
    order=40,
    group="Publishing",
)
def posts_by_state(filters: ReportFilters) -> ReportTable:
    qs = Post.objects.filter(created_at__gte=filters.start_at, created_at__lt=filters.end_before)
    if filters.school_id:
        qs = qs.filter(account__school_id=filters.school_id)
    table = _by_state(qs, "account__school__name", list(Post.State))
    table.chart["yTitle"] = "Posts"
    table.empty_message = "No official post was written in this period."
    return table


@hr_report(
    "campaigns-by-state",
    "Campaigns by state per school",
    description="Campaigns proposed in the period, by school and by where they are in the approval of 3.4.",
    order=41,
    group="Publishing",
)
def campaigns_by_state(filters: ReportFilters) -> ReportTable:
    qs = Campaign.objects.filter(created_at__gte=filters.start_at, created_at__lt=filters.end_before)
    if filters.school_id:
        qs = qs.filter(school_id=filters.school_id)
    table = _by_state(qs, "school__name", list(Campaign.State))
    table.chart["yTitle"] = "Campaigns"
    table.empty_message = "No campaign was proposed in this period."
    return table
