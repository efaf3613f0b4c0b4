"""What the people app holds about an employee, for subject access."""

from core.subject_access import subject_data
from people.models import Notification, OvertimePeriod, PolicyAcknowledgement, RoleAssignment


@subject_data("profile", "Your employment record", order=0)
def profile(employee):
    return [
        {
            "name": employee.get_full_name(),
            "user name": employee.get_username(),
            "email": employee.email,
            "staff number": employee.staff_number,
            "organisation": str(employee.organisation or ""),
            "job title": employee.job_title,
            "line manager": str(employee.line_manager or ""),
            "employment status": employee.get_employment_status_display(),
            "politically restricted post (5.6)": employee.politically_restricted,
            "account created": employee.date_joined,
            "last sign-in": employee.last_login,
        }
    ]


@subject_data("roles", "Your roles", order=1)
def roles(employee):
    return [
        {"role": r.get_role_display(), "organisation": str(r.organisation), "since": r.granted_at}
        for r in RoleAssignment.objects.filter(user=employee).select_related("organisation")
    ]


@subject_data("acknowledgements", "Your acknowledgements of the social media policy", order=2)
def acknowledgements(employee):
    return [
        {"version": a.policy_version.version, "acknowledged at": a.acknowledged_at}
        for a in PolicyAcknowledgement.objects.filter(employee=employee).select_related("policy_version")
    ]


@subject_data("overtime", "Overtime recorded for you (clause 2.1)", order=3)
def overtime(employee):
    return [
        {"from": o.start, "to": o.end, "reason": o.reason} for o in OvertimePeriod.objects.filter(employee=employee)
    ]


@subject_data("notifications", "Notifications sent to you", order=90)
def notifications(employee):
    return [
        {"subject": n.subject, "sent": n.created_at, "read": n.read_at}
        for n in Notification.objects.filter(recipient=employee)
    ]
