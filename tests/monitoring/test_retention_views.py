"""The retention page, the hold form and the missed-purge alert (clause 4.2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import PurgeReceipt, RetentionHold, UsageImport
from monitoring.retention import retention_overdue_alert, retention_purge
from people.models import Notification
from tests.monitoring.retention_data import open_case

pytestmark = pytest.mark.django_db

URL = "/monitoring/retention/"


@pytest.fixture
def case(demo_user):
    return open_case(demo_user("employee"), demo_user("hr"))


def _form(held_case, **overrides):
    today = timezone.localdate()
    data = {
        "case": held_case.pk,
        "monitoring_check": "",
        "period_start": (today - dt.timedelta(days=20)).isoformat(),
        "period_end": (today - dt.timedelta(days=10)).isoformat(),
        "reason": "The fortnight's usage is the evidence for the hearing in this case.",
        "ends_on": (today + dt.timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def test_hr_see_each_kind_with_its_limit_the_last_receipts_and_the_next_run(client_for):
    response = client_for("hr").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Usage records", "Daily analyses", "Import reports", "Monitoring checks", "Imported log files"):
        assert title in page
    assert page.count("12 months") >= 5
    assert "Not kept" in page  # uploaded log files are streamed, never stored
    assert "Next purge: <strong>" in page and "02:00</strong>" in page
    assert 'data-testid="retention-receipts"' in page  # the demo's first purge
    assert "A purge has been missed" not in page
    assert "Hold evidence for a case" not in page  # the Head of HR's action only


def test_the_page_stays_within_its_queries_however_many_receipts_and_holds(
    client_for, case, demo_user, django_assert_max_num_queries
):
    client = client_for("headofhr")
    client.get(URL)
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200
    today = timezone.localdate()
    for n in range(15):
        PurgeReceipt.objects.create(
            run_date=today, cutoff=timezone.now(), outcome="completed", finished_at=timezone.now()
        )
        RetentionHold.objects.create(
            case=case,
            employee=case.subject,
            period_start=today - dt.timedelta(days=n + 1),
            period_end=today,
            reason="Evidence.",
            ends_on=today + dt.timedelta(days=5),
            created_by=demo_user("headofhr"),
        )
    with django_assert_max_num_queries(40):
        page = client.get(URL).content.decode()
    assert page.count("Release<span") == 16  # the demo hold and fifteen more


def test_a_missed_purge_shows_in_red_and_emails_hr_once_a_day(client_for):
    UsageImport.objects.create(
        file_name="forgotten.log", format="squid", created_at=timezone.now() - dt.timedelta(days=400)
    )
    page = client_for("hr").get(URL).content.decode()
    assert 'data-testid="retention-overdue"' in page and "table-danger" in page
    assert "import reports" in page.split('data-testid="retention-overdue"')[1].split("</div>")[0]

    before = Notification.objects.filter(subject__contains="past its limit").count()
    assert retention_overdue_alert() is True
    sent = Notification.objects.filter(subject__contains="past its limit")
    recipients = {n.recipient.username for n in sent}
    assert {"hr", "headofhr"} <= recipients and "employee" not in recipients
    assert "forgotten" not in sent.first().body and "Import reports" in sent.first().body
    assert retention_overdue_alert() is False  # not twice in a day
    assert sent.count() - before == len(recipients)
    # The next purge removes it, and the page is calm again.
    retention_purge()
    assert "A purge has been missed" not in client_for("hr").get(URL).content.decode()


def test_nothing_is_sent_when_nothing_is_late():
    assert retention_overdue_alert() is False


def test_the_head_of_hr_holds_evidence_of_an_open_case(client_for, case):
    client = client_for("headofhr")
    assert client.get(reverse("monitoring:hold_create")).status_code == 200
    response = client.post(reverse("monitoring:hold_create"), _form(case))
    assert response.status_code == 302
    hold = RetentionHold.objects.get(case=case)
    assert hold.employee == case.subject and hold.created_by.username == "headofhr"
    page = client.get(URL).content.decode()
    assert case.reference in page and "In force" in page
    # Submitting the same form twice does not make two holds.
    again = client.post(reverse("monitoring:hold_create"), _form(case))
    assert again.status_code == 200 and "already held" in again.content.decode()
    assert RetentionHold.objects.filter(case=case).count() == 1
    # Released, it no longer keeps anything.
    assert client.post(reverse("monitoring:hold_release", args=[hold.pk])).status_code == 302
    hold.refresh_from_db()
    assert hold.released_at is not None


@pytest.mark.parametrize(
    "overrides, field_text",
    [
        ({"period_end": "31/02/2026"}, "Enter a valid date"),
        ({"ends_on": "2020-01-01"}, "must be in the future"),
        ({"reason": "short"}, "Say in a sentence or two"),
        ({"reason": "x" * 2001}, "at most 2000 characters"),
        ({"case": "999999"}, "Select a valid choice"),
        ({"monitoring_check": "999999"}, "Select a valid choice"),
    ],
)
def test_the_hold_form_refuses_bad_input_beside_the_field(client_for, case, overrides, field_text):
    response = client_for("headofhr").post(reverse("monitoring:hold_create"), _form(case, **overrides))
    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert not RetentionHold.objects.filter(case=case).exists()


def test_a_script_in_the_reason_is_shown_as_text(client_for, case):
    reason = "<script>alert('x')</script> The usage is the evidence for the hearing in this case."
    client = client_for("headofhr")
    client.post(reverse("monitoring:hold_create"), _form(case, reason=reason))
    page = client.get(URL).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_closed_case_cannot_be_chosen(client_for, case):
    type(case).objects.filter(pk=case.pk).update(status="closed")
    response = client_for("headofhr").post(reverse("monitoring:hold_create"), _form(case))
    assert "Select a valid choice" in response.content.decode()


def test_an_hr_officer_may_see_but_not_hold(client_for, case):
    client = client_for("hr")
    assert client.get(reverse("monitoring:hold_create")).status_code == 403
    assert client.post(reverse("monitoring:hold_create"), _form(case)).status_code == 403
    assert not RetentionHold.objects.filter(case=case).exists()


def test_an_employee_is_refused_the_page(client_for):
    assert client_for("employee").get(URL).status_code == 403


def test_a_receipt_lists_what_it_removed_and_every_hold(client_for, case, demo_user):
    client_for("headofhr").post(reverse("monitoring:hold_create"), _form(case))
    receipt = retention_purge()
    page = client_for("hr").get(reverse("monitoring:retention_receipt", args=[receipt.pk])).content.decode()
    assert 'data-testid="receipt-kinds"' in page and "Usage records" in page
    assert case.reference in page.split('data-testid="receipt-holds"')[1]


def test_an_employee_reads_how_long_each_kind_about_them_is_kept(client_for):
    client = client_for("employee")
    page = client.get(reverse("monitoring:my_monitoring")).content.decode()
    table = page.split('data-testid="my-retention"')[1].split("</table>")[0]
    assert "Usage records" in table and "12 months" in table and "Not kept" in table
    data = client.get(reverse("people:my_data")).content.decode()
    assert "How long monitoring information about you is kept (clause 4.2)" in data
