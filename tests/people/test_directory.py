"""The staff directory import and sync (issue 17): the rules of items 2–4, through the service and the command."""

# ruff: noqa: E501  (directory rows read best one to a line)

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from people.directory.services import staff_directory_apply, staff_directory_preview
from people.models import Notification, Organisation, Role, RoleAssignment, StaffColumnMapping, User
from tests.clock import today

pytestmark = pytest.mark.django_db

HEADER = [
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "organisation",
    "line_manager_number",
    "start_date",
    "leave_date",
    "politically_restricted",
    "roles",
]
COUNCIL = "Cyngor Gwynedd"


@pytest.fixture
def council():
    return Organisation.objects.create(name=COUNCIL, kind=Organisation.Kind.COUNCIL)


@pytest.fixture
def school(council):
    return Organisation.objects.create(name="Ysgol y Garnedd", kind=Organisation.Kind.SCHOOL, parent=council)


def directory(school_name="Ysgol y Garnedd"):
    """A small directory: the council's director, a head, her deputy and a teacher, each with its line manager."""
    return [
        ["G001", "Siân", "Llŷr", "Sian.Llyr@Gwynedd.example", "Director of Education", COUNCIL, "", "01/09/2015", "", "yes", "head_of_hr"],
        ["G002", "Ffion", "ap Dafydd", "ffion.apdafydd@gwynedd.example", "Headteacher", school_name, "G001", "2018-01-08", "", "no", "headteacher"],
        ["G003", "Seán", "O'Brien", "sean.obrien@gwynedd.example", "Deputy Headteacher", school_name, "G002", "03/01/2019", "", "", ""],
        ["G004", "Rhys", "Smith-Jones", "rhys.smith-jones@gwynedd.example", "Class Teacher", school_name, "G003", "01/09/2020", "", "0", ""],
    ]  # fmt: skip


def as_csv(rows, header=HEADER, *, bom=True, crlf=True, pad=False) -> bytes:
    def cell(value):
        text = str(value)
        if pad:
            text = f"  {text} "
        return f'"{text}"' if "," in text or '"' in text else text

    end = "\r\n" if crlf else "\n"
    lines = [",".join(cell(c) for c in header)] + [",".join(cell(c) for c in row) for row in rows]
    return (("\ufeff" if bom else "") + end.join(lines) + end).encode()


def signs_in(client, username: str, password: str) -> bool:
    client.post("/accounts/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def apply(content: bytes, *, partial=False, mapping=None, name="staff.csv", actor=None):
    return staff_directory_apply(actor=actor, content=content, file_name=name, partial=partial, mapping=mapping)


def test_a_first_import_creates_everyone_with_names_as_they_are(council):
    result = apply(as_csv(directory(), pad=True))

    assert result.ok and result.applied
    assert result.plan.counts()["create"] == 4
    assert result.plan.new_schools == ["Ysgol y Garnedd"]
    school = Organisation.objects.get(name="Ysgol y Garnedd")
    assert school.kind == "school" and school.parent == council
    sian = User.objects.get(staff_number="G001")
    assert (sian.first_name, sian.last_name, sian.email) == ("Siân", "Llŷr", "sian.llyr@gwynedd.example")
    assert sian.username == "sian.llyr@gwynedd.example"
    assert sian.politically_restricted and sian.start_date == dt.date(2015, 9, 1)
    assert not sian.has_usable_password()
    assert User.objects.get(staff_number="G003").last_name == "O'Brien"
    teacher = User.objects.get(staff_number="G004")
    assert teacher.last_name == "Smith-Jones" and teacher.line_manager.staff_number == "G003"
    assert teacher.managers_chain()[-1] == sian
    assert set(
        RoleAssignment.objects.filter(user__staff_number__startswith="G").values_list("role", "organisation")
    ) == {
        (Role.HEAD_OF_HR, council.pk),
        (Role.HEADTEACHER, school.pk),
    }
    created = AuditEvent.objects.filter(action="employee.created_from_directory")
    assert created.count() == 4
    from audit.services import audit_chain_verify

    assert audit_chain_verify().ok  # the batch is hashed into the chain like any other event
    assert AuditEvent.objects.filter(action="organisation.created", object_id=str(school.pk)).exists()


def test_the_same_file_again_changes_nothing_and_writes_nothing(council, django_assert_max_num_queries):
    content = as_csv(directory())
    apply(content)
    events = AuditEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        result = apply(content)

    assert result.ok and not result.applied
    counts = result.plan.counts()
    assert (counts["create"], counts["change"], counts["leave"], counts["unchanged"]) == (0, 0, 0, 4)
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert AuditEvent.objects.count() == events


def test_a_changed_row_changes_only_what_changed_and_audits_old_and_new(council):
    rows = directory()
    apply(as_csv(rows))
    teacher = User.objects.get(staff_number="G004")
    before = {f: getattr(teacher, f) for f in ("first_name", "email", "line_manager_id", "start_date")}
    rows[3][4] = "Head of Year 6"

    result = apply(as_csv(rows))

    assert result.plan.counts()["change"] == 1
    teacher.refresh_from_db()
    assert teacher.job_title == "Head of Year 6"
    assert {f: getattr(teacher, f) for f in before} == before
    event = AuditEvent.objects.get(action="employee.changed_from_directory", object_id=str(teacher.pk))
    assert event.details["changes"] == {"job_title": {"old": "Class Teacher", "new": "Head of Year 6"}}


def test_a_new_line_manager_and_a_move_of_school_are_applied(council, school):
    rows = directory()
    apply(as_csv(rows))
    rows[3][6] = "G002"
    rows[3][5] = "Ysgol Friars"

    result = apply(as_csv(rows))

    assert result.plan.new_schools == ["Ysgol Friars"]
    teacher = User.objects.get(staff_number="G004")
    assert teacher.line_manager.staff_number == "G002"
    assert teacher.organisation.name == "Ysgol Friars" and teacher.organisation.parent == council


def test_someone_missing_from_the_file_leaves_cannot_sign_in_and_keeps_their_record(council, client):
    rows = directory()
    apply(as_csv(rows))
    deputy = User.objects.get(staff_number="G003")
    deputy.set_password("a-long-password-1")
    deputy.save()
    assert signs_in(client, deputy.username, "a-long-password-1")
    client.logout()
    rows[3][6] = "G002"

    result = apply(as_csv([rows[0], rows[1], rows[3]]))

    assert [leaver.number for leaver in result.plan.leavers] == ["G003"]
    deputy.refresh_from_db()
    assert not deputy.is_active and deputy.employment_status == User.EmploymentStatus.LEFT
    assert deputy.leave_date == today()
    assert not signs_in(client, deputy.username, "a-long-password-1")
    assert AuditEvent.objects.filter(action="employee.left", object_id=str(deputy.pk)).exists()


def test_hr_is_told_of_leavers_and_their_open_work_is_listed(council, demo_user):
    from people.directory.handover import open_items_for

    rows = directory()
    apply(as_csv(rows))
    deputy = User.objects.get(staff_number="G003")
    rows[2][8] = f"{today() - dt.timedelta(days=1):%d/%m/%Y}"  # the deputy's last day was yesterday

    result = apply(as_csv(rows))

    assert [leaver.number for leaver in result.plan.leavers] == ["G003"]
    items = open_items_for([deputy.pk])[deputy.pk]
    assert [item.kind for item in items] == ["Direct report"] and "Rhys Smith-Jones" in items[0].description
    # Everyone in HR (the demo HR officer and Head of HR, and the imported Head of HR) is told.
    told = set(
        Notification.objects.filter(subject__contains="left: hand over").values_list("recipient__username", flat=True)
    )
    assert {"hr", "headofhr", "sian.llyr@gwynedd.example"} <= told
    note = Notification.objects.filter(subject__contains="left: hand over", recipient=demo_user("hr")).get()
    assert "Seán O'Brien (G003)" in note.body and "1 open item" in note.body


def test_a_leave_date_that_has_passed_makes_a_leaver_and_a_future_one_does_not(council):
    rows = directory()
    rows[3][8] = f"{today() - dt.timedelta(days=1):%d/%m/%Y}"
    rows[2][8] = f"{today() + dt.timedelta(days=30):%Y-%m-%d}"
    apply(as_csv(rows[:2] + [rows[2]]))  # the teacher is not here yet

    result = apply(as_csv(rows))

    teacher = User.objects.get(staff_number="G004")
    assert teacher.employment_status == User.EmploymentStatus.LEFT and not teacher.is_active
    deputy = User.objects.get(staff_number="G003")
    assert deputy.is_active and deputy.leave_date == today() + dt.timedelta(days=30)
    assert result.plan.leavers == []  # the teacher was created as a leaver; nobody in post left


def test_someone_who_comes_back_is_reactivated_not_duplicated(council):
    rows = directory()
    apply(as_csv(rows))
    apply(as_csv(rows[:3]))
    assert not User.objects.get(staff_number="G004").is_active

    result = apply(as_csv(rows))

    assert result.plan.counts()["return"] == 1 and result.plan.counts()["create"] == 0
    assert User.objects.filter(staff_number="G004").count() == 1
    teacher = User.objects.get(staff_number="G004")
    assert teacher.is_active and teacher.employment_status == User.EmploymentStatus.ACTIVE
    assert AuditEvent.objects.filter(action="employee.returned", object_id=str(teacher.pk)).exists()


def test_partial_applies_only_the_rows_given(council):
    rows = directory()
    apply(as_csv(rows))
    rows[1][4] = "Executive Headteacher"

    result = apply(as_csv([rows[1]]), partial=True)

    assert result.plan.leavers == [] and result.plan.counts()["change"] == 1
    assert User.objects.filter(staff_number__in=["G001", "G003", "G004"], is_active=True).count() == 3


def test_partial_rows_may_name_a_line_manager_already_here(council):
    apply(as_csv(directory()))
    newcomer = ["G005", "Llinos", "Ŵyn", "llinos.wyn@gwynedd.example", "Teaching Assistant", "Ysgol y Garnedd", "G003", "", "", "", ""]  # fmt: skip

    result = apply(as_csv([newcomer]), partial=True)

    assert result.ok, result.plan.errors
    assert User.objects.get(staff_number="G005").line_manager.staff_number == "G003"


def test_the_system_administrator_and_hand_made_accounts_never_become_leavers(council):
    admin = User.objects.create(username="sysadmin", staff_number="G999", organisation=council, is_superuser=True)
    by_hand = User.objects.create(username="temp", organisation=council)

    apply(as_csv(directory()))

    admin.refresh_from_db()
    by_hand.refresh_from_db()
    assert admin.is_active and by_hand.is_active


def test_emails_match_case_insensitively_and_an_account_made_by_hand_is_adopted(council):
    made_by_hand = User.objects.create(username="sian", email="SIAN.LLYR@gwynedd.example", organisation=council)

    result = apply(as_csv(directory()))

    assert result.plan.counts()["create"] == 3
    made_by_hand.refresh_from_db()
    assert made_by_hand.staff_number == "G001" and made_by_hand.email == "sian.llyr@gwynedd.example"


def test_headers_in_any_order_and_case_with_extra_columns(council):
    header = ["Email", " ORGANISATION ", "Last Name", "First_Name", "Employee Number", "Payroll grade"]
    rows = [[r[3], r[5], r[2], r[1], r[0], "SCP 21"] for r in directory()]

    result = apply(as_csv(rows, header=header))

    assert result.ok and result.plan.counts()["create"] == 4
    # Without a line manager or roles column, those are left as they are.
    assert User.objects.get(staff_number="G004").line_manager is None


def test_a_saved_column_mapping_reads_another_systems_headers(council):
    mapping = StaffColumnMapping.objects.create(
        name="iTrent",
        columns={
            "employee_number": "Person No",
            "first_name": "Forename",
            "last_name": "Surname",
            "email": "Work Email",
            "organisation": "Establishment",
        },
    )
    header = ["Person No", "Forename", "Surname", "Work Email", "Establishment"]
    rows = [[r[0], r[1], r[2], r[3], r[5]] for r in directory()]

    assert not apply(as_csv(rows, header=header)).ok  # unreadable without the mapping
    result = apply(as_csv(rows, header=header), mapping=mapping)

    assert result.ok and result.plan.counts()["create"] == 4


def test_an_xlsx_export_as_excel_saves_it(council):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in directory():
        row = list(row)
        row[7] = dt.datetime.strptime(row[7], "%d/%m/%Y") if "/" in row[7] else dt.date.fromisoformat(row[7])
        row[0] = row[0]
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = apply(buffer.getvalue(), name="staff.xlsx")

    assert result.ok and result.plan.counts()["create"] == 4
    assert User.objects.get(staff_number="G002").start_date == dt.date(2018, 1, 8)


def test_every_error_is_reported_at_once_and_nothing_changes(council):
    rows = directory() + [
        ["G001", "Dafydd", "Jones", "dafydd@gwynedd.example", "", COUNCIL, "", "", "", "", ""],
        ["G006", "Elin", "Hughes", "SIAN.llyr@gwynedd.example", "", COUNCIL, "", "", "", "", ""],
        ["G007", "Owain", "Evans", "owain@gwynedd.example", "", COUNCIL, "G404", "", "", "", ""],
        ["G008", "Nia", "Roberts", "nia@gwynedd.example", "", COUNCIL, "G009", "", "", "", ""],
        ["G009", "Aled", "Parry", "aled@gwynedd.example", "", COUNCIL, "G008", "", "", "", ""],
        ["G010", "Catrin", "Morgan", "catrin@gwynedd.example", "", COUNCIL, "", "01/09/2020", "31/08/2020", "", ""],
        ["G011", "Gethin", "Rees", "gethin@gwynedd.example", "", COUNCIL, "", "", "", "", "mayor"],
        ["G012", "Mererid", "Hopwood", "mererid@gwynedd.example", "", COUNCIL, "", "31/02/2024", "", "", ""],
        ["G013", "Iwan", "Lewis", "not-an-email", "", COUNCIL, "", "", "", "", ""],
        ["G014", "Bethan", "Wyn", "bethan@gwynedd.example", "", COUNCIL, "", "", "", "", "headteacher"],
    ]  # fmt: skip
    events = AuditEvent.objects.count()

    result = apply(as_csv(rows))

    assert not result.ok and not result.applied
    found = {(e.row, e.column): e.reason for e in result.plan.errors}
    # The header is row 1, so the fifth data row is row 6.
    assert "Duplicate: row 2 has the same employee number" in found[(6, "Employee number")]
    assert "Duplicate: row 2 has the same email address" in found[(7, "Email")]
    assert "Unknown line manager" in found[(8, "Line manager's employee number")]
    assert "circle: G008 → G009 → G008" in found[(9, "Line manager's employee number")]
    assert "circle" in found[(10, "Line manager's employee number")]
    assert "before the start date" in found[(11, "Leave date")]
    assert "Not a role here" in found[(12, "Roles")]
    assert "not a real date" in found[(13, "Start date")]
    assert "not an email address" in found[(14, "Email")]
    assert "belongs to a school" in found[(15, "Roles")]
    assert len(result.plan.errors) == 10
    assert not User.objects.filter(staff_number__startswith="G").exists()
    assert not Organisation.objects.filter(name="Ysgol y Garnedd").exists()
    assert AuditEvent.objects.count() == events


def test_an_email_of_someone_outside_the_file_is_refused(council):
    User.objects.create(username="x", email="ffion.apdafydd@gwynedd.example", staff_number="OTHER1")

    result = apply(as_csv(directory()))

    assert [(e.row, e.column) for e in result.plan.errors] == [(3, "Email")]
    assert "number OTHER1" in result.plan.errors[0].reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name,email\r\nA,b@c.example\r\n", "no column for: Employee number"),
        (b"PK\x03\x04 not really a workbook", "Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_directory_says_so(council, content, message):
    result = apply(content)

    assert not result.ok and message in result.unreadable


def test_nul_characters_and_overlong_cells_are_refused_plainly(council):
    rows = directory()
    rows[0][1] = "Si\x00ân"
    rows[1][3] = "x" * 160 + "@gwynedd.example"
    rows[2][5] = "Ysgol " + "y" * 210

    result = apply(as_csv(rows))

    assert {(e.row, e.column) for e in result.plan.errors} == {(3, "Email"), (4, "Organisation")}
    assert all("Too long" in e.reason for e in result.plan.errors)
    assert not User.objects.filter(staff_number__startswith="G").exists()


def test_query_count_does_not_grow_with_the_file(council):
    def rows(n):
        return [
            [f"Q{i:05d}", "Alaw", f"Owen{i}", f"alaw{i}@gwynedd.example", "Teacher", "Ysgol y Garnedd", "Q00000" if i else "", "", "", "", ""]
            for i in range(n)
        ]  # fmt: skip

    with CaptureQueriesContext(connection) as small:
        apply(as_csv(rows(10)))
    with CaptureQueriesContext(connection) as large:
        apply(as_csv(rows(300)), partial=True)
    with CaptureQueriesContext(connection) as resync:
        apply(as_csv(rows(300)))

    assert len(large) <= len(small) + 2
    # A lock, organisations, their other names, employees, roles (and the test's savepoint and its release).
    assert len(resync) <= 7


def test_the_command_lists_every_error_and_exits_non_zero(council, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    rows = directory()
    rows[3][3] = "not-an-email"
    rows[2][7] = "32/13/2020"
    path.write_bytes(as_csv(rows))

    with pytest.raises(CommandError, match="2 error"):
        call_command("import_staff", str(path))

    err = capsys.readouterr().err
    assert "Row 4 (Seán O'Brien), Start date" in err and "Row 5 (Rhys Smith-Jones), Email" in err
    assert not User.objects.filter(staff_number__startswith="G").exists()


def test_the_command_dry_run_changes_nothing_then_applies(council, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(as_csv(directory()))
    out = io.StringIO()

    call_command("import_staff", str(path), "--dry-run", stdout=out)

    assert (
        "would create 4" in out.getvalue()
        and "New school to be created under the council: Ysgol y Garnedd" in out.getvalue()
    )
    assert not User.objects.filter(staff_number__startswith="G").exists()
    call_command("import_staff", str(path), stdout=io.StringIO())
    assert User.objects.filter(staff_number__startswith="G").count() == 4
    out = io.StringIO()
    call_command("import_staff", str(path), stdout=out)
    assert "create 0, change 0" in out.getvalue() and "Nothing to change" in out.getvalue()


def test_only_the_head_of_hr_and_the_system_administrator_may_import(council, demo_user):
    from django.core.exceptions import PermissionDenied

    content = as_csv(directory())
    for username in ("hr", "headteacher", "employee"):
        with pytest.raises(PermissionDenied):
            staff_directory_preview(actor=demo_user(username), content=content, file_name="s.csv")
    assert staff_directory_preview(actor=demo_user("headofhr"), content=content, file_name="s.csv").ok
    assert staff_directory_preview(actor=demo_user("admin"), content=content, file_name="s.csv").ok


def test_the_sample_file_in_docs_reads_without_errors(settings):
    from pathlib import Path

    content = (Path(settings.BASE_DIR) / "docs" / "sample-staff-directory.csv").read_bytes()

    result = staff_directory_preview(actor=None, content=content, file_name="sample-staff-directory.csv")

    assert result.ok, result.unreadable or result.plan.errors
    assert result.plan.counts()["create"] == 15
    assert result.plan.new_schools == ["Caversham Park Primary School"]
