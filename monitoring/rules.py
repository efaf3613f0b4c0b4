"""Who may see and do what with monitoring (clauses 2, 4). Only HR sees usage data; a line manager sees
only the checks they asked for; employees see the withdrawals that apply to them and their own data."""

import rules

from people.rules import is_head_of_hr, is_hr, is_line_manager, is_self


@rules.predicate
def is_direct_manager_of(user, employee) -> bool:
    return getattr(employee, "line_manager_id", None) == user.pk


@rules.predicate
def is_check_requester(user, check) -> bool:
    return getattr(check, "requested_by_id", None) == user.pk


@rules.predicate
def is_check_subject(user, check) -> bool:
    return getattr(check, "employee_id", None) == user.pk


rules.add_perm("monitoring.run_monitoring", is_hr)
# HR reads other people's usage; their own they see like anyone else, on "My monitoring data".
rules.add_perm("monitoring.read_usage_of", is_hr & ~is_self)
rules.add_perm("monitoring.start_check", is_hr | is_line_manager)
rules.add_perm("monitoring.request_check_on", (is_hr | is_direct_manager_of) & ~is_self)
rules.add_perm("monitoring.open_check", (is_hr & ~is_check_subject) | is_check_requester)
# Nobody approves their own request, nor decides about a check of themselves.
rules.add_perm("monitoring.decide_check", is_hr & ~is_check_subject & ~is_check_requester)
rules.add_perm("monitoring.complete_check", is_hr & ~is_check_subject)
rules.add_perm("monitoring.see_own_monitoring", rules.is_authenticated)
# The menu entry for managers who are not HR (HR reach checks from the monitoring pages).
rules.add_perm("monitoring.manager_checks_nav", is_line_manager & ~is_hr)
# Clause 4.2: HR see what is kept and the purge receipts; only the Head of HR holds evidence past 12 months.
rules.add_perm("monitoring.see_retention", is_hr)
rules.add_perm("monitoring.hold_monitoring_data", is_head_of_hr)
