"""Running a case: officer assignment rules, timeline, outcomes (7.1, 7.3), letter, appeals, who sees what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case, CaseDeadline
from people.models import Notification
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def fresh(case):
    return Case.objects.get(pk=case.pk)


def test_the_subject_cannot_investigate_their_own_case():
    case = f.open_case(subject=f.user("headteacher"), reporter="employee")
    with pytest.raises(ValidationError) as exc:
        services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher"))
    assert "is the subject" in str(exc.value)


def test_the_line_manager_who_is_a_party_cannot_investigate():
    # The headteacher is the deputy's line manager and reported the concern.
    case = f.open_case(subject=f.user("manager"), reporter="headteacher")
    with pytest.raises(ValidationError) as exc:
        services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher"))
    assert "line manager and a party" in str(exc.value)
    assert fresh(case).investigating_officer is None and fresh(case).status == Case.Status.OPEN


def test_the_line_manager_who_is_not_a_party_may_investigate():
    case = f.open_case(subject=f.user("manager"), reporter="employee")
    case = services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher"))
    assert case.status == Case.Status.INVESTIGATING


def test_someone_interviewed_cannot_then_investigate():
    case = f.investigated_case(subject=f.staff_of(f.OAKFIELD, 1))
    interviewed = case.entries.get(kind="interview").interviewee
    from people.models import RoleAssignment

    RoleAssignment.objects.create(user=interviewed, role="investigator", organisation=f.school(f.OAKFIELD).parent)
    with pytest.raises(ValidationError) as exc:
        services.case_assign_investigator(actor=f.user("hr"), case=fresh(case), officer=interviewed)
    assert "named in the case" in str(exc.value)


def test_the_assign_form_shows_the_rule_beside_the_field(client_for):
    case = f.open_case(subject=f.user("manager"), reporter="headteacher")
    response = client_for("hr").post(
        reverse("cases:case_assign", args=[case.pk]), {"officer": f.user("headteacher").pk}
    )
    assert response.status_code == 200
    assert "line manager and a party" in " ".join(response.context["form"].errors["officer"])


def test_the_investigator_records_an_interview_and_a_finding_and_hr_is_told(client_for):
    case = services.case_assign_investigator(
        actor=f.user("hr"), case=f.open_case(subject=f.staff_of(f.OAKFIELD, 2)), officer=f.user("investigator")
    )
    client = client_for("investigator")
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:case_interview", args=[case.pk]),
        {"interviewee": f.staff_of(f.OAKFIELD, 6).pk, "interviewed_at": when, "statement": "I saw it."},
    )
    assert response.status_code == 302
    response = client.post(reverse("cases:case_finding", args=[case.pk]), {"finding": "Breach of 5.2 found."})
    assert response.status_code == 302
    assert fresh(case).finding == "Breach of 5.2 found."
    assert Notification.objects.filter(recipient__username="hr", subject__contains="Finding recorded").exists()


def test_an_interview_in_the_future_is_refused(client_for):
    case = services.case_assign_investigator(
        actor=f.user("hr"), case=f.open_case(subject=f.staff_of(f.OAKFIELD, 2)), officer=f.user("investigator")
    )
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("investigator").post(
        reverse("cases:case_interview", args=[case.pk]),
        {"interviewee_name": "A parent", "interviewed_at": later, "statement": "x"},
    )
    assert response.status_code == 200 and "before it happens" in str(response.context["form"].errors["interviewed_at"])
    assert not fresh(case).entries.filter(kind="interview").exists()


def test_the_investigator_cannot_record_the_outcome(client_for):
    case = f.investigated_case(subject=f.staff_of(f.OAKFIELD, 2))
    assert client_for("investigator").get(reverse("cases:case_outcome", args=[case.pk])).status_code == 404


def _hearing_case(subject_index=2):
    return f.held_case(subject=f.staff_of(f.OAKFIELD, subject_index))


def test_gross_misconduct_needs_a_recorded_serious_breach(client_for):
    case = _hearing_case()
    response = client_for("hr").post(
        reverse("cases:case_outcome", args=[case.pk]),
        {"kind": "summary_dismissal", "clauses_breached": ["3.3"], "reasons": "Bullying a colleague online."},
    )
    assert response.status_code == 200
    assert "serious breach" in " ".join(response.context["form"].errors["serious_breach_finding"])
    assert fresh(case).status == Case.Status.HEARING and not hasattr(fresh(case), "outcome")


def test_summary_dismissal_with_a_serious_breach_finding_is_recorded():
    case = _hearing_case()
    outcome = services.outcome_record(
        actor=f.user("hr"),
        case=case,
        kind="summary_dismissal",
        clauses_breached=["3.3"],
        reasons="Repeated posts mocking a colleague.",
        serious_breach="bullying",
        serious_breach_finding="A campaign of posts over three weeks aimed at one colleague.",
    )
    assert outcome.get_kind_display().startswith("Summary dismissal") and fresh(case).status == "outcome_recorded"


def test_a_warning_needs_an_expiry_date_in_the_future(client_for):
    case = _hearing_case()
    client = client_for("hr")
    url = reverse("cases:case_outcome", args=[case.pk])
    data = {"kind": "first_written", "clauses_breached": ["5.2"], "reasons": "Shared a pupil's name."}
    response = client.post(url, data)
    assert "needs the date it expires" in str(response.context["form"].errors["warning_expires_on"])
    response = client.post(url, {**data, "warning_expires_on": "2020-01-01"})
    assert "must be in the future" in str(response.context["form"].errors["warning_expires_on"])
    response = client.post(url, {**data, "warning_expires_on": "31/02/2027"})
    assert "Enter a valid date" in str(response.context["form"].errors["warning_expires_on"])
    assert not hasattr(fresh(case), "outcome")


def test_a_warning_cannot_be_given_before_a_hearing():
    case = f.investigated_case(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        services.outcome_record(
            actor=f.user("hr"),
            case=case,
            kind="final_written",
            clauses_breached=["5.2"],
            reasons="x",
            warning_expires_on=timezone.localdate() + dt.timedelta(days=30),
        )
    assert "only follow a disciplinary hearing" in str(exc.value)


def test_the_subject_sees_status_letter_and_appeal_form_but_never_the_reporter_or_notes(client_for):
    employee = f.user("employee")
    case = f.case_with_outcome(subject=employee)
    services.case_note_add(actor=f.user("investigator"), case=case, body="INTERNAL-NOTE-TEXT")
    client = client_for("employee")
    page = client.get(reverse("cases:my_case", args=[case.pk])).content.decode()
    assert "Final written warning" in page and "Lodge appeal" in page
    reporter = f.user("manager")
    assert "INTERNAL-NOTE-TEXT" not in page and reporter.get_full_name() not in page
    letter = client.get(reverse("cases:outcome_letter", args=[case.pk])).content.decode()
    assert "5.2 Personal communications" in letter and "7.1" in letter
    assert fresh(case).outcome.warning_expires_on.strftime("%d/%m/%Y") in letter
    assert reporter.get_full_name() not in letter and "INTERNAL-NOTE-TEXT" not in letter
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_every_read_of_a_case_is_on_the_audit_trail(client_for):
    case = f.case_with_outcome(subject=f.user("employee"))
    before = AuditEvent.objects.filter(kind="read", object_type="cases.case", object_id=str(case.pk)).count()
    client_for("hr").get(reverse("cases:case_detail", args=[case.pk]))
    client_for("investigator").get(reverse("cases:case_detail", args=[case.pk]))
    client_for("employee").get(reverse("cases:my_case", args=[case.pk]))
    client_for("employee").get(reverse("cases:outcome_letter", args=[case.pk]))
    reads = AuditEvent.objects.filter(kind="read", object_type="cases.case", object_id=str(case.pk))
    assert reads.count() == before + 4
    assert {"hr", "investigator", "employee"} <= set(reads.values_list("actor_label", flat=True))


def test_the_appeal_is_heard_by_someone_not_previously_involved(client_for):
    employee = f.user("employee")
    case = f.case_with_outcome(subject=employee)
    client_for("employee").post(reverse("cases:my_case", args=[case.pk]), {"grounds": "The group was private."})
    assert fresh(case).status == Case.Status.APPEAL
    # The HR officer ran the case, so they cannot hear the appeal.
    assert client_for("hr").get(reverse("cases:appeal_decide", args=[case.pk])).status_code == 404
    response = client_for("headofhr").post(
        reverse("cases:appeal_decide", args=[case.pk]),
        {"decision": "varied", "varied_to": "first_written", "reasons": "Mitigation accepted."},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.CLOSED and case.appeal.heard_by.username == "headofhr"
    assert case.appeal.get_varied_to_display() == "First written warning"


def test_an_appeal_after_the_deadline_is_refused(settings):
    case = f.case_with_outcome(subject=f.user("employee"))
    outcome = case.outcome
    outcome.decided_at = timezone.now() - dt.timedelta(days=settings.CASES_APPEAL_DAYS + 1)
    outcome.save()
    with pytest.raises(ValidationError) as exc:
        services.appeal_lodge(actor=f.user("employee"), case=fresh(case), grounds="Late.")
    assert "time to appeal ended" in str(exc.value)


def test_a_double_submitted_appeal_is_recorded_once(client_for):
    case = f.case_with_outcome(subject=f.user("employee"))
    client = client_for("employee")
    url = reverse("cases:my_case", args=[case.pk])
    client.post(url, {"grounds": "First"})
    response = client.post(url, {"grounds": "First"}, follow=True)
    assert response.status_code == 200 and "already appealed" in response.content.decode()
    assert fresh(case).appeal.grounds == "First"


def test_someone_else_cannot_appeal_for_the_subject():
    case = f.case_with_outcome(subject=f.user("employee"))
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.appeal_lodge(actor=f.user("manager"), case=case, grounds="On his behalf")


def test_re_verifying_evidence_detects_a_changed_file(client_for):
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    evidence = services.evidence_add_to_case(actor=f.user("investigator"), case=case, files=[f.png()])[0]
    client = client_for("investigator")
    client.post(reverse("cases:evidence_verify", args=[evidence.pk]))
    evidence.refresh_from_db()
    assert evidence.last_verified_ok is True
    path = default_storage.path(evidence.file.name)
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    response = client.post(reverse("cases:evidence_verify", args=[evidence.pk]), follow=True)
    evidence.refresh_from_db()
    assert evidence.last_verified_ok is False and "chain of custody broken" in response.content.decode()


def test_evidence_downloads_as_an_attachment_for_permitted_users_only(client_for):
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    evidence = services.evidence_add_to_case(actor=f.user("hr"), case=case, files=[f.png("proof.png")])[0]
    response = client_for("investigator").get(reverse("cases:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and 'attachment; filename="proof.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == f.PNG_BYTES
    assert client_for("headteacher").get(reverse("cases:evidence_download", args=[evidence.pk])).status_code == 404


def test_deadline_reminders_go_once_to_the_officer_and_hr():
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    CaseDeadline.objects.create(case=case, title="Interview notes", due_on=timezone.localdate())
    assert services.send_deadline_reminders(days_ahead=1) >= 1
    assert Notification.objects.filter(recipient__username="investigator", subject__startswith="Deadline").exists()
    assert services.send_deadline_reminders(days_ahead=1) == 0


def test_suspension_is_recorded_and_lifted(client_for):
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    client = client_for("hr")
    today = timezone.localdate()
    response = client.post(
        reverse("cases:case_suspend", args=[case.pk]),
        {"start": today.isoformat(), "review_on": (today - dt.timedelta(days=1)).isoformat(), "reason": "x"},
    )
    assert "on or after the start" in str(response.context["form"].errors["review_on"])
    client.post(
        reverse("cases:case_suspend", args=[case.pk]),
        {"start": today.isoformat(), "review_on": (today + dt.timedelta(days=14)).isoformat(), "reason": "Risk"},
    )
    assert fresh(case).is_suspended
    client.post(reverse("cases:case_suspension_lift", args=[case.pk]))
    assert not fresh(case).is_suspended


def test_script_tags_in_case_fields_are_escaped(client_for):
    script = "<script>alert(1)</script>"
    case = Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)
    services.case_note_add(actor=f.user("investigator"), case=case, body=script)
    services.case_deadline_add(actor=f.user("investigator"), case=case, title=script, due_on=timezone.localdate())
    page = client_for("hr").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_headteachers_see_only_counts_for_their_own_school(client_for):
    f.open_case(subject=f.staff_of(f.KENNET, 1))
    response = client_for("headteacher").get(reverse("people:dashboard"))
    panel = next(p for p in response.context["panels"] if p.title.startswith("Concerns about your school"))
    assert [r["name"] for r in panel.context["rows"]] == [f.OAKFIELD]
    assert panel.context["rows"][0]["active"] >= 1
    assert f.staff_of(f.OAKFIELD, 0).last_name not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_case_list_needs_the_same_queries_for_few_or_many_cases(client_for, extra, django_assert_max_num_queries):
    for i in range(extra):
        f.open_case(subject=f.staff_of(f.KENNET, i % 6))
    client = client_for("hr")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:case_list") + "?sort=subject")
    assert response.status_code == 200 and len(response.context["cases"]) >= 1


def test_the_investigator_lists_only_their_cases(client_for):
    f.open_case(subject=f.staff_of(f.KENNET, 1))
    cases = client_for("investigator").get(reverse("cases:case_list")).context["cases"]
    assert cases and all(c.investigating_officer.username == "investigator" for c in cases)
