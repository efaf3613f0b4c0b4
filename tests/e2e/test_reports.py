"""In the browser: every role's "Waiting for you" panel from the demo data, an HR report's chart and CSV,
and the HR search box."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Demo user -> an item that must be waiting for them.
WAITING = {
    "employee": "Read and acknowledge",
    "manager": "Posts waiting for your check",
    "headteacher": "Campaigns waiting for your decision",
    "bizmanager": "Requests for your advice on posts",
    "hr": "Concerns to triage",
    "headofhr": "Concerns to triage",
    "investigator": "Cases you are investigating",
    "comms": "Contributors to train",
    "admin": "Notification emails not yet sent",
}


@pytest.mark.parametrize("username", list(WAITING))
def test_each_role_sees_what_is_waiting_for_them_and_every_panel_has_content(page, username):
    if username == "admin":
        # Whether the demo's own emails are still queued depends on what ran before; one queued email is ours.
        from people.models import Notification, User

        Notification.objects.create(
            recipient=User.objects.get(username="hr"), subject="A queued email", body="Queued for the mail worker."
        )
    login(page, username)
    waiting = page.get_by_test_id("waiting-for-you")
    expect(waiting).to_be_visible()
    item = waiting.locator("li").filter(has_text=WAITING[username]).first
    expect(item).to_be_visible()
    expect(item.locator(".badge")).to_have_text(__import__("re").compile(r"^[1-9]\d*$"))
    href = item.locator("a").get_attribute("href")
    assert href and href.startswith("/")
    for body in page.locator(".panel-card .card-body").all():
        assert body.inner_text().strip(), "a dashboard panel is empty"
    screenshot(page, f"reports-waiting-{username}")
    # The link leads somewhere the person may go.
    item.locator("a").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1").first).to_be_visible()
    assert "403" not in page.title() and "404" not in page.title()


def test_hr_report_draws_its_chart_and_downloads_its_csv(page):
    login(page, "hr")
    page.get_by_role("button", name="Oversight").click()
    page.get_by_role("link", name="HR reports").click()
    page.get_by_role("link", name="Incidents per month by category").click()
    canvas = page.locator("canvas#report-chart")
    expect(canvas).to_have_attribute("data-drawn", "true")
    painted = canvas.evaluate(
        """(c) => {
            const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
            return {n, width: c.width, height: c.height};
        }"""
    )
    assert painted["width"] > 100 and painted["height"] > 100
    assert painted["n"] > 1000, f"the chart canvas is blank: {painted}"
    expect(page.get_by_test_id("report-table")).to_contain_text("Breaching confidentiality")
    screenshot(page, "reports-incidents-by-category")

    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("incidents-by-category-")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0][0] == "Month" and rows[0][-1] == "All categories"
    assert rows[-1][0] == "Total" and int(rows[-1][-1]) >= 1

    # Narrowing to one school keeps the chart and the downloads in step.
    page.get_by_label("School").select_option(label="Kennet Valley Academy")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("report-scope")).to_contain_text("Kennet Valley Academy")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert "school=" in page.get_by_test_id("download-csv").get_attribute("href")


def test_hr_searches_from_the_navigation_bar(page):
    login(page, "hr")
    page.get_by_test_id("nav-search-toggle").click()
    box = page.get_by_test_id("nav-search")
    box.fill("video mocking")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("results-reports")).to_contain_text("mocking a colleague")
    expect(page.get_by_test_id("results-cases")).to_be_visible()
    screenshot(page, "reports-search")


def test_an_employee_has_no_search_box(page):
    login(page, "employee")
    expect(page.get_by_test_id("nav-search")).to_have_count(0)
    expect(page.get_by_test_id("nav-search-toggle")).to_have_count(0)
