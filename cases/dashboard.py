"""What the cases app adds to the navigation, to dashboards and to the demo data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone

from cases.models import Case, IncidentReport
from cases.selectors import school_counts
from core.dashboard import Panel, nav_entry, panel, seed_hook
from people.models import Organisation, User

nav_entry("Concerns", "cases:mine", "cases.view_own_items", order=40, section="Concerns")
nav_entry("Triage", "cases:triage", "cases.triage_queue", order=60, section="Cases")
nav_entry("Cases", "cases:case_list", "cases.list_cases", order=61, section="Cases")
nav_entry("Letter wording", "cases:letter_templates", "cases.edit_letter_templates", order=62, section="Cases")


@panel(order=40)
def triage_panel(request):
    if not request.user.has_perm("cases.triage_queue"):
        return None
    stats = IncidentReport.objects.filter(status__in=IncidentReport.OPEN_STATES).aggregate(
        waiting=Count("pk"), oldest=Min("reported_at")
    )
    active = Case.objects.not_naming(request.user).aggregate(
        active=Count("pk", filter=Q(status__in=Case.ACTIVE_STATES)),
        unassigned=Count("pk", filter=Q(status=Case.Status.OPEN)),
        appeals=Count("pk", filter=Q(status=Case.Status.APPEAL)),
    )
    return Panel("Concerns and cases", "cases/panels/hr.html", {**stats, **active}, order=40)


@panel(order=41)
def investigator_panel(request):
    cases = list(
        Case.objects.filter(investigating_officer=request.user, status__in=Case.ACTIVE_STATES)
        .select_related("subject", "organisation")
        .annotate(next_deadline=Min("deadlines__due_on", filter=Q(deadlines__met_on__isnull=True)))
        .order_by("opened_at")[:10]
    )
    if not cases:
        return None
    return Panel("Cases you are investigating", "cases/panels/investigator.html", {"cases": cases}, order=41)


@panel(order=42)
def school_panel(request):
    if not request.user.has_perm("cases.view_school_counts"):
        return None
    rows = school_counts(request.user)
    names = dict(Organisation.objects.filter(pk__in=[r["organisation_id"] for r in rows]).values_list("pk", "name"))
    for row in rows:
        row["name"] = names.get(row["organisation_id"], "")
    return Panel("Concerns about your school's staff", "cases/panels/school.html", {"rows": rows}, order=42)


@panel(order=43)
def my_concerns_panel(request):
    user = request.user
    reports = IncidentReport.objects.filter(reporter=user).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=IncidentReport.OPEN_STATES))
    )
    my_cases = list(
        Case.objects.filter(subject=user).exclude(status=Case.Status.CLOSED).only("pk", "reference", "status")
    )
    return Panel("Raising a concern", "cases/panels/mine.html", {"reports": reports, "my_cases": my_cases}, order=43)


@seed_hook
def seed_cases(*, users: dict[str, User], schools: list[Organisation], council, rng, **_):
    """Reports waiting in triage, and a case the demo investigator is working on about Oakfield staff."""
    from cases.services._common import quiet_notifications

    with quiet_notifications():
        _seed_cases(users=users, schools=schools)


def _seed_cases(*, users: dict[str, User], schools: list[Organisation]) -> None:
    from cases import services

    oakfield, kennet = schools[0], schools[1]
    demo_names = set(users)
    oak_staff = [u for u in User.objects.filter(organisation=oakfield).order_by("pk") if u.username not in demo_names]
    kennet_staff = list(User.objects.filter(organisation=kennet, role_assignments__isnull=True).order_by("pk"))
    now = timezone.now()
    subject, other = oak_staff[0], oak_staff[1]

    services.incident_report_create(
        reporter=users["employee"],
        subject=other,
        capacity="personal",
        platform="facebook",
        link="https://www.facebook.com/groups/oakfield-parents/posts/4471",
        occurred_at=now - dt.timedelta(days=2, hours=3),
        description="In the parents' group, a colleague named a Year 5 pupil and discussed their behaviour.",
        categories=["confidentiality", "disrepute"],
    )
    services.incident_report_create(
        reporter=users["bizmanager"],
        subject=other,
        capacity="personal",
        platform="facebook",
        link="https://www.facebook.com/groups/oakfield-parents/posts/4471",
        occurred_at=now - dt.timedelta(days=2, hours=1),
        description="Screenshot of the same post was forwarded to the school office by a parent.",
        categories=["confidentiality"],
    )
    services.incident_report_create(
        reporter=users["manager"],
        anonymous=True,
        subject=kennet_staff[0],
        capacity="professional",
        platform="x",
        occurred_at=now - dt.timedelta(days=5),
        description="The academy's sports account posted a match photo without the photographer's credit.",
        categories=["copyright"],
    )
    # A case in progress, assigned to the demo investigator.
    report = services.incident_report_create(
        reporter=users["manager"],
        subject=subject,
        capacity="personal",
        platform="tiktok",
        link="https://www.tiktok.com/@example/video/7301",
        occurred_at=now - dt.timedelta(days=12),
        description="A video mocking a colleague's accent was shared widely among staff.",
        categories=["discrimination", "disrepute"],
    )
    hr, investigator = users["hr"], users["investigator"]
    case = services.report_open_case(
        actor=hr, report=report, summary=f"{subject} is alleged to have posted a video mocking a colleague (3.3, 5.2)."
    )
    case = services.case_assign_investigator(actor=hr, case=case, officer=investigator)
    services.case_deadline_add(
        actor=investigator,
        case=case,
        title="Investigation report to HR",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    services.case_interview_record(
        actor=investigator,
        case=case,
        interviewee=oak_staff[2],
        interviewed_at=now - dt.timedelta(days=3),
        summary="Colleague who saw the video on the day it was posted.",
        statement="I saw the video in a staff group chat. It was clearly about our colleague; several people laughed.",
    )
