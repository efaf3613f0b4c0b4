"""Who may see and do what with covert surveillance (clause 7.2).

Only people who hold an HR or investigating-officer role ever reach a surveillance page: an employee,
a line manager or a headteacher never does, even when a headteacher investigates a case. Nobody named
in the case handles its surveillance, and only a Head of HR and OD who did not ask for it decides.
"""

from __future__ import annotations

import rules

from cases.models import Case
from cases.rules import is_named_in_case
from people.rules import is_head_of_hr, is_hr, is_investigator
from surveillance.models import SurveillanceRequest

surveillance_staff = is_hr | is_investigator


def _case_of(obj) -> Case | None:
    if isinstance(obj, SurveillanceRequest):
        return obj.case
    return obj if isinstance(obj, Case) else None


@rules.predicate
def handles_surveillance_for(user, obj) -> bool:
    """HR not named in the case, or the case's own investigating officer (holding that role)."""
    case = _case_of(obj)
    if case is None or is_named_in_case(user, case):
        return False
    return is_hr(user) or (is_investigator(user) and case.investigating_officer_id == user.pk)


@rules.predicate
def case_is_active(user, obj) -> bool:
    case = _case_of(obj)
    return case is not None and case.status in Case.ACTIVE_STATES


@rules.predicate
def is_requester_of(user, obj) -> bool:
    return isinstance(obj, SurveillanceRequest) and obj.requested_by_id == user.pk


rules.add_perm("surveillance.surveillance_register", surveillance_staff)
rules.add_perm("surveillance.surveillance_oversight", is_head_of_hr)
rules.add_perm("surveillance.request_surveillance", handles_surveillance_for & case_is_active)
rules.add_perm("surveillance.view_surveillance", handles_surveillance_for)
rules.add_perm("surveillance.run_surveillance", handles_surveillance_for)
rules.add_perm("surveillance.edit_surveillance", handles_surveillance_for & is_requester_of)
rules.add_perm("surveillance.decide_surveillance", is_head_of_hr & handles_surveillance_for & ~is_requester_of)
