"""Managing one employee from the employee page (issue 17, item 5): roles, line manager, leaver; each with a
reason, audited; refused without a reason or when it would break the rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from people.directory import employment
from people.models import Notification, Organisation, Role, RoleAssignment, User
from tests.clock import today

pytestmark = pytest.mark.django_db


def test_granting_and_removing_a_role_is_audited_with_the_reason(demo_user):
    head, employee = demo_user("headofhr"), demo_user("employee")
    council = Organisation.objects.get(kind="council")

    assignment = employment.role_assignment_grant(
        actor=head, employee=employee, role=Role.INVESTIGATOR, organisation=council, reason="Trained in March"
    )

    event = AuditEvent.objects.get(action="role.granted", object_id=str(employee.pk))
    assert event.details["reason"] == "Trained in March" and event.details["role"] == "investigator"
    employment.role_assignment_remove(actor=head, assignment=assignment, reason="Back to teaching")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert (
        AuditEvent.objects.get(action="role.removed", object_id=str(employee.pk)).details["reason"]
        == "Back to teaching"
    )


def test_a_school_role_at_the_council_and_a_missing_reason_are_refused(demo_user):
    head, employee = demo_user("headofhr"), demo_user("employee")
    council = Organisation.objects.get(kind="council")

    with pytest.raises(ValidationError, match="belongs to a school"):
        employment.role_assignment_grant(
            actor=head, employee=employee, role=Role.HEADTEACHER, organisation=council, reason="x"
        )
    with pytest.raises(ValidationError, match="reason"):
        employment.role_assignment_grant(
            actor=head, employee=employee, role=Role.INVESTIGATOR, organisation=council, reason="  "
        )


def test_only_the_head_of_hr_and_the_system_administrator_manage_people(demo_user):
    council = Organisation.objects.get(kind="council")
    for username in ("hr", "headteacher", "manager"):
        with pytest.raises(PermissionDenied):
            employment.role_assignment_grant(
                actor=demo_user(username),
                employee=demo_user("employee"),
                role=Role.INVESTIGATOR,
                organisation=council,
                reason="x",
            )
    employment.role_assignment_grant(
        actor=demo_user("admin"),
        employee=demo_user("employee"),
        role=Role.INVESTIGATOR,
        organisation=council,
        reason="x",
    )


def test_changing_the_line_manager_refuses_a_loop_and_audits_old_and_new(demo_user):
    head, employee, manager = demo_user("headofhr"), demo_user("employee"), demo_user("manager")

    with pytest.raises(ValidationError, match="loop"):
        employment.employee_line_manager_change(actor=head, employee=manager, line_manager=employee, reason="x")
    employment.employee_line_manager_change(
        actor=head, employee=employee, line_manager=demo_user("headteacher"), reason="Deputy on secondment"
    )

    employee.refresh_from_db()
    assert employee.line_manager == demo_user("headteacher")
    event = AuditEvent.objects.get(action="employee.line_manager_changed", object_id=str(employee.pk))
    assert event.details["old"].startswith("Sarah Bennett") and event.details["new"].startswith("Helen Ashworth")


def test_marking_a_leaver_closes_the_account_keeps_the_record_and_tells_hr(demo_user, client):
    head, manager = demo_user("headofhr"), demo_user("manager")

    employment.employee_leave(actor=head, employee=manager, leave_date=today(), reason="Resigned")

    manager.refresh_from_db()
    assert not manager.is_active and manager.employment_status == User.EmploymentStatus.LEFT
    assert manager.leave_date == today()
    assert User.objects.filter(pk=manager.pk).exists()
    note = Notification.objects.get(recipient=demo_user("hr"), subject__contains="has left")
    assert "Direct report: James Wilson needs a new line manager." in note.body
    with pytest.raises(ValidationError, match="already"):
        employment.employee_leave(actor=head, employee=manager, leave_date=today(), reason="Resigned")


def test_a_leave_date_in_the_future_or_leaving_oneself_is_refused(demo_user):
    head = demo_user("headofhr")
    with pytest.raises(ValidationError, match="future"):
        employment.employee_leave(
            actor=head, employee=demo_user("employee"), leave_date=today() + dt.timedelta(days=1), reason="x"
        )
    with pytest.raises(ValidationError, match="yourself"):
        employment.employee_leave(actor=head, employee=head, leave_date=today(), reason="x")


def test_the_employee_page_offers_the_actions_and_the_forms_answer_beside_the_fields(client_for, demo_user):
    client = client_for("headofhr")
    employee = demo_user("employee")

    page = client.get(reverse("people:employee_detail", args=[employee.pk])).content.decode()
    assert 'data-testid="employee-manage"' in page and "Mark as a leaver" in page
    assert (
        'data-testid="employee-manage"'
        not in client_for("hr").get(reverse("people:employee_detail", args=[employee.pk])).content.decode()
    )

    bad = client.post(reverse("people:line_manager_change", args=[employee.pk]), {"line_manager_number": "NOPE"})
    assert bad.status_code == 200
    assert "No employee has the number NOPE." in bad.content.decode()
    assert "This field is required." in bad.content.decode()  # the reason

    leave = client.get(reverse("people:employee_leave", args=[employee.pk])).content.decode()
    assert "None: nothing waits for them." in leave
    future = client.post(
        reverse("people:employee_leave", args=[employee.pk]),
        {"leave_date": (today() + dt.timedelta(days=3)).isoformat(), "reason": "Resigned"},
    )
    assert "cannot be in the future" in future.content.decode()
    done = client.post(
        reverse("people:employee_leave", args=[employee.pk]),
        {"leave_date": today().isoformat(), "reason": "Resigned"},
        follow=True,
    )
    assert "recorded as a leaver" in done.content.decode()
    employee.refresh_from_db()
    assert not employee.is_active
