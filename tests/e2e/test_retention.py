"""Browser journey for clause 4.2: the Head of HR holds a case's evidence, the purge runs, and HR read the
retention page, its receipt and, when a purge is missed, the warning in red."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.models import PurgeReceipt, UsageImport
from monitoring.retention import retention_purge
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_head_of_hr_holds_evidence_and_hr_read_the_receipts(page):
    login(page, "headofhr")
    page.goto(f"{page.base_url}/monitoring/")
    page.get_by_role("link", name="Retention (4.2)").click()
    expect(page.get_by_test_id("retention-kinds")).to_contain_text("Usage records")
    expect(page.get_by_test_id("retention-kinds")).to_contain_text("12 months")
    expect(page.get_by_test_id("retention-next-run")).to_contain_text("02:00")
    page.get_by_role("link", name="Hold evidence for a case").click()
    page.locator("main select[name=case]").select_option(index=1)
    today = timezone.localdate()
    page.get_by_label("Hold the employee's data from").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Hold the employee's data to").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Reason").fill("Short.")
    page.get_by_role("button", name="Hold").click()
    expect(page.get_by_text("Say in a sentence or two why this evidence")).to_be_visible()  # beside the field
    page.get_by_label("Reason").fill("The month's social media use is the evidence for the hearing in this case.")
    page.get_by_role("button", name="Hold").click()
    expect(page.get_by_test_id("retention-holds")).to_contain_text("The month's social media use")
    screenshot(page, "retention-page")

    receipt = retention_purge(trigger=PurgeReceipt.Trigger.SCHEDULE)
    page.reload()
    page.get_by_test_id("retention-receipts").get_by_role("link").first.click()
    expect(page.get_by_test_id("receipt")).to_contain_text("Completed")
    expect(page.get_by_test_id("receipt-holds")).to_contain_text("The month's social media use")
    assert str(receipt.pk) in page.url
    screenshot(page, "retention-receipt")


def test_hr_see_a_missed_purge_in_red(page):
    UsageImport.objects.create(
        file_name="forgotten.log", format="squid", created_at=timezone.now() - dt.timedelta(days=400)
    )
    login(page, "hr")
    page.goto(f"{page.base_url}/monitoring/retention/")
    warning = page.get_by_test_id("retention-overdue")
    expect(warning).to_contain_text("A purge has been missed")
    expect(warning).to_have_class("alert alert-danger")
    expect(page.get_by_role("button", name="Release")).to_have_count(0)  # holds are the Head of HR's
    screenshot(page, "retention-overdue")
