"""An applicant moves through the declared selection workflow only; the admin cannot set a status freely."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from recruitment import services
from recruitment.models import Applicant, Vacancy
from tests.recruitment.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
S = Applicant.Status


def _move(actor, applicant, status):
    return services.applicant_set_status(actor=actor, applicant=applicant, status=status)


def test_an_applicant_goes_from_application_to_appointment_and_each_step_is_audited(demo_user):
    hr, applicant = demo_user("hr"), ApplicantFactory()
    for status in (S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.APPOINTED):
        applicant = _move(hr, applicant, status)
        assert Applicant.objects.get(pk=applicant.pk).status == status
    moves = AuditEvent.objects.filter(action="applicant.status_changed", object_id=str(applicant.pk))
    assert [e.details["to"] for e in moves.order_by("pk")] == ["shortlisted", "interview", "offered", "appointed"]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], S.OFFERED),  # no offer without an interview
        ([], S.APPOINTED),
        ([S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.APPOINTED], S.APPLIED),  # appointed is final
        ([S.WITHDRAWN], S.SHORTLISTED),  # so is withdrawn
        ([S.UNSUCCESSFUL], S.INTERVIEW),  # and unsuccessful
        ([S.SHORTLISTED], S.SHORTLISTED),  # not a move at all
    ],
)
def test_a_move_the_workflow_does_not_declare_is_refused_with_a_message_and_nothing_changes(demo_user, path, refused):
    hr, applicant = demo_user("hr"), ApplicantFactory()
    for status in path:
        applicant = _move(hr, applicant, status)
    before = Applicant.objects.get(pk=applicant.pk).status
    with pytest.raises(ValidationError) as exc:
        _move(hr, applicant, refused)
    assert "cannot be moved" in exc.value.message_dict["status"][0]
    assert Applicant.objects.get(pk=applicant.pk).status == before


def test_the_page_says_why_a_move_is_refused(client_for):
    applicant = Applicant.objects.filter(vacancy__status=Vacancy.Status.OPEN, status=S.APPLIED).first()
    response = client_for("hr").post(
        reverse("recruitment:applicant_status", args=[applicant.pk]), {"status": "appointed"}, follow=True
    )
    assert response.status_code == 200
    assert "cannot be moved" in response.content.decode()
    assert Applicant.objects.get(pk=applicant.pk).status == S.APPLIED


def test_the_admin_lists_applicants_but_does_not_edit_their_status():
    inline = next(i for i in admin.site._registry[Vacancy].inlines if i.model is Applicant)
    assert "status" in inline.readonly_fields
