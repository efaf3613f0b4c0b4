"""What the monitoring app holds about an employee's internet use, for subject access (clauses 2, 4).

Usage is given per day (the analysis HR sees), not per minute: the same facts at the level the
policy acts on. Checks appear once the employee has been told of them; a check HR has recorded a reason
to keep from the employee for now is withheld until then, as clause 4.1 investigations require."""

from core.subject_access import subject_data
from monitoring.models import AccessWithdrawal, MonitoringCheck, NetworkIdentity, UsageDay
from monitoring.retention import retention_periods


@subject_data("monitoring_usage", "Your social media use at work, day by day (clauses 2.1, 4.1)", order=30)
def usage(employee):
    return [
        {
            "day": d.day,
            "minutes in rest breaks": d.minutes_in_breaks,
            "minutes outside breaks": d.minutes_outside_breaks,
            "minutes during overtime": d.minutes_overtime,
            "minutes outside working hours": d.minutes_outside_hours,
            "school device minutes": d.minutes_school_device,
            "own device minutes": d.minutes_own_device,
            "possible excessive use": d.possible_excessive_use,
        }
        for d in UsageDay.objects.filter(employee=employee).order_by("day")
    ]


@subject_data("monitoring_identities", "Network names and addresses linked to you", order=31)
def identities(employee):
    return [
        {"kind": i.get_kind_display(), "value": i.value, "from": i.valid_from, "to": i.valid_to}
        for i in NetworkIdentity.objects.filter(employee=employee)
    ]


@subject_data("monitoring_checks", "Checks of your internet use (clause 4.1)", order=32)
def checks(employee):
    return [
        {
            "reason": c.get_reason_display(),
            "period from": c.period_start,
            "period to": c.period_end,
            "status": c.get_status_display(),
            "findings": c.findings,
            "told": c.employee_told_at,
        }
        for c in MonitoringCheck.objects.filter(employee=employee, employee_told_at__isnull=False)
    ]


@subject_data("monitoring_withdrawals", "Sites withdrawn from you (clause 4.3)", order=33)
def withdrawals(employee):
    return [
        {"site": w.site.name, "reason": w.reason, "review date": w.review_date, "status": w.get_status_display()}
        for w in AccessWithdrawal.objects.filter(employee=employee).select_related("site")
    ]


@subject_data("monitoring_retention", "How long monitoring information about you is kept (clause 4.2)", order=60)
def monitoring_retention(employee):
    return retention_periods()
