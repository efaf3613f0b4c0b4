"""Browser journeys for monitoring: HR import a log and read its report, then follow a check from request to
findings, withdraw access and download the block list."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _squid_log(tmp_path):
    """A Squid log of yesterday morning: the demo manager on social media for 40 minutes during lessons."""
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(9, 10), tz)
    lines = []
    for minute in range(40):
        moment = start + dt.timedelta(minutes=minute, seconds=7)
        lines.append(
            f"{moment.timestamp():.3f} 120 10.10.7.7 TCP_MISS/200 4000 GET https://www.reddit.com/r/teaching "
            f"manager HIER_DIRECT/151.101.1.140 text/html"
        )
        lines.append(
            f"{moment.timestamp() + 1:.3f} 80 10.10.7.7 TCP_MISS/200 900 GET https://www.gov.uk/ manager "
            "HIER_DIRECT/1.1.1.1 text/html"
        )
    lines.append("this line is not a log line")
    path = tmp_path / "oakfield-proxy-access.log"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_hr_import_a_squid_log_and_read_its_report(page, tmp_path):
    log = _squid_log(tmp_path)
    login(page, "hr")
    open_nav(page, "Monitoring")
    expect(page.get_by_test_id("usage-overview")).to_contain_text("Possible excessive use")
    screenshot(page, "monitoring-overview")
    page.get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import a log file").click()
    page.get_by_label("File").set_input_files(str(log))
    page.get_by_label("Squid access.log (native format)").check()
    page.get_by_role("button", name="Import").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("81")  # lines read
    expect(report).to_contain_text("40, into 40 usage records")
    expect(report).to_contain_text("40 not a social media site")
    expect(page.get_by_test_id("rejections")).to_contain_text("81'this' is not a Squid timestamp")
    screenshot(page, "monitoring-import-report")


def test_a_check_from_request_to_findings_then_access_withdrawn_and_block_list(page, tmp_path):
    # HR import the log that shows the manager's use during lessons.
    login(page, "hr")
    page.goto(f"{page.base_url}/monitoring/imports/new/")
    page.get_by_label("File").set_input_files(str(_squid_log(tmp_path)))
    page.get_by_label("Squid access.log (native format)").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("40, into 40 usage records")

    # HR open the manager's usage from the overview, then request a check.
    page.goto(f"{page.base_url}/monitoring/?q=Bennett")
    page.get_by_role("link", name="Sarah Bennett").click()
    expect(page.get_by_test_id("outside-breaks-total")).to_have_text("40")
    page.get_by_role("link", name="Request a check (4.1)").click()
    page.get_by_label("Suspected excessive non-work use of social media (4.1)").check()
    page.get_by_label("Justification").fill("Long stretches on Reddit during morning lessons, seen in the overview.")
    page.get_by_role("button", name="Send the request to HR").click()
    expect(page.get_by_test_id("check-status")).to_have_text("Requested")
    expect(page.get_by_role("button", name="Approve the check")).to_have_count(0)  # not their own request
    check_url = page.url
    screenshot(page, "monitoring-check-requested")

    # The Head of HR approves it and sees the use outside breaks.
    page.context.clear_cookies()
    login(page, "headofhr")
    page.goto(check_url)
    page.get_by_role("button", name="Approve the check").click()
    expect(page.get_by_test_id("check-status")).to_have_text("Approved")
    expect(page.get_by_test_id("outside-breaks-total")).to_have_text("40")
    expect(page.get_by_test_id("usage-days")).to_contain_text("Possible excessive use")
    screenshot(page, "monitoring-check-approved")
    page.get_by_role("link", name="Record findings").click()
    page.get_by_label("Findings").fill("40 minutes on Reddit during a lesson; no other use outside breaks.")
    page.get_by_role("button", name="Complete the check").click()
    expect(page.get_by_test_id("check-status")).to_have_text("Complete")
    expect(page.get_by_test_id("findings")).to_contain_text("40 minutes on Reddit")

    # Access to the site is withdrawn and the block list downloaded for the network team.
    page.get_by_role("link", name="Withdraw access to a site (4.3)").click()
    page.get_by_label("Site").select_option(label="Reddit")
    page.get_by_label("Misuse (4.3)").fill("Reddit used during lessons, see the completed check.")
    page.get_by_label("Incident or case reference").fill("CHECK-REDDIT")
    page.get_by_role("button", name="Withdraw access").click()
    expect(page.get_by_test_id("withdrawals")).to_contain_text("Sarah Bennett")
    screenshot(page, "monitoring-withdrawals")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Squid ACL").click()
    text = open(download_info.value.path()).read()
    assert "dstdomain .reddit.com" in text
    assert "proxy_auth manager" in text

    # The manager is told in the app, and sees the withdrawal on their own page.
    page.context.clear_cookies()
    login(page, "manager")
    page.goto(f"{page.base_url}/monitoring/my/")
    expect(page.get_by_test_id("my-withdrawals")).to_contain_text("Reddit")
    screenshot(page, "monitoring-my-data")
