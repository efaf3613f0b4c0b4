"""Who may run recruitment and see the search log (clause 6.1).

HR keeps vacancies and applicants and asks to search; HR and auditors (whoever may read the audit
trail) see every search and refusal.
"""

import rules

from people.rules import is_hr


@rules.predicate
def is_auditor(user) -> bool:
    return user.has_perm("audit.view_trail")


rules.add_perm("recruitment.manage_vacancies", is_hr)
rules.add_perm("recruitment.log_search", is_hr)
rules.add_perm("recruitment.view_search_log", is_hr | is_auditor)
