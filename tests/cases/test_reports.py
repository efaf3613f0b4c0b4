"""Reporting a concern, named and anonymous, and the bad input the form must refuse."""

import datetime as dt
import hashlib
import io
import uuid

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Evidence, IncidentReport, ReportMessage
from tests.cases import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def form_data(**overrides):
    data = {
        "subject": f.staff_of(f.OAKFIELD, 5).pk,
        "subject_description": "",
        "capacity": "personal",
        "platform": "facebook",
        "link": "https://www.facebook.com/example/posts/9",
        "occurred_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Posted about a pupil by name.",
        "categories": ["confidentiality"],
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def post_report(client, **overrides):
    return client.post(reverse("cases:report_create"), form_data(**overrides))


def test_employee_reports_a_concern_with_evidence_stored_privately_with_its_hash(client_for, private_storage):
    client = client_for("employee")
    before = IncidentReport.objects.count()
    response = post_report(client, files=[f.png("post.png")])
    assert response.status_code == 302
    report = IncidentReport.objects.latest("reported_at")
    assert IncidentReport.objects.count() == before + 1
    assert report.reporter.username == "employee" and not report.anonymous
    evidence = report.evidence.get()
    assert evidence.sha256 == hashlib.sha256(f.PNG_BYTES).hexdigest()
    assert evidence.original_name == "post.png" and evidence.content_type == "image/png"
    stored = private_storage / evidence.file.name
    assert stored.exists() and "post.png" not in evidence.file.name
    # The reporter follows their report's status, but is not shown the case or HR's internal view.
    status = client.get(reverse("cases:report_status", args=[report.pk]))
    assert status.status_code == 200 and "Awaiting triage" in status.content.decode()
    assert client.get(reverse("cases:report_detail", args=[report.pk])).status_code in {403, 404}


def test_anonymous_report_keeps_no_link_to_the_reporter_and_gives_a_receipt_key(client_for):
    client = client_for("employee")
    response = post_report(client, anonymous="on", files=[f.png()])
    assert response.status_code == 200
    key = response.context["key"]
    report = IncidentReport.objects.latest("reported_at")
    assert report.anonymous and report.reporter is None
    assert report.receipt_key_hash and key not in report.receipt_key_hash
    assert report.evidence.get().uploaded_by is None
    events = AuditEvent.objects.filter(object_type="cases.incidentreport", object_id=str(report.pk))
    assert events.exists() and all(e.actor_id is None and e.ip_address is None for e in events)
    assert key in response.content.decode()
    assert report.pk not in set(
        IncidentReport.objects.filter(reporter__username="employee").values_list("pk", flat=True)
    )

    # HR asks a question; the reporter reads it and answers with the key alone.
    services.report_ask_reporter(actor=f.user("hr"), report=report, question="When did you first see it?")
    page = client.post(reverse("cases:receipt"), {"key": key.lower()})
    assert "When did you first see it?" in page.content.decode()
    reply = client.post(reverse("cases:receipt"), {"key": key, "body": "On Monday morning."})
    assert reply.status_code == 200
    message = ReportMessage.objects.get(report=report, sender="reporter")
    assert message.author is None and message.body == "On Monday morning."


def test_a_wrong_receipt_key_finds_nothing_and_says_so(client_for):
    response = client_for("employee").post(reverse("cases:receipt"), {"key": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 200
    assert "No report matches that key" in response.content.decode()


def test_an_anonymous_reply_with_another_reports_key_is_refused(client_for):
    one = f.report(anonymous=True)
    two = f.report(anonymous=True)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.report_reply(actor=f.user("employee"), report=two, body="hi", receipt_key=one.receipt_key)
    assert not ReportMessage.objects.filter(report=two).exists()


def test_script_tags_in_every_text_field_are_shown_escaped(client_for):
    client = client_for("hr")
    response = post_report(
        client,
        subject="",
        subject_description=SCRIPT,
        description=SCRIPT,
        on_behalf_of=SCRIPT,
    )
    assert response.status_code == 302
    report = IncidentReport.objects.latest("reported_at")
    services.report_ask_reporter(actor=f.user("headofhr"), report=report, question=SCRIPT)
    page = client_for("headofhr").get(reverse("cases:report_detail", args=[report.pk])).content.decode()
    assert SCRIPT not in page
    assert page.count(ESCAPED) >= 3


def test_a_date_in_the_future_is_refused_beside_the_field_and_nothing_is_saved(client_for):
    before = IncidentReport.objects.count()
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = post_report(client_for("employee"), occurred_at=future, files=[f.png()])
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_at"] == ["The date cannot be in the future."]
    assert IncidentReport.objects.count() == before and not Evidence.objects.filter(report__isnull=True).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_at", "31/02/2026 10:00", "Enter a valid date/time."),
        ("description", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("subject", "999999999", "Select a valid choice"),
        ("categories", ["not-a-rule"], "Select a valid choice"),
        ("link", "javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_bad_input_is_refused_with_a_message_beside_the_field(client_for, field, value, message):
    before = IncidentReport.objects.count()
    response = post_report(client_for("employee"), **{field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert IncidentReport.objects.count() == before


def test_a_200_mb_upload_is_refused_without_being_stored(client_for, private_storage):
    before = IncidentReport.objects.count()
    big = SimpleUploadedFile("huge.png", f.PNG_BYTES + b"\0" * (200 * 1024 * 1024), content_type="image/png")
    response = post_report(client_for("employee"), files=[big])
    assert response.status_code == 200
    assert "is larger than the" in " ".join(response.context["form"].errors["files"])
    assert IncidentReport.objects.count() == before
    assert not list(private_storage.rglob("*.png"))


def test_an_executable_renamed_png_is_refused_by_its_content(client_for):
    before = IncidentReport.objects.count()
    exe = SimpleUploadedFile(
        "holiday.png", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    )
    response = post_report(client_for("employee"), files=[exe])
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "holiday.png" in errors and ("content was checked" in errors or "really a" in errors)
    assert IncidentReport.objects.count() == before


def test_an_elf_binary_renamed_png_is_refused(client_for):
    elf = SimpleUploadedFile("photo.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    response = post_report(client_for("employee"), files=[elf])
    errors = " ".join(response.context["form"].errors["files"])
    assert "is really a program, which we do not accept" in errors and "application/" not in errors


def test_a_pdf_named_png_is_refused_as_a_mismatch(client_for):
    pdf = SimpleUploadedFile("scan.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    response = post_report(client_for("employee"), files=[pdf])
    assert "named .png but it is really a PDF document" in " ".join(response.context["form"].errors["files"])


def test_a_file_name_with_folder_parts_is_refused_by_the_service():
    before = IncidentReport.objects.count()
    with pytest.raises(Exception) as exc:
        # Django's own upload objects already strip folders; a caller passing a plain File must not slip one in.
        f.report(files=[File(io.BytesIO(f.PNG_BYTES), name="../../etc/passwd.png")])
    assert "../" in str(exc.value)
    assert IncidentReport.objects.count() == before


def test_a_file_name_with_folder_parts_sent_over_http_never_leaves_private_storage(client_for, private_storage):
    upload = SimpleUploadedFile("../../../outside.png", f.PNG_BYTES, content_type="image/png")
    response = post_report(client_for("employee"), files=[upload])
    assert response.status_code == 302
    evidence = Evidence.objects.latest("uploaded_at")
    assert "/" not in evidence.original_name and ".." not in evidence.original_name
    stored = (private_storage / evidence.file.name).resolve()
    assert stored.is_relative_to(private_storage.resolve()) and stored.exists()


def test_a_double_submitted_report_is_recorded_once(client_for):
    client = client_for("employee")
    data = form_data()
    before = IncidentReport.objects.count()
    first = client.post(reverse("cases:report_create"), data)
    second = client.post(reverse("cases:report_create"), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already received" in second.content.decode()
    assert IncidentReport.objects.count() == before + 1


def test_other_apps_can_file_a_self_report():
    employee = f.user("employee")
    report = services.incident_report_create(
        reporter=employee,
        subject=employee,
        self_reported=True,
        capacity="personal",
        platform="x",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        description="My profile name contained the school's name; I have changed it.",
        categories=["profile_name"],
    )
    assert report.self_reported and report.reporter == employee and report.subject == employee


def test_a_self_report_cannot_name_someone_else():
    with pytest.raises(Exception) as exc:
        f.report(reporter="employee", subject=f.staff_of(f.OAKFIELD, 1), self_reported=True)
    assert "self-report" in str(exc.value)


def test_only_hr_sees_the_on_behalf_field(client_for):
    assert "on_behalf_of" not in client_for("employee").get(reverse("cases:report_create")).context["form"].fields
    assert "on_behalf_of" in client_for("hr").get(reverse("cases:report_create")).context["form"].fields
