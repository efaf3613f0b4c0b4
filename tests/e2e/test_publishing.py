"""Clause 3.4 in the browser: a campaign gets permission, then a post in it is checked and published."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def test_campaign_is_approved_then_its_post_is_checked_and_recorded_as_published(page):
    start = timezone.localdate() + dt.timedelta(days=3)

    # The teacher proposes a campaign and asks their line manager.
    login(page, "employee")
    open_nav(page, "Campaigns")
    page.get_by_role("link", name="Propose a campaign").click()
    page.get_by_label("Title").fill("Science Week 2026")
    page.get_by_label("Purpose and benefit").fill("Shows families what pupils learn and invites them in.")
    page.get_by_label("Audience").fill("Oakfield families")
    page.get_by_label("@OakfieldPrimary (X (Twitter))").check()
    page.get_by_label("Starts on").fill(start.isoformat())
    page.get_by_label("Ends on").fill((start + dt.timedelta(days=5)).isoformat())
    page.get_by_label("Planned posts").fill("A post each day with a photo of the experiments.")
    screenshot(page, "publishing-campaign-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("phase")).to_have_text("Draft")
    page.get_by_role("button", name="Submit to my line manager").click()
    expect(page.get_by_test_id("phase")).to_have_text("Awaiting line manager")
    campaign_url = page.url

    # The line manager endorses it.
    switch_to(page, "manager")
    expect(page.locator("main")).to_contain_text("Campaigns awaiting your decision")
    page.goto(campaign_url)
    page.get_by_role("link", name="Endorse or turn down").click()
    page.get_by_label("Endorse and send to the headteacher").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_test_id("phase")).to_have_text("Awaiting headteacher")

    # The headteacher approves it from their dashboard.
    switch_to(page, "headteacher")
    page.get_by_role("link", name="Science Week 2026").click()
    page.get_by_role("link", name="Approve or reject").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Reasons").fill("A good way to show our science curriculum.")
    screenshot(page, "publishing-campaign-decide")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_test_id("phase")).to_have_text("Approved, not started")

    # The teacher drafts a post in it; a script tag typed into it is shown as text, never run.
    switch_to(page, "employee")
    page.goto(campaign_url)
    page.get_by_role("link", name="Draft a post for this campaign").click()
    page.get_by_label("Account").select_option(label="@OakfieldPrimary (X (Twitter))")
    page.get_by_label("Text").fill("Day 1 of Science Week: volcanoes! <script>alert('x')</script>")
    page.get_by_label("Purpose and benefit").fill("Celebrates pupils' learning.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("post-text")).to_contain_text("<script>alert('x')</script>")
    page.get_by_role("link", name="Send for a colleague's check").click()
    expect(page.get_by_test_id("prescreen")).to_be_visible()
    page.get_by_label("Colleague to check it").select_option(label="Sarah Bennett")
    page.get_by_role("button", name="Send for check").click()
    expect(page.get_by_test_id("state")).to_have_text("Awaiting check")
    post_url = page.url

    # A colleague answers the checklist and approves it.
    switch_to(page, "manager")
    expect(page.locator("main")).to_contain_text("Posts waiting for your check")
    page.goto(post_url)
    page.get_by_role("link", name="Check this post").click()
    for label in (
        "does not bring the school into disrepute",
        "breaches no confidentiality",
        "copyright is cleared and acknowledged",
        "nothing discriminatory, bullying or harassing",
        "has a purpose and a benefit",
    ):
        page.get_by_label(label).check()
    page.get_by_label("Approved").check()
    screenshot(page, "publishing-post-check")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_test_id("state")).to_have_text("Approved")

    # The teacher posts it on X themselves and records the live link and time.
    switch_to(page, "employee")
    page.goto(post_url)
    page.get_by_role("link", name="Record as published").click()
    page.get_by_label("Live link").fill("https://x.com/OakfieldPrimary/status/1900000000000000042")
    page.get_by_role("button", name="Record as published").click()
    expect(page.get_by_test_id("state")).to_have_text("Published")
    expect(page.get_by_test_id("published")).to_contain_text("https://x.com/OakfieldPrimary/status/1900000000000000042")
    expect(page.get_by_test_id("published")).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    screenshot(page, "publishing-post-published")


def test_the_headteacher_ends_a_running_campaign_early_and_its_post_waits_in_draft(page):
    from publishing.models import Campaign
    from tests.publishing.factories import approved_post, demo, finished_campaign, running_campaign

    campaign = running_campaign(demo("employee"), title="Road Safety Fortnight")
    approved_post(campaign=campaign, text="Road Safety Fortnight, day 3: crossing at the lollipop patrol.")
    finished_campaign(demo("employee"), title="Harvest Appeal")

    login(page, "headteacher")
    open_nav(page, "Campaigns")
    page.get_by_label("Where it is").select_option(label="Running")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("main table")).to_contain_text("Road Safety Fortnight")
    expect(page.locator("main table")).not_to_contain_text("Harvest Appeal")
    screenshot(page, "publishing-campaign-list-running")
    page.get_by_role("link", name="Road Safety Fortnight").click()
    expect(page.get_by_test_id("phase")).to_have_text("Running")
    expect(page.get_by_test_id("campaign-run")).to_contain_text("Running until")
    page.get_by_role("link", name="End the campaign early").click()
    page.get_by_role("button", name="End the campaign now").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Say why the campaign is ending early.")
    page.get_by_label("Why is it ending early?").fill("The road works on Mill Lane start tomorrow.")
    screenshot(page, "publishing-campaign-end")
    page.get_by_role("button", name="End the campaign now").click()
    expect(page.get_by_test_id("phase")).to_have_text("Finished")
    expect(page.get_by_test_id("campaign-run")).to_contain_text("Ended early on")
    expect(page.locator("main")).to_contain_text("Draft")  # its post went back to the author
    screenshot(page, "publishing-campaign-ended")
    assert Campaign.objects.get(title="Road Safety Fortnight").state == Campaign.State.ENDED


def test_the_communications_team_sees_every_account_and_who_is_untrained(page):
    login(page, "comms")
    expect(page.get_by_test_id("untrained")).not_to_contain_text("Everyone is trained")
    screenshot(page, "publishing-dashboard-comms")
    open_nav(page, "Official accounts")
    expect(page.locator("main")).to_contain_text("@kennetvalleyacademy")
    expect(page.get_by_test_id("communications-policy")).to_have_attribute("href", re.compile("^https://"))
    expect(page.locator("main")).to_contain_text("untrained")
    screenshot(page, "publishing-register-comms")


def test_the_author_takes_a_post_out_of_a_finished_campaign_to_publish_it_on_its_own(page):
    from publishing.models import Post
    from tests.publishing.factories import approved_post_of_finished_campaign

    post = approved_post_of_finished_campaign(title="Harvest Appeal")
    Post.objects.filter(pk=post.pk).update(text="Thank you for every tin and packet: 212 parcels for local families.")

    login(page, "employee")
    page.goto(f"{page.base_url}{post.get_absolute_url()}")
    expect(page.get_by_test_id("campaign-finished")).to_contain_text("cannot be published as it is")
    expect(page.get_by_role("link", name="Record as published")).to_have_count(0)
    screenshot(page, "publishing-post-campaign-finished")
    page.get_by_role("link", name="Take it out of the campaign").click()
    expect(page.get_by_test_id("consequences")).to_contain_text("check it again")
    screenshot(page, "publishing-post-take-out-of-campaign")
    page.get_by_role("button", name="Take it out of the campaign").click()
    expect(page.get_by_test_id("state")).to_have_text("Draft")
    expect(page.get_by_test_id("campaign-finished")).to_have_count(0)
    expect(page.get_by_test_id("approval-lapsed")).to_contain_text("no longer counts")
    expect(page.get_by_role("link", name="Send for a colleague's check")).to_be_visible()
    screenshot(page, "publishing-post-taken-out-of-campaign")
    post = Post.objects.get(pk=post.pk)
    assert post.state == Post.State.DRAFT and post.campaign_id is None
