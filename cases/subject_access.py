"""What the cases app holds about an employee that they may see (never a reporter's identity or internal
notes): the cases about them with their outcome and appeal, and the reports they made themselves. Covert
surveillance of them is in surveillance.subject_access."""

from cases.models import Case, IncidentReport
from core.subject_access import subject_data


@subject_data("cases_about_you", "Cases about you (clause 7)", order=40)
def cases_about_you(employee):
    rows = []
    for case in Case.objects.filter(subject=employee).select_related("outcome", "appeal"):
        outcome = getattr(case, "outcome", None)
        appeal = getattr(case, "appeal", None)
        rows.append(
            {
                "reference": case.reference,
                "status": case.get_status_display(),
                "opened": case.opened_at,
                "allegation": case.summary,
                "suspended from": case.suspended_from,
                "hearing": case.hearing_at,
                "outcome": outcome.get_kind_display() if outcome else "",
                "warning expires": outcome.warning_expires_on if outcome else None,
                "appeal": appeal.get_decision_display() if appeal and appeal.decision else ("lodged" if appeal else ""),
            }
        )
    return rows


@subject_data("reports_you_made", "Concerns you reported under your name", order=41)
def reports_you_made(employee):
    # Anonymous reports keep no link to their reporter, so they cannot appear here by design.
    return [
        {
            "reference": r.reference,
            "reported": r.reported_at,
            "status": r.get_status_display(),
            "self-reported": r.self_reported,
        }
        for r in IncidentReport.objects.filter(reporter=employee, anonymous=False)
    ]
