"""The HR pages of the staff directory: upload → preview → apply, and bad input answered beside the field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Organisation, StaffColumnMapping, StaffImport, User
from tests.people.test_directory import COUNCIL, as_csv, directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return Organisation.objects.create(name=COUNCIL, kind=Organisation.Kind.COUNCIL)


def upload(client, content: bytes, name="staff.csv", **data):
    return client.post(reverse("people:staff_import"), {"file": SimpleUploadedFile(name, content), **data}, follow=True)


def test_upload_preview_and_apply(client_for, council):
    client = client_for("headofhr")

    page = upload(client, as_csv(directory()))

    staff_import = StaffImport.objects.latest("created_at")
    assert staff_import.status == StaffImport.Status.PREVIEWED
    text = page.content.decode()
    assert 'data-testid="count-create">4<' in text and "Ysgol y Garnedd" in text
    assert not User.objects.filter(staff_number__startswith="G").exists()  # a preview changes nothing

    confirm = client.get(reverse("people:staff_import_apply", args=[staff_import.pk]))
    assert "Apply the changes" in confirm.content.decode()
    done = client.post(reverse("people:staff_import_apply", args=[staff_import.pk]), follow=True)

    assert "Applied: 4 added" in done.content.decode()
    assert User.objects.filter(staff_number__startswith="G").count() == 4
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.APPLIED
    again = client.post(reverse("people:staff_import_apply", args=[staff_import.pk]), follow=True)
    assert "already been applied" in again.content.decode()
    assert User.objects.filter(staff_number__startswith="G").count() == 4


def test_errors_are_shown_in_a_table_and_the_file_cannot_be_applied(client_for, council):
    client = client_for("admin")
    rows = directory()
    rows[2][3] = "not an email"

    page = upload(client, as_csv(rows))

    text = page.content.decode()
    assert 'data-testid="directory-errors"' in text and "This is not an email address." in text
    assert "<td>4</td>" in text  # the header is row 1
    staff_import = StaffImport.objects.latest("created_at")
    assert staff_import.status == StaffImport.Status.REJECTED
    response = client.post(reverse("people:staff_import_apply", args=[staff_import.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(staff_number__startswith="G").exists()


def test_the_same_file_again_says_nothing_to_change(client_for, council):
    client = client_for("headofhr")
    upload(client, as_csv(directory()))
    client.post(reverse("people:staff_import_apply", args=[StaffImport.objects.latest("created_at").pk]))
    events = AuditEvent.objects.filter(action__contains="from_directory").count()

    page = upload(client, as_csv(directory()))

    text = page.content.decode()
    assert 'data-testid="count-create">0<' in text and 'data-testid="count-change">0<' in text
    assert "already in step" in text
    assert AuditEvent.objects.filter(action__contains="from_directory").count() == events


def test_leavers_and_their_open_work_are_listed_after_applying(client_for, council):
    client = client_for("headofhr")
    rows = directory()
    upload(client, as_csv(rows))
    client.post(reverse("people:staff_import_apply", args=[StaffImport.objects.latest("created_at").pk]))
    rows[2][8] = "01/01/2000"  # the deputy left long ago
    rows[2][7] = "01/01/1999"

    upload(client, as_csv(rows))
    latest = StaffImport.objects.latest("created_at")
    page = client.post(reverse("people:staff_import_apply", args=[latest.pk]), follow=True)

    text = page.content.decode()
    assert 'data-testid="leavers-open-items"' in text
    assert "Rhys Smith-Jones needs a new line manager." in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("staff.pdf", b"%PDF-1.4", "Choose a CSV file or an Excel workbook"),
        ("staff.csv", b"", "The submitted file is empty."),
    ],
)
def test_a_wrong_file_is_answered_beside_the_field(client_for, council, name, content, message):
    response = upload(client_for("headofhr"), content, name=name)

    assert response.status_code == 200 and message in response.content.decode()
    assert not StaffImport.objects.exists()


def test_an_unreadable_file_says_why(client_for, council):
    page = upload(client_for("headofhr"), b"name;mail\r\nA;b\r\n")

    assert "The header row has no column for: Employee number" in page.content.decode()


def test_partial_tick_box_keeps_missing_people(client_for, council):
    client = client_for("headofhr")
    upload(client, as_csv(directory()))
    client.post(reverse("people:staff_import_apply", args=[StaffImport.objects.latest("created_at").pk]))

    page = upload(client, as_csv(directory()[:1]), partial="on")

    assert 'data-testid="count-leave">0<' in page.content.decode()


def test_saving_column_names_for_an_hr_system(client_for, council):
    client = client_for("headofhr")
    url = reverse("people:staff_mapping_create")
    bad = client.post(url, {"name": "iTrent", "column_employee_number": "Person No"})
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()
    duplicate = client.post(
        url,
        {
            "name": "iTrent",
            "column_employee_number": "No",
            "column_first_name": "Forename",
            "column_last_name": "Surname",
            "column_email": "No",
            "column_organisation": "Establishment",
        },
    )
    assert "The same header is already given for employee number." in duplicate.content.decode()

    client.post(
        url,
        {
            "name": "iTrent",
            "column_employee_number": "Person No",
            "column_first_name": "Forename",
            "column_last_name": "Surname",
            "column_email": "Work Email",
            "column_organisation": "Establishment",
        },
    )

    mapping = StaffColumnMapping.objects.get(name="iTrent")
    assert mapping.columns["email"] == "Work Email" and "job_title" not in mapping.columns
    header = ["Person No", "Forename", "Surname", "Work Email", "Establishment"]
    rows = [[r[0], r[1], r[2], r[3], r[5]] for r in directory()]
    page = upload(client, as_csv(rows, header=header), mapping=mapping.pk)
    assert 'data-testid="count-create">4<' in page.content.decode()
