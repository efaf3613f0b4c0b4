"""Who may do what with people and organisations; every view declares one of these permissions.

Other apps build their predicates from the ones here (is_hr, is_head_of_hr, ...).
"""

import rules

from people.models import Organisation, Role, User
from people.selectors import has_role
from people.selectors import is_line_manager as _is_line_manager


@rules.predicate
def is_hr(user) -> bool:
    return has_role(user, Role.HR_OFFICER) or has_role(user, Role.HEAD_OF_HR)


@rules.predicate
def is_head_of_hr(user) -> bool:
    return has_role(user, Role.HEAD_OF_HR)


@rules.predicate
def is_headteacher(user) -> bool:
    return has_role(user, Role.HEADTEACHER)


@rules.predicate
def is_business_manager(user) -> bool:
    return has_role(user, Role.BUSINESS_MANAGER)


@rules.predicate
def is_investigator(user) -> bool:
    return has_role(user, Role.INVESTIGATOR)


@rules.predicate
def is_communications(user) -> bool:
    return has_role(user, Role.COMMUNICATIONS)


@rules.predicate
def is_line_manager(user) -> bool:
    return _is_line_manager(user)


@rules.predicate
def is_self(user, employee) -> bool:
    return isinstance(employee, User) and employee.pk == user.pk


@rules.predicate
def is_line_manager_of(user, employee) -> bool:
    """True if the user is anywhere above the employee in the line-management chain."""
    if not isinstance(employee, User):
        return False
    return any(manager.pk == user.pk for manager in employee.managers_chain())


def _organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


@rules.predicate
def is_headteacher_of(user, obj) -> bool:
    org = _organisation_of(obj)
    return org is not None and has_role(user, Role.HEADTEACHER, org.pk)


@rules.predicate
def is_business_manager_of(user, obj) -> bool:
    org = _organisation_of(obj)
    return org is not None and has_role(user, Role.BUSINESS_MANAGER, org.pk)


is_school_leader_of = is_headteacher_of | is_business_manager_of

rules.add_perm("people.view_dashboard", rules.is_authenticated)
rules.add_perm("people.view_policy", rules.is_authenticated)
rules.add_perm("people.view_team", is_line_manager)
rules.add_perm("people.list_employees", is_hr)
rules.add_perm("people.view_employee", is_self | is_line_manager_of | is_hr | is_school_leader_of)
rules.add_perm("people.record_overtime", is_line_manager_of | is_hr)
rules.add_perm("people.open_organisation", is_hr | is_school_leader_of | is_communications)
rules.add_perm("people.manage_rest_breaks", is_hr | is_business_manager_of | is_headteacher_of)
rules.add_perm("people.publish_policy", is_head_of_hr)
rules.add_perm("people.export_subject_data", is_self | is_hr)
rules.add_perm("people.manage_subject_access", is_hr)

# The staff directory (issue 17): the Head of HR and the system administrator bring it in and keep it in step.
is_system_administrator = rules.is_superuser
rules.add_perm("people.import_staff", is_head_of_hr | is_system_administrator)
rules.add_perm("people.manage_employee", is_head_of_hr | is_system_administrator)
