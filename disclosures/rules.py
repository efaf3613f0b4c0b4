"""Who may see and act on declared accounts and politically restricted posts (clause 5).

A declared account is private to its owner and HR: line managers and headteachers do not see it.
"""

import rules

from people.rules import is_hr


@rules.predicate
def is_owner(user, disclosure) -> bool:
    return disclosure is not None and getattr(disclosure, "employee_id", None) == user.pk


@rules.predicate
def holds_restricted_post(user) -> bool:
    return bool(getattr(user, "politically_restricted", False))


rules.add_perm("disclosures.declare_account", rules.is_authenticated)
rules.add_perm("disclosures.open_account", is_owner | is_hr)
rules.add_perm("disclosures.edit_account", is_owner)
rules.add_perm("disclosures.reconfirm_accounts", rules.is_authenticated)
rules.add_perm("disclosures.review_accounts", is_hr)
rules.add_perm("disclosures.follow_up_account", is_hr)
rules.add_perm("disclosures.manage_wordings", is_hr)
rules.add_perm("disclosures.manage_restricted_posts", is_hr)
rules.add_perm("disclosures.acknowledge_restriction", holds_restricted_post)
