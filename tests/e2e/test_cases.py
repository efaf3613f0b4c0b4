"""Browser journeys for concerns and cases: the whole disciplinary path, and anonymous reporting."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases import letters, services
from cases.models import Case, IncidentReport
from people.models import User
from tests.cases.factories import PNG_BYTES
from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, username):
    page.context.clear_cookies()
    login(page, username)


def local(delta: dt.timedelta, fmt: str = "%Y-%m-%dT%H:%M") -> str:
    return (timezone.localtime() + delta).strftime(fmt)


def fill_report(page, subject: User | None, description: str):
    page.goto(f"{page.base_url}/cases/report/")
    if subject is not None:
        page.get_by_label("Who is concerned").select_option(value=str(subject.pk))
    page.get_by_label("Personal capacity, outside work (clauses 5.2, 5.5)").check()
    page.get_by_label("Platform").select_option(label="Facebook")
    page.get_by_label("Link to the post or profile").fill("https://www.facebook.com/groups/parents/posts/77")
    page.get_by_label("When it happened").fill(local(-dt.timedelta(days=1)))
    page.get_by_label("What happened").fill(description)
    page.get_by_label("Breaching confidentiality (3.3, 5.2)").check()


def test_a_concern_becomes_a_case_a_warning_and_a_decided_appeal(page, tmp_path):
    # Letters are made as PDFs inside the requests: load WeasyPrint's fonts once before the clock starts.
    letters.render_pdf("<p>Fonts loaded.</p>")
    page.set_default_timeout(45_000)
    subject = User.objects.get(username="employee")
    evidence = tmp_path / "screenshot.png"
    evidence.write_bytes(PNG_BYTES)

    # The deputy head reports a concern about a teacher, with a screenshot.
    sign_in_as(page, "manager")
    fill_report(page, subject, "A post in the parents' group named a pupil and their reading level.")
    page.get_by_label("Evidence (screenshots, documents)").set_input_files(str(evidence))
    screenshot(page, "cases-report-form")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("alert")).to_contain_text("has been sent to HR")
    expect(page.get_by_test_id("report-status")).to_have_text("Awaiting triage")
    report = IncidentReport.objects.get(reporter__username="manager", subject=subject)

    # HR triages it and opens a case.
    sign_in_as(page, "hr")
    open_nav(page, "Triage")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_test_id("evidence-hash")).to_have_text(report.evidence.get().sha256)
    page.get_by_label("Open a case").check()
    page.get_by_label("Case summary (opening a case)").fill("Shared a pupil's details in a public group (5.2).")
    screenshot(page, "cases-triage-decision")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Open")
    case = Case.objects.get(subject=subject)

    # HR assigns the investigating officer; the reporter (the teacher's line manager) is not offered as valid.
    page.get_by_role("link", name="Assign investigating officer").click()
    page.get_by_label("Investigating officer").select_option(value=str(User.objects.get(username="investigator").pk))
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_test_id("case-officer")).to_have_text("Priya Chandran")
    expect(page.get_by_test_id("case-status")).to_have_text("Under investigation")

    # The officer records an interview and a finding.
    sign_in_as(page, "investigator")
    page.goto(f"{page.base_url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Record an interview").click()
    page.get_by_label("Name, if outside the directory").fill("Mrs A. Parent")
    page.get_by_label("When").fill(local(-dt.timedelta(hours=3)))
    page.get_by_label("Witness statement").fill("I saw the post in the group on Tuesday evening.")
    page.get_by_role("button", name="Record interview").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Interview with Mrs A. Parent")
    page.get_by_role("link", name="Record finding").click()
    page.get_by_label("Finding").fill("The post identified a pupil: a breach of clause 5.2.")
    page.get_by_role("button", name="Record finding").click()
    expect(page.get_by_test_id("case-finding")).to_contain_text("breach of clause 5.2")
    screenshot(page, "cases-case-investigating")

    # HR arranges the hearing with the usual notice; a date sooner than that needs a reason.
    sign_in_as(page, "hr")
    page.goto(f"{page.base_url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Schedule hearing").click()
    page.get_by_label("Hearing date and time").fill(local(dt.timedelta(days=1)))
    page.get_by_label("Panel").fill("Headteacher (chair) and HR adviser")
    page.get_by_role("button", name="Schedule hearing").click()
    expect(page.locator("#id_short_notice_reason").locator("xpath=..")).to_contain_text("working days' notice")
    earliest = services.earliest_hearing_date()
    hearing_at = timezone.make_aware(dt.datetime.combine(earliest, dt.time(10)))
    page.get_by_label("Hearing date and time").fill(f"{earliest:%Y-%m-%d}T10:00")
    page.get_by_role("button", name="Schedule hearing").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Disciplinary hearing")
    expect(page.get_by_role("link", name="Record outcome")).to_have_count(0)

    # The day of the hearing: it is held, then recorded, and only then is the outcome decided and confirmed.
    traveller = time_machine.travel(hearing_at + dt.timedelta(hours=2), tick=True)
    traveller.start()
    try:
        sign_in_as(page, "hr")
        page.goto(f"{page.base_url}{case.get_absolute_url()}")
        page.get_by_role("link", name="Record hearing held").click()
        page.get_by_label("Who attended").fill("Headteacher, HR adviser, the employee, the investigating officer.")
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("Companion").fill("Ms K. Rowe, trade union representative")
        page.get_by_role("button", name="Record hearing").click()
        expect(page.get_by_test_id("case-hearing")).to_contain_text("Accompanied by Ms K. Rowe")
        page.get_by_role("link", name="Record outcome").click()
        page.get_by_label("Outcome").select_option(label="Final written warning")
        page.get_by_label("5.2 Personal communications (disrepute, confidentiality)").check()
        page.get_by_label("Reasons").fill("You shared a pupil's details in a public group.")
        page.get_by_label("Warning expires on").fill(local(dt.timedelta(days=365), "%Y-%m-%d"))
        screenshot(page, "cases-outcome-form")
        page.get_by_role("button", name="Check the outcome").click()
        expect(page.get_by_test_id("outcome-summary")).to_contain_text("Final written warning")
        screenshot(page, "cases-outcome-confirm")
        page.get_by_role("button", name="Confirm and tell the employee").click()
        expect(page.get_by_test_id("case-outcome")).to_contain_text("Final written warning")
        _rest_of_journey(page, case)
    finally:
        traveller.stop()


def _rest_of_journey(page, case):
    # The teacher reads the letter and appeals.
    sign_in_as(page, "employee")
    page.goto(f"{page.base_url}/cases/mine/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Outcome recorded")
    expect(page.locator("main")).not_to_contain_text("Sarah Bennett")  # the reporter is never shown
    page.get_by_role("link", name="Read your outcome letter").click()
    expect(page.get_by_test_id("letter-clauses")).to_contain_text("5.2 Personal communications")
    expect(page.get_by_test_id("outcome-letter")).to_contain_text("This warning will stay on your record until")
    screenshot(page, "cases-outcome-letter")
    page.go_back()
    expect(page.get_by_test_id("case-letters")).to_contain_text("Invitation to a disciplinary hearing")
    link = page.get_by_test_id("case-letters").get_by_role("link", name="Outcome of the disciplinary hearing")
    received = page.request.get(f"{page.base_url}{link.get_attribute('href')}")
    assert received.ok and received.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(received.body()).hexdigest() == case.letters.get(kind="outcome").sha256
    page.get_by_label("Why you are appealing").fill("The group was private and I removed the post within an hour.")
    page.get_by_role("button", name="Lodge appeal").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("awaiting a decision")

    # The Head of HR, who has not handled the case, decides the appeal.
    sign_in_as(page, "headofhr")
    page.goto(f"{page.base_url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Decide the appeal").click()
    page.get_by_label("Original decision upheld").check()
    page.get_by_label("Reasons").fill("The group had over 300 members; the warning stands.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Closed")
    expect(page.get_by_test_id("appeal-decision")).to_have_text("Original decision upheld")
    screenshot(page, "cases-appeal-decided")

    sign_in_as(page, "employee")
    page.goto(f"{page.base_url}/cases/mine/cases/{case.pk}/")
    expect(page.get_by_test_id("appeal-status")).to_contain_text("Original decision upheld")
    # Every letter the employee received is a PDF stored on the case with its SHA-256.
    made = {letter.kind: letter for letter in case.letters.all()}
    assert set(made) == {"hearing_invitation", "outcome", "appeal_outcome"}
    for letter in made.values():
        data = letter.file.open("rb").read()
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == letter.sha256


def test_an_anonymous_reporter_follows_up_with_the_receipt_key(page):
    sign_in_as(page, "employee")
    fill_report(page, None, "Someone posting as 'Oakfield Staff' shares photos of classrooms.")
    page.get_by_label("If unknown or outside the school, describe them").fill("Unknown account 'Oakfield Staff'")
    page.get_by_label("Keep me anonymous to HR").check()
    page.get_by_role("button", name="Send the report").click()
    key = page.get_by_test_id("receipt-key").inner_text().strip()
    assert len(key) == 19
    screenshot(page, "cases-anonymous-receipt")
    report = IncidentReport.objects.get(subject_description="Unknown account 'Oakfield Staff'")
    assert report.reporter is None

    # HR sees an anonymous report and asks a question.
    sign_in_as(page, "hr")
    page.goto(f"{page.base_url}/cases/triage/")
    row = page.get_by_role("row").filter(has_text=report.reference)
    expect(row).to_contain_text("anonymous")
    row.get_by_role("link", name=report.reference).click()
    expect(page.locator("main")).to_contain_text("anonymous reporter")
    expect(page.locator("main")).not_to_contain_text("James Wilson")
    page.get_by_label("Ask the reporter a question").check()
    page.get_by_label("Question (asking the reporter)").fill("Which classrooms appear in the photos?")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Question sent to the reporter")

    # The reporter checks with the key and answers.
    sign_in_as(page, "employee")
    page.goto(f"{page.base_url}/cases/receipt/")
    page.get_by_label("Receipt key").fill("WRONG-KEY1-2345-6789")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("main")).to_contain_text("No report matches that key")
    page.get_by_label("Receipt key").fill(key)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Question sent to the reporter")
    expect(page.locator("main")).to_contain_text("Which classrooms appear in the photos?")
    page.get_by_label("Your reply").fill("Year 3 and the library.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("main")).to_contain_text("Year 3 and the library.")
    screenshot(page, "cases-anonymous-followup")

    sign_in_as(page, "hr")
    page.goto(f"{page.base_url}{report.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Year 3 and the library.")


def test_hr_pages_through_a_long_case_list_and_back(page):
    from tests.cases.test_case_list_keyset import _make_cases

    _make_cases(60, officer_every=3)
    login(page, "hr")
    page.goto(f"{page.base_url}/cases/")
    pages = page.get_by_test_id("keyset-pagination")
    expect(page.get_by_test_id("case-count")).to_contain_text("the first page")
    first_row = page.locator("tbody tr").first.inner_text()
    pages.get_by_role("link", name="Next ›").click()
    expect(page.locator("tbody tr").first).not_to_have_text(first_row)
    pages.get_by_role("link", name="Last").click()
    expect(page.get_by_test_id("case-count")).to_contain_text("the last page")
    expect(pages.get_by_role("link", name="Next ›")).to_have_count(0)
    screenshot(page, "cases-case-list-last-page")
    # Sorting by officer keeps paging through that order, and Previous comes back to the first page.
    page.get_by_role("link", name="Investigating officer").click()
    pages.get_by_role("link", name="Next ›").click()
    pages.get_by_role("link", name="‹ Previous").click()
    expect(page.get_by_test_id("case-count")).to_contain_text("the first page")
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Investigating officer ▲")
    screenshot(page, "cases-case-list-sorted")
