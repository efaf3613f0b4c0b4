"""Monitoring checks (4.1): requested with a valid reason, approved by HR, completed with findings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from monitoring.models import MonitoringCheck
from monitoring.services import check_approve, check_complete, check_decline, check_request, check_tell_employee
from people.models import Notification
from tests.clock import Days, dated, today

pytestmark = pytest.mark.django_db


def _request(actor, employee, **overrides):
    data = {
        "reason": MonitoringCheck.Reason.EXCESSIVE_USE,
        "justification": "Seen on Facebook during two lessons this week.",
        "period_start": today() - dt.timedelta(days=6),
        "period_end": today(),
    }
    data.update(overrides)
    return check_request(actor=actor, employee=employee, **data)


def test_a_line_manager_asks_hr_for_a_check_of_a_direct_report(demo_user):
    check = _request(
        demo_user("manager"),
        demo_user("employee"),
        period_start=today() - dt.timedelta(days=120),
        period_end=today() - dt.timedelta(days=110),
    )
    assert check.status == MonitoringCheck.Status.REQUESTED
    assert Notification.objects.filter(recipient=demo_user("hr"), url=check.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient=demo_user("employee"), url=check.get_absolute_url()).exists()


@pytest.mark.parametrize("requester", ["employee", "headteacher", "bizmanager", "investigator", "comms", "admin"])
def test_nobody_else_may_ask_for_a_check_of_the_employee(demo_user, requester):
    with pytest.raises(PermissionDenied):
        _request(demo_user(requester), demo_user("employee"))


def test_a_manager_cannot_ask_about_themselves(demo_user):
    with pytest.raises(PermissionDenied):
        _request(demo_user("hr"), demo_user("hr"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"justification": "because"}, "justification"),
        ({"period_end": Days(1)}, "period_end"),
        ({"period_start": Days(0), "period_end": Days(-1)}, "period_end"),
        ({"period_start": Days(-200)}, "period_end"),
        ({"period_start": Days(-400)}, "period_start"),
        ({"reason": "curiosity"}, "reason"),
    ],
)
def test_a_request_outside_the_rules_is_refused_with_a_reason(demo_user, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _request(demo_user("manager"), demo_user("employee"), **dated(overrides))
    assert field in exc.value.message_dict


def test_the_same_request_twice_is_refused(demo_user):
    _request(
        demo_user("manager"),
        demo_user("employee"),
        period_start=today() - dt.timedelta(days=40),
        period_end=today() - dt.timedelta(days=35),
    )
    with pytest.raises(ValidationError, match="already asked"):
        _request(
            demo_user("manager"),
            demo_user("employee"),
            period_start=today() - dt.timedelta(days=38),
            period_end=today() - dt.timedelta(days=36),
        )


def test_the_requester_cannot_approve_their_own_request(demo_user):
    check = _request(
        demo_user("hr"),
        demo_user("employee"),
        period_start=today() - dt.timedelta(days=50),
        period_end=today() - dt.timedelta(days=45),
    )
    with pytest.raises(PermissionDenied):
        check_approve(actor=demo_user("hr"), check=check)
    approved = check_approve(actor=demo_user("headofhr"), check=check)
    assert approved.status == MonitoringCheck.Status.APPROVED


def test_another_reason_needs_hr_to_say_why_they_accept_it(demo_user):
    check = _request(
        demo_user("manager"),
        demo_user("employee"),
        reason=MonitoringCheck.Reason.OTHER,
        period_start=today() - dt.timedelta(days=60),
        period_end=today() - dt.timedelta(days=55),
    )
    with pytest.raises(ValidationError, match="accepted under clause 4.1"):
        check_approve(actor=demo_user("hr"), check=check, note="  ")
    check = check_approve(actor=demo_user("hr"), check=check, note="A safeguarding concern was reported.")
    assert check.decision_note == "A safeguarding concern was reported."


def test_a_decided_check_cannot_be_decided_again(demo_user):
    check = _request(
        demo_user("manager"),
        demo_user("employee"),
        period_start=today() - dt.timedelta(days=70),
        period_end=today() - dt.timedelta(days=65),
    )
    check_decline(actor=demo_user("hr"), check=check, note="Nothing suggests excessive use.")
    with pytest.raises(ValidationError, match="already been declined"):
        check_approve(actor=demo_user("headofhr"), check=check)


def test_completing_tells_the_employee_unless_that_would_prejudice_an_investigation(demo_user):
    employee = demo_user("employee")
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee=employee)
    check_approve(actor=demo_user("hr"), check=check)
    with pytest.raises(ValidationError):
        check_complete(actor=demo_user("hr"), check=check, findings="")
    done = check_complete(actor=demo_user("hr"), check=check, findings="About 45 minutes a day outside breaks.")
    assert done.status == MonitoringCheck.Status.COMPLETE
    assert done.employee_told_at is not None
    assert Notification.objects.filter(recipient=employee, subject__contains="has been checked").exists()
    assert AuditEvent.objects.filter(action="monitoring_check.completed", object_id=str(check.pk)).exists()


def test_telling_the_employee_can_be_deferred_with_a_reason(demo_user):
    check = _request(
        demo_user("headofhr"),
        demo_user("employee"),
        reason=MonitoringCheck.Reason.POLICY_BREACH,
        period_start=today() - dt.timedelta(days=80),
        period_end=today() - dt.timedelta(days=75),
    )
    check_approve(actor=demo_user("hr"), check=check)
    done = check_complete(
        actor=demo_user("hr"),
        check=check,
        findings="Posts during lessons.",
        deferred_reason="Interviews pending.",
        case_reference="CASE-7",
    )
    assert done.employee_told_at is None
    assert not Notification.objects.filter(
        recipient=demo_user("employee"), subject__contains="has been checked"
    ).exists()
    told = check_tell_employee(actor=demo_user("headofhr"), check=check)
    assert told.employee_told_at is not None
    assert Notification.objects.filter(recipient=demo_user("employee"), subject__contains="has been checked").exists()
    with pytest.raises(ValidationError, match="already been told"):
        check_tell_employee(actor=demo_user("hr"), check=check)


def test_the_employee_never_sees_the_check_about_them(client_for):
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    assert client_for("employee").get(check.get_absolute_url()).status_code in (403, 404)
    assert client_for("employee").get("/monitoring/checks/").status_code == 403


def test_the_requesting_manager_sees_the_check_but_not_the_usage(client_for, demo_user):
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    check_approve(actor=demo_user("hr"), check=check)
    page = client_for("manager").get(check.get_absolute_url())
    assert page.status_code == 200
    assert not page.context.get("show_usage")
    hr_page = client_for("hr").get(check.get_absolute_url())
    assert hr_page.context["show_usage"]
    assert AuditEvent.objects.filter(action="monitoring.usage_viewed", actor_label="hr").exists()


def test_the_request_form_refuses_bad_and_forged_input(client_for, demo_user):
    c = client_for("manager")
    other = demo_user("bizmanager")  # not a direct report of the manager
    response = c.post(
        "/monitoring/checks/new/",
        {
            "employee": other.pk,
            "reason": "excessive_use",
            "justification": "<script>alert('x')</script>" + "a" * 5000,
            "period_start": "2026-13-40",
            "period_end": "yesterday",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"employee", "justification", "period_start", "period_end"}
    assert b"<script>alert" not in response.content
    assert not MonitoringCheck.objects.filter(employee=other).exists()


def test_a_double_submitted_request_makes_one_check(client_for, demo_user):
    c = client_for("manager")
    data = {
        "employee": demo_user("employee").pk,
        "reason": "policy_breach",
        "justification": "A parent reported posts made during lessons.",
        "period_start": (today() - dt.timedelta(days=100)).isoformat(),
        "period_end": (today() - dt.timedelta(days=90)).isoformat(),
    }
    assert c.post("/monitoring/checks/new/", data).status_code == 302
    second = c.post("/monitoring/checks/new/", data)
    assert second.status_code == 200
    assert b"already asked" in second.content
    assert MonitoringCheck.objects.filter(reason="policy_breach", requested_by__username="manager").count() == 1
