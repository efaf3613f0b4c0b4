"""Browser journey for covert surveillance (7.2): request → Head of HR approves → observation → lapse."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveillance.models import SurveillanceRequest
from tests.cases.factories import PNG_BYTES
from tests.e2e.conftest import login, screenshot
from tests.surveillance import surveillance_factories as sf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, username):
    """Sign in again; the authenticator refuses a code already used (replay), and the same person may sign in
    twice within one 30-second step here, so their device forgets the last code it accepted."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    page.context.clear_cookies()
    login(page, username)


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).strftime("%Y-%m-%d")


def test_requested_approved_observed_and_refused_after_the_end(page, tmp_path, settings):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    shot = tmp_path / "tiktok-video.png"
    shot.write_bytes(PNG_BYTES)
    case = sf.oakfield_case()

    # The investigating officer asks, from the case page.
    sign_in_as(page, "investigator")
    page.goto(f"{page.base_url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Request surveillance").click()
    page.get_by_label("Grounds for suspicion").fill("Witnesses say new mocking videos appear and vanish within a day.")
    page.get_by_label("Why surveillance is necessary").fill("Nobody kept copies; only seeing them live captures them.")
    page.get_by_label("Why it is proportionate").fill("One public account, two weeks, one serious allegation.")
    page.get_by_label("Less intrusive ways considered").fill("Interviews held; asking the subject would end it.")
    page.get_by_label("TikTok").check()
    page.get_by_label("Accounts in scope").fill("https://www.tiktok.com/@example")
    page.get_by_label("I confirm only public content will be viewed").check()
    page.get_by_label("Collateral intrusion").fill("Friends may appear; nothing about them is kept.")
    page.locator("#id_starts_on").fill(day(0))
    page.locator("#id_ends_on").fill(day(13))
    page.get_by_label("Review date").fill(day(7))
    page.get_by_label("DPIA reference").fill("DPIA-HR-2026-21")
    # First the officer says it may be criminal: the app refuses and points to the police.
    page.get_by_label("Yes, it may be criminal").check()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#id_may_be_criminal_error, .invalid-feedback").first).to_contain_text("police")
    screenshot(page, "surveillance-criminal-refused")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("I confirm only public content will be viewed").check()
    screenshot(page, "surveillance-request-form")
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_test_id("surveillance-phase")).to_have_text("Awaiting decision")
    expect(page.get_by_role("link", name="Decide")).to_have_count(0)  # never the requester
    request = SurveillanceRequest.objects.get(requested_by__username="investigator", dpia_reference="DPIA-HR-2026-21")

    # The Head of HR and OD finds it on the dashboard and approves it in writing.
    sign_in_as(page, "headofhr")
    page.get_by_role("link", name=request.reference).first.click()
    page.get_by_role("link", name="Decide").click()
    expect(page.get_by_test_id("content-hash")).to_have_text(request.content_hash)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Your written decision").fill("Necessary and proportionate for two weeks; review on day 7.")
    screenshot(page, "surveillance-decision")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("surveillance-phase")).to_have_text("Active")
    expect(page.get_by_test_id("approved-hash")).to_have_text(request.content_hash)

    # The officer records what was seen, with a screenshot whose SHA-256 is kept.
    sign_in_as(page, "investigator")
    page.goto(f"{page.base_url}{request.get_absolute_url()}")
    page.get_by_role("link", name="Record an observation").click()
    seen = timezone.localtime(timezone.now() - dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("When it was seen").fill(seen)
    page.get_by_label("What was seen").fill("A new video repeating the accent joke, 2,300 views.")
    page.get_by_label("Link").fill("https://www.tiktok.com/@example/video/7302")
    page.get_by_label("Screenshot").set_input_files(str(shot))
    page.get_by_role("button", name="Record observation").click()
    expect(page.get_by_test_id("observations")).to_contain_text("accent joke")
    digest = request.observations.get().screenshot_sha256
    expect(page.get_by_test_id("observations")).to_contain_text(digest)
    screenshot(page, "surveillance-active")

    # Two weeks pass: the window ended yesterday and the approval has lapsed by itself.
    sf.travel(request, days=14)
    page.reload()
    expect(page.get_by_test_id("surveillance-phase")).to_have_text("Expired")
    expect(page.get_by_role("link", name="Record an observation")).to_have_count(0)
    page.goto(f"{page.base_url}/cases/surveillance/{request.pk}/observe/")
    expect(page.get_by_role("alert").first).to_contain_text("observations cannot be recorded now")
    screenshot(page, "surveillance-expired")
    assert request.observations.count() == 1

    # The register and oversight show it for the Head of HR.
    sign_in_as(page, "headofhr")
    page.goto(f"{page.base_url}/cases/surveillance/oversight/")
    expect(page.get_by_test_id("oversight-figures")).to_contain_text(str(timezone.localdate().year))
    screenshot(page, "surveillance-oversight")
    page.goto(f"{page.base_url}/cases/surveillance/")
    expect(page.get_by_test_id("surveillance-register")).to_contain_text(request.reference)
    screenshot(page, "surveillance-register")
