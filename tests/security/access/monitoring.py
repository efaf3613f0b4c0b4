import datetime as dt

from django.utils import timezone

from monitoring.models import AccessWithdrawal, MonitoringCheck, Site, UsageImport
from monitoring.services import check_approve
from people.models import Organisation, User
from tests.security.matrix import HR, STAFF, Case, s

MANAGERS = s("manager", "headteacher") | HR  # everyone with direct reports in the demo world


def _user(username):
    return lambda: {"pk": User.objects.get(username=username).pk}


def _other_school_employee():
    other = Organisation.objects.get(name="Kennet Valley Academy")
    return {"pk": User.objects.filter(organisation=other, role_assignments__isnull=True).first().pk}


def _seeded_check():
    return {"pk": MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee").pk}


def _check_about_hr_officer():
    """Asked for by the Head of HR about the HR officer: the officer must not see or decide it."""
    today = timezone.localdate()
    check = MonitoringCheck.objects.create(
        employee=User.objects.get(username="hr"),
        requested_by=User.objects.get(username="headofhr"),
        reason="policy_breach",
        justification="A concern raised about posts made during work time.",
        period_start=today - dt.timedelta(days=7),
        period_end=today,
    )
    return {"pk": check.pk}


def _approved_check():
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    check_approve(actor=User.objects.get(username="hr"), check=check, note="")
    return {"pk": check.pk}


def _completed_deferred_check():
    from monitoring.services import check_complete

    kwargs = _approved_check()
    check = MonitoringCheck.objects.get(pk=kwargs["pk"])
    check_complete(
        actor=User.objects.get(username="hr"), check=check, findings="Use outside breaks.", deferred_reason="Pending."
    )
    return kwargs


def _site():
    return {"pk": Site.objects.get(name="Facebook").pk}


def _import():
    return {"pk": UsageImport.objects.order_by("pk").first().pk}


def _withdrawal():
    return {"pk": AccessWithdrawal.objects.filter(status="active").first().pk}


ROUTES = {
    "monitoring:overview": [Case(get_ok=HR)],
    "monitoring:employee_usage": [
        Case("a teacher at Oakfield", _user("employee"), get_ok=HR),
        Case("staff of another school", _other_school_employee, get_ok=HR),
        Case("the HR officer's own usage", _user("hr"), get_ok=s("headofhr")),
    ],
    "monitoring:site_list": [Case(get_ok=HR)],
    "monitoring:site_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:site_update": [Case(kwargs=_site, get_ok=HR, post_ok=HR)],
    "monitoring:identity_list": [Case(get_ok=HR)],
    "monitoring:identity_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:address_range_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:mapping_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:import_list": [Case(get_ok=HR)],
    "monitoring:import_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:import_detail": [Case(kwargs=_import, get_ok=HR)],
    "monitoring:check_list": [Case(get_ok=MANAGERS)],
    "monitoring:check_create": [Case(get_ok=MANAGERS, post_ok=MANAGERS)],
    "monitoring:check_detail": [
        Case("asked by the employee's manager", _seeded_check, get_ok=HR | s("manager")),
        Case("about the HR officer", _check_about_hr_officer, get_ok=s("headofhr")),
    ],
    "monitoring:check_approve": [
        Case("asked by the employee's manager", _seeded_check, get_ok=STAFF, get_status=405, post_ok=HR),
        Case(
            "about the HR officer, asked by the Head of HR",
            _check_about_hr_officer,
            get_ok=STAFF,
            get_status=405,
            post_ok=frozenset(),
        ),
    ],
    "monitoring:check_decline": [
        Case("asked by the employee's manager", _seeded_check, get_ok=STAFF, get_status=405, post_ok=HR),
    ],
    "monitoring:check_complete": [
        Case("an approved check", _approved_check, get_ok=HR, post_ok=HR),
        Case("a check still awaiting approval", _seeded_check, get_ok=HR, get_status=302, post_ok=HR),
    ],
    "monitoring:check_tell_employee": [
        Case(
            "a completed check with notice deferred",
            _completed_deferred_check,
            get_ok=STAFF,
            get_status=405,
            post_ok=HR,
        ),
    ],
    "monitoring:check_raise_concern": [
        Case("a completed check", _completed_deferred_check, get_ok=STAFF, get_status=405, post_ok=HR),
        Case("a check still awaiting approval", _seeded_check, get_ok=STAFF, get_status=405, post_ok=HR),
    ],
    "monitoring:withdrawal_list": [Case(get_ok=HR)],
    "monitoring:withdrawal_create": [Case(get_ok=HR, post_ok=HR)],
    "monitoring:withdrawal_lift": [Case(kwargs=_withdrawal, get_ok=HR, post_ok=HR)],
    "monitoring:blocklist": [
        Case("CSV", {"kind": "csv"}, get_ok=HR),
        Case("Squid", {"kind": "squid"}, get_ok=HR),
        Case("FortiGate", {"kind": "fortigate"}, get_ok=HR),
    ],
    "monitoring:my_monitoring": [Case(get_ok=STAFF)],
}
