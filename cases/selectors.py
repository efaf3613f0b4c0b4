"""Queries that encode who may see which report or case; each getter 404s for anyone without access."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cases.models import Case, CaseDeadline, CaseLetter, Evidence, IncidentReport, case_names
from people.models import Role, User
from people.selectors import has_role, role_organisations

DUPLICATE_WINDOW = dt.timedelta(days=3)


def receipt_key_hash(key: str) -> str:
    return hashlib.sha256(key.strip().upper().encode()).hexdigest()


def _duplicate_condition() -> Q:
    """Another report about the same person, with the same link or close in time."""
    return Q(subject_id=OuterRef("subject_id"), subject__isnull=False) & (
        (Q(link=OuterRef("link")) & ~Q(link=""))
        | Q(
            occurred_at__gte=OuterRef("occurred_at") - DUPLICATE_WINDOW,
            occurred_at__lte=OuterRef("occurred_at") + DUPLICATE_WINDOW,
        )
    )


def _count_of(queryset: QuerySet, field: str):
    """The number of rows of `queryset` whose `field` is the outer row, as a correlated sub-query.

    Unlike Count() over a join, this needs no GROUP BY over the whole table: PostgreSQL works it out only
    for the rows of the page, so a list stays fast with a million rows (docs/PERFORMANCE.md)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def reports_for_triage(user: User) -> QuerySet[IncidentReport]:
    """The triage queue: every report, with evidence counts and a possible-duplicate flag in one query."""
    duplicates = IncidentReport.objects.filter(_duplicate_condition()).exclude(pk=OuterRef("pk"))
    return (
        IncidentReport.objects.select_related("subject__organisation", "case")
        .exclude(subject_id=user.pk)
        .exclude(reporter_id=user.pk)
        .annotate(evidence_count=_count_of(Evidence.objects.all(), "report"), has_duplicates=Exists(duplicates))
    )


def possible_duplicates(report: IncidentReport) -> list[IncidentReport]:
    if not report.subject_id:
        return []
    near = Q(occurred_at__range=(report.occurred_at - DUPLICATE_WINDOW, report.occurred_at + DUPLICATE_WINDOW))
    if report.link:
        near |= Q(link=report.link)
    return list(
        IncidentReport.objects.filter(near, subject_id=report.subject_id)
        .exclude(pk=report.pk)
        .select_related("case")
        .order_by("-reported_at")[:10]
    )


def open_cases_about(subject_id: int | None) -> list[Case]:
    if not subject_id:
        return []
    return list(Case.objects.filter(subject_id=subject_id).exclude(status=Case.Status.CLOSED).order_by("-opened_at"))


def report_get_for_hr(user: User, pk: int) -> IncidentReport:
    report = IncidentReport.objects.select_related("subject__organisation", "reporter", "case").filter(pk=pk).first()
    if report is None or not user.has_perm("cases.triage_report", report):
        raise Http404("No such report.")
    return report


def report_get_for_reporter(user: User, pk: int) -> IncidentReport:
    report = IncidentReport.objects.select_related("subject").filter(pk=pk, reporter_id=user.pk).first()
    if report is None:
        raise Http404("No such report.")
    return report


def report_get_by_receipt(key: str) -> IncidentReport | None:
    if not key or len(key) > 64:
        return None
    return IncidentReport.objects.filter(receipt_key_hash=receipt_key_hash(key), anonymous=True).first()


def reports_by(user: User) -> QuerySet[IncidentReport]:
    return IncidentReport.objects.filter(reporter=user).select_related("subject").order_by("-reported_at")


def cases_visible_to(user: User) -> QuerySet[Case]:
    """HR see every case that does not name them (Case.people_involved: the subject, reporters, interviewees)
    and the cases they investigate; anyone else only the cases they investigate. The same rule as the case
    page's (cases.view_case), so a row in the list always opens."""
    qs = Case.objects.select_related("subject", "organisation", "investigating_officer").annotate(
        open_deadlines=_count_of(CaseDeadline.objects.filter(met_on__isnull=True), "case")
    )
    if has_role(user, Role.HR_OFFICER) or has_role(user, Role.HEAD_OF_HR):
        return qs.filter(~case_names(user.pk) | Q(investigating_officer=user))
    return qs.filter(investigating_officer=user)


def case_get_for_user(user: User, pk: int, perm: str = "cases.view_case") -> Case:
    case = (
        Case.objects.select_related("subject__organisation", "investigating_officer", "opened_by").filter(pk=pk).first()
    )
    if case is None or not user.has_perm(perm, case):
        raise Http404("No such case.")
    return case


def case_get_for_subject(user: User, pk: int) -> Case:
    case = Case.objects.select_related("subject", "organisation").filter(pk=pk, subject=user).first()
    if case is None:
        raise Http404("No such case.")
    return case


def cases_about(user: User) -> QuerySet[Case]:
    return Case.objects.filter(subject=user).order_by("-opened_at")


def evidence_get_for_user(user: User, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("case", "report__case").filter(pk=pk).first()
    if evidence is None or not user.has_perm("cases.read_evidence", evidence):
        raise Http404("No such evidence.")
    return evidence


def letter_get_for_user(user: User, pk: int) -> CaseLetter:
    """A case's letter: the employee it is addressed to and HR not named in the case may read it; 404 for others."""
    letter = CaseLetter.objects.select_related("case").filter(pk=pk).first()
    if letter is None or not user.has_perm("cases.view_outcome_letter", letter.case):
        raise Http404("No such letter.")
    return letter


def deadlines_due_for_reminder(today: dt.date, days_ahead: int) -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(
        met_on__isnull=True, reminded_at__isnull=True, due_on__lte=today + dt.timedelta(days=days_ahead)
    ).select_related("case__investigating_officer", "case__opened_by")


def school_counts(user: User) -> list[dict]:
    """For a headteacher: numbers only, per status, of reports and cases about their school's staff."""
    schools = sorted(role_organisations(user, Role.HEADTEACHER))
    rows = []
    for org_id in schools:
        reports = IncidentReport.objects.filter(subject__organisation_id=org_id).aggregate(
            awaiting=Count("pk", filter=Q(status__in=IncidentReport.OPEN_STATES)),
            total=Count("pk"),
        )
        cases = Case.objects.filter(organisation_id=org_id).aggregate(
            active=Count("pk", filter=Q(status__in=Case.ACTIVE_STATES)),
            outcome=Count("pk", filter=Q(status__in=[Case.Status.OUTCOME_RECORDED, Case.Status.APPEAL])),
            closed=Count("pk", filter=Q(status=Case.Status.CLOSED)),
            suspended=Count(
                "pk", filter=Q(suspended_from__isnull=False, suspension_lifted_on__isnull=True, closed_at__isnull=True)
            ),
        )
        rows.append({"organisation_id": org_id, **{f"reports_{k}": v for k, v in reports.items()}, **cases})
    return rows


def report_age_days(report: IncidentReport) -> int:
    return (timezone.now() - report.reported_at).days
