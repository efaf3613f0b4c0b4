"""What the people app adds to the navigation and to each role's dashboard."""

from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel
from people.models import PolicyAcknowledgement, Role
from people.selectors import (
    current_policy_version,
    is_line_manager,
    organisation_acknowledgement_summary,
    role_organisations,
    roles_of,
    team_with_acknowledgement,
)

nav_entry("Dashboard", "people:dashboard", "people.view_dashboard", order=0)
nav_entry("My team", "people:team", "people.view_team", order=20, section="People")
nav_entry("Employees", "people:employee_list", "people.list_employees", order=80, section="People")
nav_entry("Organisations", "people:organisation_list", "people.list_employees", order=81, section="People")
nav_entry("Staff directory", "people:staff_import", "people.import_staff", order=82, section="People")
nav_entry(
    "Policy acknowledgement", "people:policy_acknowledgements", "people.list_employees", order=83, section="People"
)
nav_entry("Publish a policy version", "people:policy_publish", "people.publish_policy", order=84, section="People")
nav_entry("Subject access", "people:sar_list", "people.manage_subject_access", order=90, section="People")
nav_entry("Audit trail", "audit:trail", "audit.view_trail", order=95, section="Oversight")
nav_entry("Policy", "people:policy", "people.view_policy", order=99)
nav_entry("My data", "people:my_data", "people.view_dashboard", order=98)


@panel(order=0)
def about_me(request):
    user = request.user
    version = current_policy_version()
    acknowledged = None
    if version is not None:
        acknowledged = PolicyAcknowledgement.objects.filter(employee=user, policy_version=version).first()
    roles = sorted({Role(r).label for r, _ in roles_of(user)})
    if is_line_manager(user):
        roles.insert(0, "Line manager")
    return Panel(
        "You and the policy",
        "people/panels/about_me.html",
        {
            "version": version,
            "acknowledged": acknowledged,
            "roles": roles or ["Employee"],
            "line_manager": user.line_manager,
            "organisation": user.organisation,
            "today": timezone.localdate(),
        },
        order=0,
    )


@panel(order=10)
def my_team(request):
    if not is_line_manager(request.user):
        return None
    team = list(team_with_acknowledgement(request.user))
    outstanding = [m for m in team if not getattr(m, "acknowledged_current", True)]
    return Panel("Your team", "people/panels/my_team.html", {"team": team, "outstanding": outstanding}, order=10)


@panel(order=20)
def my_school(request):
    schools = role_organisations(request.user, Role.HEADTEACHER) | role_organisations(
        request.user, Role.BUSINESS_MANAGER
    )
    if not schools:
        return None
    rows = organisation_acknowledgement_summary(sorted(schools))
    return Panel("Your school", "people/panels/school_summary.html", {"rows": rows}, order=20)


@panel(order=30)
def council_overview(request):
    if not (request.user.has_perm("people.list_employees") or request.user.has_perm("people.open_organisation")):
        return None
    if role_organisations(request.user, Role.HEADTEACHER) or role_organisations(request.user, Role.BUSINESS_MANAGER):
        return None
    rows = organisation_acknowledgement_summary()
    totals = {"staff": sum(r["staff"] for r in rows), "outstanding": sum(r["outstanding"] for r in rows)}
    return Panel(
        "Policy acknowledgement across the council",
        "people/panels/council_overview.html",
        {"rows": rows, "totals": totals},
        order=30,
        width=12,
    )


@panel(order=90)
def system_status(request):
    """For the system administrator: are the parts the app relies on answering?"""
    if not request.user.is_staff:
        return None
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    from audit.models import AuditEvent

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    try:
        cache.set("status-probe", "ok", 10)
        redis_ok = cache.get("status-probe") == "ok"
    except Exception:  # noqa: BLE001 - the panel reports Redis being down, it must not crash on it
        redis_ok = False
    last_event = AuditEvent.objects.order_by("-id").only("id", "occurred_at").first()
    return Panel(
        "System status",
        "people/panels/system_status.html",
        {
            "postgres": postgres,
            "redis_ok": redis_ok,
            "last_event": last_event,
            "debug": settings.DEBUG,
        },
        order=90,
    )
