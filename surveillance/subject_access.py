"""Covert surveillance of an employee (7.2) in their subject access export, once the case it served is closed."""

from cases.models import Case
from core.subject_access import PartlyWithheld, subject_data
from people.models import DataWithholding
from surveillance.models import SurveillanceObservation, SurveillanceRequest

# Covert surveillance (7.2) is shown only once the case it belongs to is closed: telling the employee about it
# while the investigation runs would defeat it. The export says that records of an open investigation are
# withheld whenever the employee has a case still open, whether or not any surveillance exists, so the note
# itself gives nothing away; the open case is already listed under "Cases about you". If HR withholds that
# list, the note is left out too, or it would show what they withheld.
OPEN_INVESTIGATION_NOTE = (
    "Records that belong to an investigation about you that is still open are withheld until it is closed; "
    "they will be shown here then."
)


def _closed_case_surveillance(employee):
    return SurveillanceRequest.objects.filter(case__subject=employee, case__status=Case.Status.CLOSED)


def _with_open_investigation_note(employee, items: list[dict]):
    open_case = Case.objects.filter(subject=employee).exclude(status=Case.Status.CLOSED).exists()
    list_withheld = any(
        w.is_current() for w in DataWithholding.objects.filter(employee=employee, section="cases_about_you")
    )
    if open_case and not list_withheld:
        return PartlyWithheld(items, OPEN_INVESTIGATION_NOTE)
    return items


@subject_data("surveillance", "Covert surveillance of your social media (clause 7.2)", order=42)
def surveillance_of_you(employee):
    """Each request about the employee with its decision, period and scope; not who asked or decided, and
    none of the case's internal reasoning beyond the Head of HR and OD's written decision."""
    rows = []
    requests = _closed_case_surveillance(employee).select_related("case").prefetch_related("decisions")
    for request in requests.order_by("requested_at", "pk"):
        decisions = list(request.decisions.all())
        last = decisions[-1] if decisions else None
        rows.append(
            {
                "reference": request.reference,
                "case": request.case.reference,
                "requested": request.requested_at,
                "decision": last.get_decision_display() if last else "None made",
                "decided": last.decided_at if last else None,
                "reasons for the decision": last.reasons if last else "",
                "status": request.get_phase_display(),
                "from": request.starts_on,
                "to": request.ends_on,
                "stopped early": request.closed_at,
                "platforms": ", ".join(request.get_platforms_display()),
                "accounts in scope": ", ".join(line.strip() for line in request.accounts.splitlines() if line.strip()),
            }
        )
    return _with_open_investigation_note(employee, rows)


@subject_data("surveillance_observations", "What was seen during covert surveillance (clause 7.2)", order=43)
def surveillance_observations(employee):
    """When and where each thing was seen, and the officer's summary of it; screenshots are evidence on the
    case file and are not copied here."""
    observations = SurveillanceObservation.objects.filter(
        request__in=_closed_case_surveillance(employee)
    ).select_related("request")
    rows = [
        {
            "surveillance": o.request.reference,
            "seen": o.observed_at,
            "platform": o.get_platform_display(),
            "what was seen": o.what_was_seen,
            "screenshot kept": bool(o.screenshot),
        }
        for o in observations.order_by("observed_at", "pk")
    ]
    return _with_open_investigation_note(employee, rows)
