"""The monitoring pages: lists with guards on queries, forms with bad input, uploads, audited reads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from monitoring.models import Site, UsageDay, UsageImport
from tests.clock import today
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _usage_days(n):
    employees = EmployeeFactory.create_batch(n)
    UsageDay.objects.bulk_create(
        [
            UsageDay(
                employee=e, day=today() - dt.timedelta(days=1), minutes_outside_breaks=40, possible_excessive_use=True
            )
            for e in employees
        ]
    )


@pytest.mark.parametrize("rows", [1, 30])
def test_the_overview_keeps_its_queries_bounded(client_for, django_assert_max_num_queries, rows):
    _usage_days(rows)
    c = client_for("hr")
    with django_assert_max_num_queries(17):
        response = c.get("/monitoring/?sort=-flagged&flagged=on&days=7")
    assert response.status_code == 200
    assert b"Possible excessive use" in response.content


def test_the_overview_shows_the_demo_pointer_and_records_the_read(client_for):
    response = client_for("hr").get("/monitoring/")
    assert "James Wilson" in response.content.decode()
    assert b"Possible excessive use" in response.content
    assert AuditEvent.objects.filter(action="monitoring.overview_viewed", actor_label="hr").exists()


def test_the_overview_filters_by_name_and_has_a_helpful_empty_state(client_for):
    response = client_for("hr").get("/monitoring/?q=Nobody-by-this-name&days=90&sort=-nonsense")
    assert response.status_code == 200
    assert b"No social media use in this period" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/monitoring/sites/",
        "/monitoring/imports/",
        "/monitoring/checks/",
        "/monitoring/withdrawals/",
        "/monitoring/identities/",
    ],
)
def test_lists_keep_their_queries_bounded(client_for, django_assert_max_num_queries, url):
    c = client_for("hr")
    with django_assert_max_num_queries(18):
        assert c.get(url).status_code == 200


def test_reading_an_employees_usage_is_audited(client_for, demo_user):
    employee = demo_user("employee")
    response = client_for("headofhr").get(f"/monitoring/employees/{employee.pk}/usage/")
    assert response.status_code == 200
    assert response.context["totals"]["outside_breaks"] >= 45
    assert b"usage-chart-data" in response.content
    event = AuditEvent.objects.filter(action="monitoring.usage_viewed", object_id=str(employee.pk)).latest("id")
    assert event.actor_label == "headofhr" and event.kind == "read"


def test_a_bad_period_falls_back_to_the_last_30_days(client_for, demo_user):
    employee = demo_user("employee")
    response = client_for("hr").get(f"/monitoring/employees/{employee.pk}/usage/?start=2026-99-01&end=x")
    assert response.status_code == 200
    assert response.context["period_end"] == today()


def test_hr_upload_a_log_and_see_its_report(client_for, demo_user):
    moment = timezone.now() - dt.timedelta(hours=2)
    data = (
        f"{moment.timestamp():.3f} 10 10.10.1.1 TCP_MISS/200 100 GET http://www.facebook.com/ employee - text/html\n"
        f"{moment.timestamp():.3f} 10 10.10.1.1 TCP_MISS/200 100 GET http://www.gov.uk/ employee - text/html\n"
        "garbage\n"
    ).encode()
    upload = SimpleUploadedFile("proxy.log", data, content_type="text/plain")
    response = client_for("hr").post("/monitoring/imports/new/", {"file": upload, "format": "squid"}, follow=True)
    report = response.context["report"]
    assert (report.lines_read, report.lines_kept, report.lines_dropped, report.lines_rejected) == (3, 1, 1, 1)
    assert b"line" in response.content and b"Rejected lines" in response.content


def test_the_upload_form_refuses_a_csv_without_mapping_and_oversize_files(client_for, settings):
    c = client_for("hr")
    response = c.post("/monitoring/imports/new/", {"file": SimpleUploadedFile("a.csv", b"x"), "format": "csv"})
    assert "mapping" in response.context["form"].errors
    settings.MAX_UPLOAD_BYTES = 1024
    response = c.post("/monitoring/imports/new/", {"file": SimpleUploadedFile("a.log", b"x" * 2048), "format": "squid"})
    assert "larger than" in response.context["form"].errors["file"][0]
    response = c.post("/monitoring/imports/new/", {"format": "nonsense"})
    assert set(response.context["form"].errors) == {"file", "format"}
    assert not UsageImport.objects.filter(file_name="a.log").exists()


def test_a_failed_upload_says_that_nothing_was_imported(client_for):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 50)
    response = client_for("hr").post("/monitoring/imports/new/", {"file": upload, "format": "squid"}, follow=True)
    assert b"Nothing was imported" in response.content


def test_hr_add_a_site_and_it_refuses_bad_or_taken_domains(client_for):
    c = client_for("hr")
    ok = c.post(
        "/monitoring/sites/new/",
        {"name": "Nextdoor", "category": "network", "is_active": "on", "domains_text": "nextdoor.com\nNEXTDOOR.co.uk"},
    )
    assert ok.status_code == 302
    assert Site.objects.get(name="Nextdoor").domains == ["nextdoor.com", "nextdoor.co.uk"]
    taken = c.post("/monitoring/sites/new/", {"name": "Copy", "category": "network", "domains_text": "facebook.com"})
    assert "already belongs to Facebook" in taken.context["form"].errors["domains_text"][0]
    bad = c.post(
        "/monitoring/sites/new/", {"name": "<script>x</script>" * 20, "category": "x", "domains_text": "not a domain!"}
    )
    assert set(bad.context["form"].errors) == {"name", "category", "domains_text"}
    assert b"<script>x</script>" not in bad.content


def test_an_employee_never_reaches_monitoring_pages_about_others(client_for, demo_user):
    c = client_for("employee")
    other = demo_user("manager")
    for url in [
        "/monitoring/",
        f"/monitoring/employees/{other.pk}/usage/",
        "/monitoring/imports/",
        "/monitoring/identities/",
        "/monitoring/withdrawals/block-list/csv/",
    ]:
        assert c.get(url).status_code in (403, 404), url


def test_an_employee_sees_their_own_usage(client_for):
    response = client_for("employee").get("/monitoring/my/")
    assert response.status_code == 200
    assert len(response.context["usage_days"]) > 0


def test_hr_panel_shows_the_pointer_and_the_check_awaiting_decision(client_for):
    page = client_for("hr").get("/").content.decode()
    assert "Internet use monitoring" in page
    assert "awaiting your decision" in page


def test_the_demo_world_has_monitoring_to_look_at(demo_user):
    from monitoring.models import AccessWithdrawal, MonitoringCheck

    flagged = UsageDay.objects.filter(possible_excessive_use=True).values_list("employee__username", flat=True)
    assert set(flagged) == {"employee"}
    assert MonitoringCheck.objects.filter(
        requested_by=demo_user("manager"), employee=demo_user("employee"), status="requested"
    ).exists()
    assert AccessWithdrawal.objects.filter(status="active").count() == 1
    assert UsageImport.objects.filter(status="done", lines_kept__gt=100).exists()


def test_hr_edit_a_site_and_add_an_address_range_and_a_mapping(client_for):
    from monitoring.models import AddressRange, CsvMapping
    from people.models import Organisation

    c = client_for("hr")
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    site = Site.objects.get(name="Mumsnet")
    edit = {"name": "Mumsnet", "category": "network", "domains_text": "mumsnet.com"}
    assert c.post(f"/monitoring/sites/{site.pk}/edit/", edit).status_code == 302
    assert not Site.objects.get(pk=site.pk).is_active  # the box was left unticked
    bad = c.post(
        "/monitoring/address-ranges/new/", {"organisation": oakfield.pk, "network": "10.300.0.0/16", "device": "school"}
    )
    assert "network" in bad.context["form"].errors
    ok = c.post(
        "/monitoring/address-ranges/new/", {"organisation": oakfield.pk, "network": "10.40.0.1/16", "device": "own"}
    )
    assert ok.status_code == 302
    assert AddressRange.objects.filter(network="10.40.0.0/16").exists()
    no_identity = c.post(
        "/monitoring/mappings/new/",
        {"name": "Lightspeed", "delimiter": ",", "time_column": "ts", "time_format": "epoch", "url_column": "url"},
    )
    assert b"Name the column with the user name" in no_identity.content
    assert not CsvMapping.objects.filter(name="Lightspeed").exists()


@pytest.mark.parametrize("rows", [1, 25])
def test_the_check_list_keeps_its_queries_bounded(client_for, demo_user, django_assert_max_num_queries, rows):
    from tests.monitoring.factories import MonitoringCheckFactory

    MonitoringCheckFactory.create_batch(rows, requested_by=demo_user("manager"))
    for username in ("hr", "manager"):
        c = client_for(username)
        with django_assert_max_num_queries(9):
            response = c.get("/monitoring/checks/?sort=employee")
        assert response.status_code == 200
        assert len(response.context["checks"]) >= min(rows, 25)


def test_every_page_with_personal_monitoring_data_is_on_the_audit_trail(client_for):
    c = client_for("hr")
    report = UsageImport.objects.order_by("pk").first()
    before = AuditEvent.objects.filter(kind="read").count()
    for url in ["/monitoring/", "/monitoring/identities/", report.get_absolute_url()]:
        assert c.get(url).status_code == 200
    assert AuditEvent.objects.filter(kind="read").count() == before + 3


@pytest.mark.parametrize("minutes", [1, 300])
def test_an_employees_usage_page_makes_the_same_queries_for_few_or_many_minutes(
    client_for, demo_user, django_assert_max_num_queries, minutes
):
    from monitoring.models import UsageRecord
    from tests.monitoring.factories import UsageRecordFactory

    employee = demo_user("employee")
    site = Site.objects.order_by("pk").first()
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=3)
    UsageRecord.objects.bulk_create(
        UsageRecordFactory.build(
            employee=employee, site=site, identity_value="jwilson", started_at=start + dt.timedelta(minutes=i)
        )
        for i in range(minutes)
    )
    c = client_for("hr")
    with django_assert_max_num_queries(21):
        response = c.get(f"/monitoring/employees/{employee.pk}/usage/")
    assert response.status_code == 200 and response.context["totals"]
    assert client_for("employee").get(f"/monitoring/employees/{employee.pk}/usage/").status_code in {403, 404}


def test_the_overview_counts_its_employees_in_the_page_query(client_for, django_assert_max_num_queries):
    _usage_days(30)
    c = client_for("hr")
    expected = UsageDay.objects.filter(day__gte=today() - dt.timedelta(days=13)).values("employee").distinct().count()
    first = c.get("/monitoring/")
    assert first.context["paginator"].count == expected > 25
    assert len(first.context["rows"]) == 25
    second = c.get("/monitoring/?page=2")
    assert second.context["paginator"].count == expected
    assert len(second.context["rows"]) == expected - 25
    assert not {e.pk for e in first.context["rows"]} & {e.pk for e in second.context["rows"]}
    assert c.get("/monitoring/?page=9").status_code == 404
    flagged = c.get("/monitoring/?flagged=on&days=7")
    assert flagged.context["paginator"].count >= 30
    assert all(e.flagged_days for e in flagged.context["rows"])
