"""Expected access to every covert-surveillance route (7.2): only HR and the case's investigating officer,
and only the Head of HR (never the requester) decides. Employees, line managers and headteachers never
reach any of it, even a headteacher who investigates the case, and even by guessing the URL."""

from cases import services
from surveillance import services as surveillance_services
from surveillance.models import SurveillanceRequest
from tests.cases import factories as f
from tests.security.matrix import HR, s
from tests.security.matrix import Case as C
from tests.surveillance import surveillance_factories as sf

INVESTIGATOR = s("investigator")
HR_AND_OFFICER = HR | INVESTIGATOR


def _seeded_request():
    """Seeded: the demo investigator's pending request on the Oakfield case."""
    return {"pk": SurveillanceRequest.objects.get(requested_by__username="investigator", status="requested").pk}


def _kennet_request():
    return {"pk": sf.make_request(actor="hr", case=sf.kennet_case()).pk}


def _head_of_hr_own_request():
    return {"pk": sf.make_request(actor="headofhr").pk}


def _request_about_the_employee():
    case = services.case_assign_investigator(
        actor=f.user("hr"), case=f.open_case(subject=f.user("employee")), officer=f.user("investigator")
    )
    return {"pk": sf.make_request(case=case).pk}


def _oakfield_approved():
    return {"pk": sf.approved_request().pk}


def _kennet_approved():
    return {"pk": sf.approved_request(actor="hr", case=sf.kennet_case()).pk}


def _observation(approved):
    def make():
        request = SurveillanceRequest.objects.get(pk=approved()["pk"])
        observation = surveillance_services.surveillance_observation_record(
            actor=request.requested_by,
            request=request,
            observed_at=request.requested_at,
            platform="tiktok",
            what_was_seen="A new video.",
            screenshot=f.png(),
        )
        return {"pk": observation.pk}

    return make


def _oakfield_case():
    return {"pk": sf.oakfield_case().pk}


def _case_investigated_by_the_headteacher():
    case = f.open_case(subject=f.user("employee"), reporter="bizmanager")
    return {"pk": services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher")).pk}


def _kennet_case():
    return {"pk": sf.kennet_case().pk}


ROUTES = {
    "surveillance:list": [C(get_ok=HR_AND_OFFICER)],
    "surveillance:oversight": [C(get_ok=s("headofhr"))],
    "surveillance:create": [
        C("Oakfield case assigned to the investigator", _oakfield_case, get_ok=HR_AND_OFFICER, post_ok=HR_AND_OFFICER),
        C("Kennet Valley case", _kennet_case, get_ok=HR, post_ok=HR),
        C("a case the headteacher investigates", _case_investigated_by_the_headteacher, get_ok=HR, post_ok=HR),
    ],
    "surveillance:detail": [
        C("the investigator's request on the Oakfield case", _seeded_request, get_ok=HR_AND_OFFICER),
        C("a request on a Kennet Valley case", _kennet_request, get_ok=HR),
        C("a request about the employee", _request_about_the_employee, get_ok=HR_AND_OFFICER),
    ],
    "surveillance:edit": [
        C("the investigator's request", _seeded_request, get_ok=INVESTIGATOR, post_ok=INVESTIGATOR),
        C("the Head of HR's own request", _head_of_hr_own_request, get_ok=s("headofhr"), post_ok=s("headofhr")),
    ],
    "surveillance:decide": [
        C("the investigator's request", _seeded_request, get_ok=s("headofhr"), post_ok=s("headofhr")),
        C("a request on a Kennet Valley case", _kennet_request, get_ok=s("headofhr"), post_ok=s("headofhr")),
        # Nobody: the only Head of HR asked for it.
        C("the Head of HR's own request", _head_of_hr_own_request),
    ],
    "surveillance:observe": [
        C("approved, Oakfield", _oakfield_approved, get_ok=HR_AND_OFFICER, post_ok=HR_AND_OFFICER),
        C("approved, Kennet Valley", _kennet_approved, get_ok=HR, post_ok=HR),
    ],
    "surveillance:close": [
        C("approved, Oakfield", _oakfield_approved, get_ok=HR_AND_OFFICER, post_ok=HR_AND_OFFICER),
        C("approved, Kennet Valley", _kennet_approved, get_ok=HR, post_ok=HR),
    ],
    "surveillance:observation": [
        C("observation, Oakfield", _observation(_oakfield_approved), get_ok=HR_AND_OFFICER),
        C("observation, Kennet Valley", _observation(_kennet_approved), get_ok=HR),
    ],
    "surveillance:screenshot": [
        C("screenshot, Oakfield", _observation(_oakfield_approved), get_ok=HR_AND_OFFICER),
        C("screenshot, Kennet Valley", _observation(_kennet_approved), get_ok=HR),
    ],
}
