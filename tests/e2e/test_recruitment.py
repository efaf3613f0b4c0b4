"""Browser journey for the recruitment search guardrail (clause 6.1)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hr_search_of_an_applicant_in_selection_is_refused_and_logged(page):
    login(page, "hr")
    open_nav(page, "Recruitment")
    page.get_by_role("link", name="RBC-2026-014").click()
    expect(page.locator("main table")).to_contain_text("Samuel Okoro")
    screenshot(page, "recruitment-vacancy")

    open_nav(page, "Search log")
    page.get_by_role("link", name="Ask to search a person").click()
    page.get_by_label("Platform").select_option(label="LinkedIn")
    page.get_by_label("Name of the person to search").fill("Samuel James OKORO")
    page.get_by_label("Finding candidates").check()
    page.get_by_label("Why").fill("He might suit our site manager post too.")
    page.get_by_label("Evidence the person is seeking employers").fill("His profile says open to work.")
    page.get_by_role("button", name="Log and check the search").click()

    refused = page.get_by_test_id("search-refused")
    expect(refused).to_contain_text("Search refused")
    expect(refused).to_contain_text("Samuel Okoro, an applicant in selection for RBC-2026-014")
    screenshot(page, "recruitment-search-refused")

    refused.get_by_role("link", name="search log").click()
    expect(page.locator("main table")).to_contain_text("Samuel James OKORO")
    expect(page.locator("main table")).to_contain_text("Refused")
    screenshot(page, "recruitment-search-log")
