"""Declared personal accounts (clauses 5.1-5.6): how many staff declare, and how many accounts comply."""

from __future__ import annotations

from django.db.models import Count, Q

from disclosures.models import PersonalAccountDisclosure
from people.models import Organisation
from reports.registry import ReportFilters, ReportTable, bar_chart, hr_report


@hr_report(
    "disclosure-compliance",
    "Disclosure compliance per school",
    description="Personal accounts declared in the period, per employer: how many staff declared, how many "
    "accounts pass the automatic checks of 5.3 (profile name) and 5.4 (disclaimer), and how many need changes. "
    "Political activity flagged under 5.6 is counted separately.",
    order=30,
    group="Personal accounts",
)
def disclosure_compliance(filters: ReportFilters) -> ReportTable:
    declared = Q(
        employees__personal_accounts__submitted_at__gte=filters.start_at,
        employees__personal_accounts__submitted_at__lt=filters.end_before,
    )
    Outcome = PersonalAccountDisclosure.Outcome
    orgs = Organisation.objects.all()
    if filters.school_id:
        orgs = orgs.filter(pk=filters.school_id)
    rows_qs = (
        orgs.annotate(
            staff=Count("employees", filter=Q(employees__is_active=True), distinct=True),
            declaring=Count("employees", filter=declared, distinct=True),
            accounts=Count("employees__personal_accounts", filter=declared, distinct=True),
            compliant=Count(
                "employees__personal_accounts",
                filter=declared & Q(employees__personal_accounts__outcome=Outcome.COMPLIANT),
                distinct=True,
            ),
            needing=Count(
                "employees__personal_accounts",
                filter=declared & Q(employees__personal_accounts__outcome=Outcome.NEEDS_CHANGES),
                distinct=True,
            ),
            political=Count(
                "employees__personal_accounts",
                filter=declared & Q(employees__personal_accounts__political_flagged_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("kind", "name")
        .values_list("name", "staff", "declaring", "accounts", "compliant", "needing", "political")
    )
    rows = []
    for name, staff, declaring, accounts, compliant, needing, political in rows_qs:
        share = round(100 * compliant / accounts, 1) if accounts else None
        rows.append([name, staff, declaring, accounts, compliant, needing, share, political])
    totals = [sum(r[i] for r in rows) for i in range(1, 6)]
    footer = [
        "All organisations",
        *totals,
        round(100 * totals[3] / totals[2], 1) if totals[2] else None,
        sum(r[7] for r in rows),
    ]
    has_data = any(r[3] for r in rows)
    return ReportTable(
        columns=[
            "Organisation",
            "Staff",
            "Staff who declared",
            "Accounts declared",
            "Compliant",
            "Needing changes",
            "% compliant",
            "Political activity flagged (5.6)",
        ],
        rows=rows if has_data else [],
        footer=footer if has_data else None,
        chart=bar_chart(
            [r[0] for r in rows],
            {"Compliant": [r[4] for r in rows], "Needing changes": [r[5] for r in rows]},
            y_title="Accounts declared",
        ),
        empty_message="No personal account was declared in this period.",
    )
