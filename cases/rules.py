"""Who may see and do what with reports and cases (issue: who sees what; DESIGN.md: deny by default).

A person named in a case never handles it; the subject sees their case only through the
employee-facing view; an appeal is heard by someone who has not handled the case before.
"""

import rules

from cases.models import Case, Evidence, IncidentReport
from people.rules import is_head_of_hr, is_headteacher, is_hr, is_investigator


def _involved(case: Case) -> set[int]:
    cached = getattr(case, "_involved_cache", None)
    if cached is None:
        cached = case._involved_cache = case.people_involved()
    return cached


@rules.predicate
def is_reporter_of(user, report) -> bool:
    return isinstance(report, IncidentReport) and report.reporter_id is not None and report.reporter_id == user.pk


@rules.predicate
def is_named_in_report(user, report) -> bool:
    return isinstance(report, IncidentReport) and user.pk in {report.reporter_id, report.subject_id}


@rules.predicate
def is_subject_of(user, case) -> bool:
    return isinstance(case, Case) and case.subject_id == user.pk


@rules.predicate
def is_investigator_on(user, case) -> bool:
    return isinstance(case, Case) and case.investigating_officer_id == user.pk


@rules.predicate
def is_named_in_case(user, case) -> bool:
    return isinstance(case, Case) and user.pk in _involved(case)


@rules.predicate
def has_handled_case(user, case) -> bool:
    return isinstance(case, Case) and user.pk in case.people_handling()


@rules.predicate
def may_handle_report(user, report) -> bool:
    if not isinstance(report, IncidentReport):
        return False
    if report.case_id:
        return not is_named_in_case(user, report.case)
    return not is_named_in_report(user, report)


@rules.predicate
def may_read_evidence(user, evidence) -> bool:
    if not isinstance(evidence, Evidence):
        return False
    case = evidence.owning_case
    if case is not None:
        return (is_hr(user) and not is_named_in_case(user, case)) or is_investigator_on(user, case)
    return is_hr(user) and not is_named_in_report(user, evidence.report)


hr_not_named = is_hr & ~is_named_in_case

rules.add_perm("cases.report_concern", rules.is_authenticated)
rules.add_perm("cases.view_own_items", rules.is_authenticated)
rules.add_perm("cases.follow_report", is_reporter_of)
rules.add_perm("cases.triage_queue", is_hr)
rules.add_perm("cases.triage_report", is_hr & may_handle_report)
rules.add_perm("cases.list_cases", is_hr | is_investigator)
rules.add_perm("cases.view_case", hr_not_named | is_investigator_on)
rules.add_perm("cases.manage_case", hr_not_named)
rules.add_perm("cases.investigate_case", is_investigator_on | hr_not_named)
rules.add_perm("cases.view_own_case", is_subject_of)
rules.add_perm("cases.view_outcome_letter", is_subject_of | hr_not_named)
rules.add_perm("cases.lodge_appeal", is_subject_of)
rules.add_perm("cases.decide_appeal", hr_not_named & ~has_handled_case)
rules.add_perm("cases.read_evidence", may_read_evidence)
rules.add_perm("cases.view_school_counts", is_headteacher)
rules.add_perm("cases.edit_letter_templates", is_head_of_hr)
