"""Expected access to every cases route, for every role, with own-school and other-school objects."""

from cases.models import Case, CaseDeadline, Evidence, IncidentReport
from cases.services import evidence_add_to_case
from tests.cases import factories as f
from tests.security.matrix import HR, STAFF, s
from tests.security.matrix import Case as C

INVESTIGATOR = s("investigator")
POST_ONLY = 405


def _seeded_report(reporter):
    return lambda: {"pk": IncidentReport.objects.filter(reporter__username=reporter).order_by("pk").first().pk}


def _anonymous_report():
    return {"pk": IncidentReport.objects.filter(anonymous=True).order_by("pk").first().pk}


def _oakfield_case():
    """Seeded: about Oakfield staff, assigned to the demo investigator."""
    return {"pk": Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD).pk}


def _kennet_case():
    return {"pk": f.open_case(subject=f.staff_of(f.KENNET, 1)).pk}


def _employee_case_with_outcome():
    return {"pk": f.case_with_outcome(subject=f.user("employee")).pk}


def _kennet_case_with_outcome():
    return {"pk": f.case_with_outcome(subject=f.staff_of(f.KENNET, 2)).pk}


def _employee_case_in_appeal():
    return {"pk": f.case_in_appeal(subject=f.user("employee")).pk}


def _kennet_case_in_appeal():
    subject = f.staff_of(f.KENNET, 3)
    case = f.case_with_outcome(subject=subject)
    from cases.services import appeal_lodge

    appeal_lodge(actor=subject, case=case, grounds="Not me.")
    return {"pk": case.pk}


def _employee_outcome_letter():
    case = f.case_with_outcome(subject=f.user("employee"))
    return {"pk": case.letters.get(kind="outcome").pk}


def _kennet_outcome_letter():
    case = f.case_with_outcome(subject=f.staff_of(f.KENNET, 2))
    return {"pk": case.letters.get(kind="outcome").pk}


def _oakfield_deadline():
    return {"pk": CaseDeadline.objects.filter(case__organisation__name=f.OAKFIELD).order_by("pk").first().pk}


def _kennet_deadline():
    case = f.open_case(subject=f.staff_of(f.KENNET, 1))
    from django.utils import timezone

    from cases.services import case_deadline_add

    return {"pk": case_deadline_add(actor=f.user("hr"), case=case, title="Letters", due_on=timezone.localdate()).pk}


def _oakfield_case_evidence():
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    return {"pk": evidence_add_to_case(actor=f.user("hr"), case=case, files=[f.png()])[0].pk}


def _kennet_report_evidence():
    report = f.report(reporter="headteacher", subject=f.staff_of(f.KENNET, 1), anonymous=True, files=[f.png()])
    return {"pk": Evidence.objects.get(report=report).pk}


CASE_VARIANTS = (
    ("Oakfield case assigned to the investigator", _oakfield_case),
    ("Kennet Valley case", _kennet_case),
)


def _case_routes(investigator_may: bool):
    out = []
    for label, kwargs in CASE_VARIANTS:
        roles = HR | (INVESTIGATOR if investigator_may and label.startswith("Oakfield") else s())
        out.append(C(label, kwargs, get_ok=roles, post_ok=roles))
    return out


ROUTES = {
    "cases:case_list": [C(get_ok=HR | INVESTIGATOR)],
    "cases:report_create": [C(get_ok=STAFF, post_ok=STAFF)],
    "cases:mine": [C(get_ok=STAFF)],
    "cases:receipt": [C(get_ok=STAFF, post_ok=STAFF)],
    "cases:triage": [C(get_ok=HR)],
    "cases:report_status": [
        C("the employee's own report", _seeded_report("employee"), get_ok=s("employee"), post_ok=s("employee")),
        C(
            "the business manager's report",
            _seeded_report("bizmanager"),
            get_ok=s("bizmanager"),
            post_ok=s("bizmanager"),
        ),
    ],
    "cases:report_detail": [
        C("report about Oakfield staff", _seeded_report("employee"), get_ok=HR, post_ok=HR),
        C("anonymous report about Kennet Valley staff", _anonymous_report, get_ok=HR, post_ok=HR),
    ],
    "cases:my_case": [
        C("a case about the employee", _employee_case_with_outcome, get_ok=s("employee"), post_ok=s("employee")),
        C("a case about Oakfield staff", _oakfield_case),
    ],
    "cases:case_detail": [
        C("Oakfield case assigned to the investigator", _oakfield_case, get_ok=HR | INVESTIGATOR),
        C("Kennet Valley case", _kennet_case, get_ok=HR),
        C("a case about the employee", _employee_case_with_outcome, get_ok=HR | INVESTIGATOR),
    ],
    "cases:case_assign": _case_routes(investigator_may=False),
    "cases:case_suspend": _case_routes(investigator_may=False),
    "cases:case_hearing": _case_routes(investigator_may=False),
    "cases:case_outcome": _case_routes(investigator_may=False),
    "cases:case_hearing_held": _case_routes(investigator_may=False),
    "cases:case_end": _case_routes(investigator_may=False),
    "cases:case_reopen": _case_routes(investigator_may=False),
    "cases:case_note": _case_routes(investigator_may=True),
    "cases:case_interview": _case_routes(investigator_may=True),
    "cases:case_evidence": _case_routes(investigator_may=True),
    "cases:case_finding": _case_routes(investigator_may=True),
    "cases:case_deadline": _case_routes(investigator_may=True),
    "cases:case_suspension_lift": [
        C(label, kwargs, get_ok=STAFF, get_status=POST_ONLY, post_ok=HR) for label, kwargs in CASE_VARIANTS
    ],
    "cases:case_close": [
        C(
            "the employee's case with an outcome",
            _employee_case_with_outcome,
            get_ok=STAFF,
            get_status=POST_ONLY,
            post_ok=HR,
        ),
        C(
            "Kennet Valley case with an outcome",
            _kennet_case_with_outcome,
            get_ok=STAFF,
            get_status=POST_ONLY,
            post_ok=HR,
        ),
    ],
    "cases:outcome_letter": [
        C("the employee's own letter", _employee_case_with_outcome, get_ok=HR | s("employee")),
        C("a Kennet Valley employee's letter", _kennet_case_with_outcome, get_ok=HR),
    ],
    "cases:appeal_decide": [
        # The HR officer ran the case, so only the Head of HR (not involved) may hear the appeal.
        C("the employee's appeal", _employee_case_in_appeal, get_ok=s("headofhr"), post_ok=s("headofhr")),
        C("a Kennet Valley appeal", _kennet_case_in_appeal, get_ok=s("headofhr"), post_ok=s("headofhr")),
    ],
    "cases:letter_download": [
        C("the employee's own letter", _employee_outcome_letter, get_ok=HR | s("employee")),
        C("a Kennet Valley employee's letter", _kennet_outcome_letter, get_ok=HR),
    ],
    "cases:letter_templates": [C(get_ok=s("headofhr"))],
    "cases:letter_template_edit": [
        C("the outcome letter's wording", lambda: {"kind": "outcome"}, get_ok=s("headofhr"), post_ok=s("headofhr"))
    ],
    "cases:deadline_met": [
        C("Oakfield deadline", _oakfield_deadline, get_ok=STAFF, get_status=POST_ONLY, post_ok=HR | INVESTIGATOR),
        C("Kennet Valley deadline", _kennet_deadline, get_ok=STAFF, get_status=POST_ONLY, post_ok=HR),
    ],
    "cases:evidence_download": [
        C("evidence on the Oakfield case", _oakfield_case_evidence, get_ok=HR | INVESTIGATOR),
        C("evidence on an anonymous Kennet Valley report", _kennet_report_evidence, get_ok=HR),
    ],
    "cases:evidence_verify": [
        C(
            "evidence on the Oakfield case",
            _oakfield_case_evidence,
            get_ok=STAFF,
            get_status=POST_ONLY,
            post_ok=HR | INVESTIGATOR,
        ),
        C(
            "evidence on an anonymous Kennet Valley report",
            _kennet_report_evidence,
            get_ok=STAFF,
            get_status=POST_ONLY,
            post_ok=HR,
        ),
    ],
}
