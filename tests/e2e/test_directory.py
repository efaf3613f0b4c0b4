"""Browser journey for the staff directory (issue 17): the Head of HR uploads new starters with a mistake,
reads the errors beside the rows, fixes the file, previews it again and applies it."""

# ruff: noqa: E501  (directory rows read best one to a line)

import pytest
from playwright.sync_api import expect

from people.models import Organisation, User
from tests.e2e.conftest import login, open_nav, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "employee_number,first_name,last_name,email,job_title,organisation,line_manager_number,start_date,roles"


def _file(tmp_path, start_date: str):
    rows = [
        "N0001,Chloé,Dubois,Chloe.Dubois@reading.example,Headteacher,Caversham Park Primary School,,01/01/2021,headteacher",
        f"N0002,Siân,O'Brien,sian.obrien@reading.example,Class Teacher,caversham park primary school,N0001,{start_date},",
        "N0003,Llŷr,Smith-Jones,llyr.smith-jones@reading.example,Teaching Assistant,OPS,N0001,01/09/2024,",
    ]
    path = tmp_path / "new-starters.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode())
    return path


def test_upload_with_errors_fix_preview_and_apply(page, tmp_path):
    login(page, "headofhr")
    open_nav(page, "Staff directory")
    expect(page.get_by_role("heading", name="Bring in the staff directory")).to_be_visible()

    # A file with an impossible date: every problem is listed by row, and nothing can be applied.
    page.get_by_label("Staff directory file").set_input_files(str(_file(tmp_path, "31/02/2024")))
    page.get_by_label("Only these rows (a partial file)").check()
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("directory-has-errors")).to_contain_text("1 problem in the file")
    errors = page.get_by_test_id("directory-errors")
    expect(errors).to_contain_text("Siân O'Brien")
    expect(errors).to_contain_text("Start date")
    expect(errors).to_contain_text("is not a real date")
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("3")
    expect(page.get_by_role("link", name="Apply these changes…")).to_have_count(0)
    screenshot(page, "directory-preview-errors")

    # Fixed: the preview says what would happen, including the new school.
    page.get_by_role("link", name="Back to the staff directory").click()
    page.get_by_label("Staff directory file").set_input_files(str(_file(tmp_path, "28/02/2024")))
    page.get_by_label("Only these rows (a partial file)").check()
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("count-create")).to_have_text("3")
    expect(page.get_by_test_id("count-leave")).to_have_text("0")
    expect(page.get_by_test_id("new-schools")).to_contain_text("Caversham Park Primary School")
    screenshot(page, "directory-preview")
    assert not User.objects.filter(staff_number__startswith="N000").exists()

    page.get_by_role("link", name="Apply these changes…").click()
    expect(page.get_by_role("heading", name="Apply new-starters.csv?")).to_be_visible()
    page.get_by_role("button", name="Apply the changes").click()
    expect(page.get_by_test_id("directory-applied")).to_be_visible()
    expect(page.get_by_text("Applied: 3 added, 0 changed, 0 marked as leavers.")).to_be_visible()
    screenshot(page, "directory-applied")

    school = Organisation.objects.get(name="Caversham Park Primary School")
    head = User.objects.get(staff_number="N0001")
    assert head.email == "chloe.dubois@reading.example" and head.organisation == school
    assert User.objects.get(staff_number="N0003").organisation.name == "Oakfield Primary School"
    assert User.objects.get(staff_number="N0002").line_manager == head
