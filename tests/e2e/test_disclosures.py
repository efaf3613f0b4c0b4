"""Browser journeys for personal account disclosures (clauses 5.1, 5.3, 5.4)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_employee_declares_a_school_named_account_is_told_why_fixes_it_and_it_is_compliant(page):
    login(page, "employee")
    page.get_by_role("link", name="My social media").click()
    expect(page.locator("main")).to_contain_text("You have not declared any accounts")
    page.get_by_role("link", name="Declare an account").first.click()
    expect(page.get_by_role("note")).to_contain_text("Check your privacy settings (clause 5.1)")
    page.get_by_label("Platform").select_option(label="Instagram")
    page.get_by_label("Handle").fill("@MrWilsonAtOakfieldPrimary")
    page.get_by_label("Display name").fill("Mr Wilson")
    page.get_by_label("Profile text").fill("Year 4 teacher. Sharing classroom ideas.")
    page.get_by_label("My profile says where I work").check()
    page.get_by_label("I discuss my work on this account").check()
    page.get_by_label("Disclaimer shown on the profile").fill("All views are my own.")
    page.get_by_label("I have checked this account's privacy settings").check()
    screenshot(page, "disclosure-declare-form")
    page.get_by_role("button", name="Declare and check").click()

    expect(page.get_by_test_id("outcome")).to_contain_text("Needs changes")
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("Clause 5.3")
    expect(findings).to_contain_text("“OakfieldPrimary”")
    expect(findings).to_contain_text("Oakfield Primary School")
    expect(findings).to_contain_text("Choose a handle without it")
    expect(findings).to_contain_text("not (or not necessarily) your employer's views")
    screenshot(page, "disclosure-needs-changes")

    page.get_by_role("link", name="Update and resubmit").click()
    expect(page.locator("main")).to_contain_text("What to change")
    page.get_by_label("Handle").fill("@MrWilsonTeaches")
    page.get_by_label("Disclaimer shown on the profile").fill(
        "The views I express here are mine alone and do not necessarily reflect the views of my employer."
    )
    page.get_by_label("I have checked this account's privacy settings").check()
    page.get_by_role("button", name="Resubmit").click()

    expect(page.get_by_test_id("outcome")).to_contain_text("Compliant")
    expect(page.get_by_role("alert")).to_contain_text("keeps the policy")
    screenshot(page, "disclosure-compliant")
    page.get_by_role("link", name="My social media").click()
    expect(page.locator("main table")).to_contain_text("@MrWilsonTeaches")
    expect(page.locator("main table")).to_contain_text("Compliant")


def test_hr_sees_the_accounts_needing_changes_and_follows_one_up(page):
    login(page, "hr")
    open_nav(page, "Declared accounts")
    expect(page.locator("main table")).to_contain_text("oakfieldprimary")
    screenshot(page, "disclosure-hr-review")
    page.locator("main table a[href*='/disclosures/']").first.click()
    page.get_by_label("Follow-up note").fill("Please take the school's name out of your handle.")
    page.get_by_role("button", name="Record follow-up").click()
    expect(page.get_by_role("alert")).to_contain_text("Follow-up recorded")
    expect(page.locator("main")).to_contain_text("Please take the school's name out of your handle.")
