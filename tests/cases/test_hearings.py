"""The order of a fair process (ACAS Code): a hearing with reasonable notice, recorded as held, and only then an
outcome, which HR confirms before the employee is told."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case
from cases.services.hearings import is_working_day, working_days_after
from people.models import Notification
from tests.cases import factories as f

pytestmark = pytest.mark.django_db

PANEL = "Headteacher (chair) and HR adviser"


def fresh(case):
    return Case.objects.get(pk=case.pk)


def _investigated(index=2):
    return f.investigated_case(subject=f.staff_of(f.OAKFIELD, index))


def _outcome(case, **overrides):
    data = dict(
        actor=f.user("hr"),
        case=case,
        kind="first_written",
        reasons="You shared a pupil's details in a public group.",
        clauses_breached=["5.2"],
        warning_expires_on=timezone.localdate() + dt.timedelta(days=365),
    )
    return services.outcome_record(**{**data, **overrides})


# --- notice --------------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_bank_holidays_in_england_and_wales():
    # Pure calendar arithmetic on fixed dates (no "today" involved).
    christmas_eve = dt.date(2026, 12, 24)  # a Thursday
    assert not is_working_day(dt.date(2026, 12, 25)) and not is_working_day(dt.date(2026, 12, 28))  # observed
    assert working_days_after(christmas_eve, 1) == dt.date(2026, 12, 29)
    assert working_days_after(dt.date(2027, 3, 25), 1) == dt.date(2027, 3, 30)  # Good Friday, Easter Monday
    assert working_days_after(dt.date(2027, 3, 5), 5) == dt.date(2027, 3, 12)  # Friday to Friday


def test_a_hearing_in_the_past_is_refused():
    case = _investigated()
    with pytest.raises(ValidationError) as exc:
        services.case_hearing_schedule(
            actor=f.user("hr"), case=case, hearing_at=timezone.now() - dt.timedelta(hours=1), panel=PANEL
        )
    assert "in the future" in str(exc.value.message_dict["hearing_at"])
    assert fresh(case).status == Case.Status.INVESTIGATING and fresh(case).hearing_at is None


def test_a_hearing_without_the_usual_notice_is_refused_beside_the_field(client_for):
    case = _investigated()
    earliest = services.earliest_hearing_date()
    too_soon = f.hearing_on(earliest - dt.timedelta(days=1))
    response = client_for("hr").post(
        reverse("cases:case_hearing", args=[case.pk]),
        {"hearing_at": timezone.localtime(too_soon).strftime("%Y-%m-%dT%H:%M"), "panel": PANEL},
    )
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["short_notice_reason"])
    assert "5 working days' notice" in error and f"{earliest:%d/%m/%Y}" in error
    assert fresh(case).hearing_at is None


def test_shorter_notice_with_a_reason_is_recorded_on_the_timeline():
    case = _investigated()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    case = services.case_hearing_schedule(
        actor=f.user("hr"),
        case=case,
        hearing_at=tomorrow,
        panel=PANEL,
        short_notice_reason="The employee asked for the earliest date.",
    )
    assert case.status == Case.Status.HEARING and case.hearing_notice_reason.startswith("The employee asked")
    assert case.entries.filter(kind="hearing", body__contains="Short notice: The employee asked").exists()
    told = Notification.objects.get(recipient=case.subject, subject="Disciplinary hearing")
    assert "accompanied by a colleague or a trade union representative" in told.body


def test_a_hearing_with_full_notice_needs_no_reason():
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    assert case.status == Case.Status.HEARING and case.hearing_notice_reason == ""


# --- held, then outcome -------------------------------------------------------------------------------


def test_no_outcome_before_the_hearing_date():
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        _outcome(case)
    assert "only be recorded after it has been held" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.case_hearing_record_held(
            actor=f.user("hr"), case=case, attended="The panel and the employee.", accompanied=False
        )
    assert "record it once it has taken place" in str(exc.value)
    assert fresh(case).status == Case.Status.HEARING and not fresh(case).hearing_held


def test_no_outcome_until_hr_records_the_hearing_took_place():
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    with time_machine.travel(case.hearing_at + dt.timedelta(days=1), tick=False):
        with pytest.raises(ValidationError) as exc:
            _outcome(fresh(case))
        assert "Record that the hearing took place" in str(exc.value)
        services.case_hearing_record_held(
            actor=f.user("hr"),
            case=fresh(case),
            attended="The panel, the employee and the investigating officer.",
            accompanied=True,
            companion="Ms K. Rowe, trade union representative",
            adjournments="Adjourned for 20 minutes for the employee to read a statement.",
        )
        outcome = _outcome(fresh(case), warning_expires_on=timezone.localdate() + dt.timedelta(days=365))
    case = fresh(case)
    assert outcome.kind == "first_written" and case.status == Case.Status.OUTCOME_RECORDED
    held = case.entries.get(kind="hearing", body__startswith="Hearing held")
    assert "Accompanied by Ms K. Rowe" in held.body and "Adjourned for 20 minutes" in held.body
    assert AuditEvent.objects.filter(action="case.hearing_held", object_id=str(case.pk)).exists()


def test_an_outcome_never_skips_the_hearing_even_with_no_case_to_answer():
    case = _investigated()
    with pytest.raises(ValidationError) as exc:
        _outcome(case, kind="no_case", clauses_breached=[], warning_expires_on=None)
    assert "only follow a disciplinary hearing" in str(exc.value)


@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"attended": "", "accompanied": False}, "attended", "who attended"),
        ({"attended": "The panel.", "accompanied": None}, "accompanied", "whether the employee was accompanied"),
        ({"attended": "The panel.", "accompanied": True}, "companion", "Name the companion"),
        ({"attended": "The panel.", "accompanied": False, "companion": "Bob"}, "companion", "Leave this empty"),
    ],
)
def test_recording_the_hearing_needs_attendance_and_companion(data, field, words):
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    after = case.hearing_at + dt.timedelta(hours=2)
    with time_machine.travel(after, tick=False), pytest.raises(ValidationError) as exc:
        services.case_hearing_record_held(actor=f.user("hr"), case=case, **data)
    assert words in " ".join(exc.value.message_dict[field])


def test_a_held_hearing_cannot_be_moved():
    case = f.held_case(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        services.case_hearing_schedule(
            actor=f.user("hr"), case=case, hearing_at=f.hearing_on(services.earliest_hearing_date()), panel=PANEL
        )
    assert "already been held" in str(exc.value)


def test_the_held_form_shows_errors_beside_its_fields(client_for):
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    with time_machine.travel(case.hearing_at + dt.timedelta(hours=2), tick=False):
        response = client_for("hr").post(
            reverse("cases:case_hearing_held", args=[case.pk]), {"attended": "The panel", "accompanied": "yes"}
        )
    assert response.status_code == 200
    assert "Name the companion" in " ".join(response.context["form"].errors["companion"])
    assert not fresh(case).hearing_held


# --- the outcome page -------------------------------------------------------------------------------


def test_the_outcome_form_presets_no_outcome(client_for):
    case = f.held_case(subject=f.staff_of(f.OAKFIELD, 2))
    response = client_for("hr").get(reverse("cases:case_outcome", args=[case.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["kind"].value() in (None, "") and form.fields["kind"].choices[0][0] == ""
    page = response.content.decode()
    assert '<option value="" selected>Choose the outcome…</option>' in page


def test_the_outcome_is_confirmed_before_the_employee_is_told(client_for):
    case = f.held_case(subject=f.staff_of(f.OAKFIELD, 2))
    client = client_for("hr")
    url = reverse("cases:case_outcome", args=[case.pk])
    expires = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    data = {
        "kind": "first_written",
        "clauses_breached": ["5.2", "3.3"],
        "reasons": "You shared a pupil's details.",
        "warning_expires_on": expires,
    }
    told = Notification.objects.filter(recipient=case.subject, subject__startswith="The outcome of case")

    response = client.post(url, data)
    assert response.status_code == 200 and response.templates[0].name == "cases/outcome_confirm.html"
    page = response.content.decode()
    assert "First written warning" in page and "Confirm and tell the employee" in page
    assert not hasattr(fresh(case), "outcome") and not told.exists()

    response = client.post(url, {**data, "edit": "yes"})
    assert response.context["form"]["kind"].value() == "first_written"
    assert not hasattr(fresh(case), "outcome")

    response = client.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    outcome = fresh(case).outcome
    assert outcome.kind == "first_written" and sorted(outcome.clauses_breached) == ["3.3", "5.2"]
    assert told.count() == 1


def test_an_outcome_the_service_would_refuse_is_refused_before_the_confirmation(client_for):
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))  # hearing still to come
    response = client_for("hr").post(
        reverse("cases:case_outcome", args=[case.pk]),
        {"kind": "informal", "clauses_breached": ["5.3"], "reasons": "A first lapse."},
    )
    assert response.status_code == 200 and "form" in response.context
    assert "after it has been held" in " ".join(response.context["form"].non_field_errors())


def test_the_letter_follows_the_held_hearing_and_never_names_the_product(client_for):
    case = f.case_with_outcome(subject=f.user("employee"))
    letter = client_for("employee").get(reverse("cases:outcome_letter", args=[case.pk])).content.decode()
    body = letter[letter.index('data-testid="outcome-letter"') : letter.index("</article>")]
    assert f"follows the hearing on {timezone.localtime(case.hearing_at):%d/%m/%Y}" in body
    assert "accompanied by A trade union representative" in body
    assert "socialpolicy" not in body.lower()
