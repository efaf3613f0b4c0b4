"""Access withdrawal (4.3), its review reminders and the block lists for the network team."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from monitoring.models import AccessWithdrawal, NetworkIdentity, Site
from monitoring.services import withdrawal_create, withdrawal_lift, withdrawal_review_reminders_send
from people.models import Notification, Organisation
from tests.clock import Days, dated, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def facebook(db):
    return Site.objects.get(name="Facebook")


def test_hr_withdraw_access_and_the_employee_is_told(demo_user, facebook):
    employee = demo_user("employee")
    w = withdrawal_create(
        actor=demo_user("hr"),
        site=facebook,
        employee=employee,
        reason="Used during lessons.",
        review_date=today() + dt.timedelta(days=30),
        reference="INC-1",
    )
    assert w.status == AccessWithdrawal.Status.ACTIVE
    assert Notification.objects.filter(recipient=employee, subject__contains="withdrawn").exists()
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdrawal_create(
            actor=demo_user("hr"),
            site=facebook,
            employee=employee,
            reason="Used during lessons.",
            review_date=today() + dt.timedelta(days=30),
        )
    lifted = withdrawal_lift(actor=demo_user("headofhr"), withdrawal=w, reason="Reviewed: use is now in breaks.")
    assert lifted.status == AccessWithdrawal.Status.LIFTED
    with pytest.raises(ValidationError, match="already been lifted"):
        withdrawal_lift(actor=demo_user("hr"), withdrawal=w, reason="again")


def test_only_hr_withdraw_access(demo_user, facebook):
    with pytest.raises(PermissionDenied):
        withdrawal_create(
            actor=demo_user("manager"),
            site=facebook,
            employee=demo_user("employee"),
            reason="Used during lessons.",
            review_date=today() + dt.timedelta(days=30),
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"review_date": Days(0)}, "review_date"),
        ({"review_date": Days(800)}, "review_date"),
        ({"reason": "bad"}, "reason"),
        ({"employee": None}, "employee"),
    ],
)
def test_a_withdrawal_needs_a_subject_a_reason_and_a_future_review(demo_user, facebook, kwargs, field):
    data = {
        "employee": demo_user("employee"),
        "reason": "Used during lessons.",
        "review_date": today() + dt.timedelta(days=9),
    }
    data.update(dated(kwargs))
    with pytest.raises(ValidationError) as exc:
        withdrawal_create(actor=demo_user("hr"), site=facebook, **data)
    assert field in exc.value.message_dict


def test_review_reminders_go_once(demo_user, facebook):
    w = withdrawal_create(
        actor=demo_user("hr"),
        site=facebook,
        employee=demo_user("employee"),
        reason="Used during lessons.",
        review_date=today() + dt.timedelta(days=5),
    )
    assert withdrawal_review_reminders_send(today=today()) == 0
    assert withdrawal_review_reminders_send(today=today() + dt.timedelta(days=5)) >= 1
    assert withdrawal_review_reminders_send(today=today() + dt.timedelta(days=6)) == 0
    assert AccessWithdrawal.objects.filter(pk=w.pk, reminded_at__isnull=False).exists()


def test_block_lists_name_the_sites_users_and_addresses(client_for, demo_user, facebook):
    employee = demo_user("employee")
    NetworkIdentity.objects.create(
        kind="username", value="employee-net", employee=employee, valid_from=timezone.now() - dt.timedelta(days=1)
    )
    withdrawal_create(
        actor=demo_user("hr"),
        site=facebook,
        employee=employee,
        reason="Used during lessons.",
        review_date=today() + dt.timedelta(days=30),
    )
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    withdrawal_create(
        actor=demo_user("hr"),
        site=Site.objects.get(name="Reddit"),
        organisation=oakfield,
        reason="Misuse by several staff.",
        review_date=today() + dt.timedelta(days=30),
    )
    c = client_for("hr")
    squid = c.get("/monitoring/withdrawals/block-list/squid/")
    assert squid["Content-Disposition"].startswith("attachment;")
    text = squid.content.decode()
    assert "dstdomain .facebook.com .fb.com" in text
    assert "employee-net" in text
    assert "src 10.10.0.0/16 10.11.0.0/16" in text
    assert "http_access deny" in text
    forti = c.get("/monitoring/withdrawals/block-list/fortigate/").content.decode()
    assert 'set url "*.facebook.com"' in forti and forti.rstrip().endswith("end")
    csv_text = c.get("/monitoring/withdrawals/block-list/csv/").content.decode()
    assert "facebook.com" in csv_text and "reddit.com" in csv_text
    assert c.get("/monitoring/withdrawals/block-list/excel/").status_code == 404


def test_employees_see_only_the_withdrawals_that_apply_to_them(client_for, demo_user):
    seeded = AccessWithdrawal.objects.get(reference="INC-2026-014")
    target = seeded.employee
    from django.test import Client

    own = Client()
    own.force_login(target)
    assert b"TikTok" in own.get("/monitoring/my/").content
    assert b"TikTok" not in client_for("employee").get("/monitoring/my/").content


def test_the_withdrawal_form_refuses_bad_input(client_for, demo_user):
    response = client_for("hr").post(
        "/monitoring/withdrawals/new/",
        {
            "site": "99999",
            "employee": demo_user("employee").pk,
            "organisation": Organisation.objects.first().pk,
            "reason": "",
            "review_date": "31/02/2027",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"site", "reason", "review_date"}


def test_the_nightly_task_sends_due_reminders(demo_user, facebook):
    from monitoring.tasks import send_withdrawal_review_reminders

    withdrawal_create(
        actor=demo_user("hr"),
        site=facebook,
        employee=demo_user("manager"),
        reason="Used during lessons.",
        review_date=today() + dt.timedelta(days=1),
    )
    AccessWithdrawal.objects.filter(employee=demo_user("manager")).update(review_date=today())
    assert send_withdrawal_review_reminders() == 1
    assert Notification.objects.filter(recipient=demo_user("headofhr"), subject__startswith="Review due").exists()
    assert send_withdrawal_review_reminders() == 0
