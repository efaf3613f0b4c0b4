"""Each demo user signs in and lands on a dashboard that is clearly theirs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# user name -> text that only their dashboard shows
EXPECTED = {
    "employee": ["You and the policy", "Action needed", "Year 4 Class Teacher"],
    "manager": ["Your team", "direct report"],
    "headteacher": ["Your school", "Oakfield Primary School"],
    "bizmanager": ["Your school", "School Business Manager"],
    "hr": ["Policy acknowledgement across the council", "HR Officer"],
    "headofhr": ["Policy acknowledgement across the council", "Head of HR and Organisational Development"],
    "investigator": ["Investigating officer"],
    "comms": ["Policy acknowledgement across the council", "Communications team"],
    "admin": ["System status", "Administration"],
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_demo_user_signs_in_and_sees_their_own_dashboard(page, username):
    login(page, username)
    expect(page.locator("h1")).to_contain_text("Good")
    for text in EXPECTED[username]:
        expect(page.locator("main")).to_contain_text(text)
    screenshot(page, f"dashboard-{username}")


def test_a_wrong_password_is_refused_with_a_clear_message(page):
    login(page, "employee", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    screenshot(page, "login-wrong-password")


def test_employee_acknowledges_the_policy_and_the_reminder_goes(page):
    login(page, "employee")
    expect(page.get_by_role("status").first).to_contain_text("Please read and acknowledge")
    page.get_by_role("link", name="Read it now").click()
    screenshot(page, "policy-before-acknowledgement")
    page.get_by_role("button", name="I have read and understood this version").click()
    expect(page.locator("main")).to_contain_text("your acknowledgement of version 1.0 is recorded")
    expect(page.get_by_test_id("policy-status")).to_contain_text("Acknowledged")
    expect(page.get_by_text("Please read and acknowledge")).to_have_count(0)
