"""People, roles, rest breaks, overtime and policy acknowledgement (clauses 1.3, 2.1)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from people import services
from people.models import Organisation, OvertimePeriod, PolicyAcknowledgement, RestBreak, User
from people.selectors import current_policy_version, employees_visible_to
from tests.factories import EmployeeFactory, PolicyVersionFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_acknowledging_twice_records_one_acknowledgement(demo_user):
    employee, version = demo_user("employee"), current_policy_version()
    first = services.policy_acknowledge(actor=employee, version=version)
    second = services.policy_acknowledge(actor=employee, version=version)
    assert first.pk == second.pk
    assert PolicyAcknowledgement.objects.filter(employee=employee, policy_version=version).count() == 1
    assert AuditEvent.objects.filter(action="policy.acknowledged", actor=employee).count() == 1


def test_a_double_submitted_acknowledgement_has_one_effect(client_for, demo_user):
    c = client_for("employee")
    url = f"/policy/{current_policy_version().pk}/acknowledge/"
    assert c.post(url).status_code == 302
    assert c.post(url).status_code == 302
    assert PolicyAcknowledgement.objects.filter(employee=demo_user("employee")).count() == 1


def test_a_new_policy_version_asks_everyone_again(demo_user, client_for):
    PolicyVersionFactory(version="2.0", effective_from=timezone.localdate())
    page = client_for("hr").get("/").content.decode()
    assert "Please read and acknowledge the Social media policy v2.0" in page


def test_only_the_head_of_hr_publishes_a_policy_version(demo_user):
    kwargs = {
        "version": "3.0",
        "title": "Social media policy",
        "summary": "Changes.",
        "effective_from": timezone.localdate(),
    }
    with pytest.raises(PermissionDenied):
        services.policy_version_publish(actor=demo_user("hr"), **kwargs)
    assert services.policy_version_publish(actor=demo_user("headofhr"), **kwargs).version == "3.0"


def test_a_manager_records_overtime_for_their_report_but_not_for_others(demo_user):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    period = services.overtime_record(
        actor=demo_user("manager"),
        employee=demo_user("employee"),
        start=start,
        end=start + dt.timedelta(hours=2),
        reason="Open evening",
    )
    assert period.recorded_by == demo_user("manager")
    stranger = User.objects.exclude(organisation__name="Oakfield Primary School").exclude(username="hr").first()
    with pytest.raises(PermissionDenied):
        services.overtime_record(
            actor=demo_user("manager"), employee=stranger, start=start, end=start + dt.timedelta(hours=1)
        )


def test_overlapping_overtime_is_refused(demo_user):
    start = timezone.now() - dt.timedelta(days=20)
    services.overtime_record(
        actor=demo_user("hr"), employee=demo_user("employee"), start=start, end=start + dt.timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="overlaps"):
        services.overtime_record(
            actor=demo_user("hr"),
            employee=demo_user("employee"),
            start=start + dt.timedelta(hours=1),
            end=start + dt.timedelta(hours=3),
        )


def test_the_overtime_form_explains_a_backwards_period_beside_the_field(client_for, demo_user):
    employee = demo_user("employee")
    before = OvertimePeriod.objects.count()
    response = client_for("manager").post(
        f"/people/employees/{employee.pk}/overtime/new/",
        {"start": "2026-11-20T18:00", "end": "2026-11-20T17:00", "reason": "<script>alert(1)</script>"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Overtime must end after it starts." in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert OvertimePeriod.objects.count() == before


def test_an_unparseable_date_is_refused_with_a_message(client_for, demo_user):
    response = client_for("manager").post(
        f"/people/employees/{demo_user('employee').pk}/overtime/new/",
        {"start": "yesterday-ish", "end": "2026-13-45T99:00"},
    )
    assert response.status_code == 200
    assert "Enter a valid date/time." in response.content.decode()


def test_rest_breaks_on_the_same_day_cannot_overlap(demo_user):
    school = Organisation.objects.get(name="Oakfield Primary School")
    clash = RestBreak(organisation=school, weekday=0, start=dt.time(12, 30), end=dt.time(13, 30), label="Extra")
    with pytest.raises(ValidationError, match="overlaps"):
        services.rest_break_save(actor=demo_user("bizmanager"), rest_break=clash)


def test_a_business_manager_cannot_change_another_schools_breaks(demo_user):
    other = Organisation.objects.get(name="Kennet Valley Academy")
    with pytest.raises(PermissionDenied):
        services.rest_break_save(
            actor=demo_user("bizmanager"),
            rest_break=RestBreak(organisation=other, weekday=5, start=dt.time(9), end=dt.time(9, 15)),
        )


def test_deleting_a_rest_break_asks_first_and_is_audited(client_for):
    school = Organisation.objects.get(name="Oakfield Primary School")
    rest_break = school.rest_breaks.first()
    c = client_for("bizmanager")
    url = f"/people/organisations/{school.pk}/rest-breaks/{rest_break.pk}/delete/"
    assert "Delete this rest break?" in c.get(url).content.decode()
    assert RestBreak.objects.filter(pk=rest_break.pk).exists()
    c.post(url)
    assert not RestBreak.objects.filter(pk=rest_break.pk).exists()
    assert AuditEvent.objects.filter(action="rest_break.deleted", object_id=str(rest_break.pk)).exists()


def test_a_line_management_loop_is_refused(demo_user):
    headteacher = demo_user("headteacher")
    headteacher.line_manager = demo_user("employee")
    with pytest.raises(ValidationError, match="loop"):
        headteacher.full_clean()


def test_the_database_refuses_a_school_without_a_council():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Orphan School", kind="school")


def test_role_scoped_to_the_wrong_kind_of_organisation_is_refused(demo_user):
    from people.models import RoleAssignment

    council = Organisation.objects.get(kind="council")
    with pytest.raises(ValidationError, match="belongs to a school"):
        RoleAssignment(user=demo_user("employee"), role="headteacher", organisation=council).full_clean()


def test_a_headteacher_sees_their_own_school_and_not_another(demo_user):
    visible = employees_visible_to(demo_user("headteacher"))
    assert (
        visible.filter(organisation__name="Oakfield Primary School").count()
        == User.objects.filter(organisation__name="Oakfield Primary School").count()
    )
    assert not visible.filter(organisation__name="Kennet Valley Academy").exists()


def test_the_superuser_gets_no_blanket_pass_to_employee_records(demo_user):
    admin = demo_user("admin")
    assert admin.is_superuser
    assert not admin.has_perm("people.view_employee", demo_user("employee"))
    assert admin.has_perm("people.view_user")  # the admin site still works


def test_employee_list_makes_the_same_number_of_queries_for_few_and_many_rows(client_for, django_assert_num_queries):
    c = client_for("hr")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get("/people/employees/", {"q": "Wilson"})
    school = SchoolFactory()
    EmployeeFactory.create_batch(40, organisation=school, last_name="Wilsonby")
    with CaptureQueriesContext(connection) as many:
        response = c.get("/people/employees/", {"q": "Wilson"})
    assert response.context["paginator"].count > 40
    assert len(many) == len(few)


def test_employee_list_sorts_and_filters(client_for):
    c = client_for("hr")
    response = c.get("/people/employees/", {"sort": "-name", "status": "active"})
    names = [e.last_name for e in response.context["employees"]]
    assert names == sorted(names, reverse=True)
    assert c.get("/people/employees/", {"sort": "password"}).status_code == 200  # not a sortable column


def test_viewing_someone_elses_record_is_audited(client_for, demo_user):
    employee = demo_user("employee")
    client_for("headteacher").get(f"/people/employees/{employee.pk}/")
    assert AuditEvent.objects.filter(action="user.viewed", object_id=str(employee.pk), kind="read").exists()


class TestBadInput:
    def test_an_unknown_url_gets_the_styled_404(self, client_for):
        response = client_for("employee").get("/no/such/page/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_a_forged_id_is_404_not_500(self, client_for):
        assert client_for("hr").get("/people/employees/999999999/").status_code == 404
        assert client_for("hr").get("/people/organisations/999999999/").status_code == 404

    def test_a_post_without_csrf_token_is_refused_and_saves_nothing(self, demo_user):
        c = Client(enforce_csrf_checks=True)
        c.force_login(demo_user("employee"))
        response = c.post(f"/policy/{current_policy_version().pk}/acknowledge/")
        assert response.status_code == 403
        assert "This form has expired" in response.content.decode()
        assert not PolicyAcknowledgement.objects.filter(employee=demo_user("employee")).exists()

    def test_a_wrong_password_is_refused_with_a_clear_message(self, client):
        response = client.post("/accounts/login/", {"username": "employee", "password": "nope"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()

    def test_the_403_page_leaks_nothing(self, client_for):
        body = client_for("employee").get("/audit/").content.decode()
        assert "You do not have access to this page" in body and "Traceback" not in body
