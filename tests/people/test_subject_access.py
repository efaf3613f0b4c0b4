"""Subject access: an employee sees everything held about them, and nothing about anyone else."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from people import sar
from people.models import SubjectAccessRequest, User
from tests.disclosures.factories import declare

pytestmark = pytest.mark.django_db


def _export(client) -> dict:
    response = client.get("/my-data/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def _section(data, key):
    return next(s for s in data["sections"] if s["key"] == key)


def test_the_export_holds_my_record_acknowledgements_disclosures_and_nothing_about_others(client_for, demo_user):
    me, outsider = demo_user("employee"), demo_user("manager")
    declare(me, handle="@jwilson_reads", display_name="James reads")
    declare(outsider, handle="@sbennett_private", display_name="Sarah B")
    data = _export(client_for("employee"))
    assert data["employee"]["username"] == "employee"
    assert _section(data, "profile")["items"][0]["staff number"] == me.staff_number
    handles = [item["handle"] for item in _section(data, "disclosures")["items"]]
    assert handles == ["@jwilson_reads"]
    text = json.dumps(data)
    assert "@sbennett_private" not in text and outsider.staff_number not in text
    assert AuditEvent.objects.filter(action="subject_data.exported", actor=me).exists()


def test_a_withheld_section_says_so_and_shows_nothing(client_for, demo_user):
    me = demo_user("employee")
    sar.withholding_record(
        actor=demo_user("hr"), employee=me, section="overtime", reason="Open investigation (DPA 2018 Sch. 2 para 2)"
    )
    section = _section(_export(client_for("employee")), "overtime")
    assert section["withheld"] is True and section["items"] == []
    assert "Open investigation" in section["reason"]
    page = client_for("employee").get("/my-data/").content.decode()
    assert "Withheld for now under a recorded exemption" in page


def test_an_expired_exemption_no_longer_hides_anything(client_for, demo_user):
    sar.withholding_record(
        actor=demo_user("hr"),
        employee=demo_user("employee"),
        section="overtime",
        reason="Old investigation",
        until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert _section(_export(client_for("employee")), "overtime")["withheld"] is False


def test_the_register_gives_a_one_calendar_month_deadline(demo_user):
    request = sar.sar_log(actor=demo_user("hr"), employee=demo_user("employee"), received_on=dt.date(2026, 1, 31))
    assert request.due_on == dt.date(2026, 2, 28)


def test_only_hr_logs_requests_and_not_in_the_future(demo_user):
    with pytest.raises(PermissionDenied):
        sar.sar_log(actor=demo_user("manager"), employee=demo_user("employee"), received_on=timezone.localdate())
    with pytest.raises(ValidationError, match="future"):
        sar.sar_log(
            actor=demo_user("hr"),
            employee=demo_user("employee"),
            received_on=timezone.localdate() + dt.timedelta(days=2),
        )


def test_hr_logs_and_completes_a_request_through_the_pages(client_for, demo_user):
    c = client_for("hr")
    response = c.post("/people/subject-access/", {"employee": demo_user("employee").pk, "received_on": "2026-11-20"})
    created = SubjectAccessRequest.objects.get(employee=demo_user("employee"))
    assert response["Location"] == created.get_absolute_url()
    assert "James Wilson" in c.get(created.get_absolute_url()).content.decode()
    c.post(f"/people/subject-access/{created.pk}/complete/")
    c.post(f"/people/subject-access/{created.pk}/complete/")  # a second click changes nothing
    created.refresh_from_db()
    assert created.status == "completed"
    assert AuditEvent.objects.filter(action="subject_access.completed").count() == 1


def test_bad_input_on_the_register_is_explained_and_saves_nothing(client_for):
    response = client_for("hr").post(
        "/people/subject-access/", {"employee": "999999", "received_on": "31/02/2026", "notes": "<script>x</script>"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body and "Enter a valid date." in body
    assert "<script>x</script>" not in body
    assert not SubjectAccessRequest.objects.exists()


def test_a_withholding_without_a_reason_is_refused_beside_the_field(client_for, demo_user):
    request = sar.sar_log(actor=demo_user("hr"), employee=demo_user("employee"), received_on=timezone.localdate())
    response = client_for("hr").post(f"/people/subject-access/{request.pk}/withhold/", {"section": "nope"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.get(username="employee").data_withholdings.exists()


def test_the_export_shows_my_reports_but_never_who_reported_me(client_for, demo_user):
    import datetime as dt

    from cases.services import incident_report_create

    me, colleague = demo_user("employee"), demo_user("manager")
    about_me = incident_report_create(
        reporter=colleague,
        subject=me,
        capacity="personal",
        platform="facebook",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        description="A post about a parent",
        categories=["disrepute"],
    )
    mine = incident_report_create(
        reporter=me,
        subject=colleague,
        capacity="personal",
        platform="x",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        description="Something seen",
        categories=["other"],
    )
    data = _export(client_for("employee"))
    assert mine.reference in [r["reference"] for r in _section(data, "reports_you_made")["items"]]
    text = json.dumps(data)
    # A report about me, before any case is opened, is HR's to triage: neither it nor its reporter shows.
    assert about_me.reference not in text and "A post about a parent" not in text


def test_the_export_holds_the_monitoring_data_kept_about_me_and_not_about_colleagues(client_for, demo_user):
    from monitoring.models import UsageDay

    me = demo_user("employee")
    assert UsageDay.objects.filter(employee=me).exists(), "the demo world imports usage for the demo employee"
    data = _export(client_for("employee"))
    days = _section(data, "monitoring_usage")["items"]
    # Exactly my days: colleagues' usage (which the demo world also holds) is not in my export.
    assert len(days) == UsageDay.objects.filter(employee=me).count() < UsageDay.objects.count()
    assert any(d["possible excessive use"] for d in days)
