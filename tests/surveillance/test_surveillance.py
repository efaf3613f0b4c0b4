"""Covert surveillance (7.2): the services' rules, and the database refusing the same things on its own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from people.models import Notification
from surveillance import services as surveillance_services
from surveillance.models import Phase, SurveillanceDecision, SurveillanceObservation, SurveillanceRequest
from tests.cases import factories as f
from tests.clock import earlier_today
from tests.surveillance import surveillance_factories as sf

pytestmark = pytest.mark.django_db

Status = SurveillanceRequest.Status


def observe(request, actor="investigator", **overrides):
    data = dict(
        observed_at=earlier_today(dt.timedelta(minutes=5)),
        platform="tiktok",
        what_was_seen="A new video repeating the accent joke.",
        link="https://www.tiktok.com/@example/video/1",
    )
    data.update(overrides)
    return surveillance_services.surveillance_observation_record(actor=f.user(actor), request=request, **data)


def refused_by_database(fn):
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        fn()
    return str(exc.value)


# --- requesting --------------------------------------------------------------------------------------


def test_the_investigator_requests_and_every_head_of_hr_is_told():
    request = sf.make_request()
    assert request.status == Status.REQUESTED and request.requested_by == f.user("investigator")
    assert request.content_hash == request.compute_content_hash()
    assert request.reference.startswith("SR-")
    assert Notification.objects.filter(recipient__username="headofhr", subject__contains=request.reference).exists()
    assert AuditEvent.objects.filter(action="surveillance_request.created", object_id=str(request.pk)).exists()


def test_a_possibly_criminal_matter_is_refused_and_sent_to_the_police():
    before = SurveillanceRequest.objects.count()
    with pytest.raises(ValidationError) as exc:
        sf.make_request(may_be_criminal=True)
    assert "police" in exc.value.message_dict["may_be_criminal"][0]
    assert SurveillanceRequest.objects.count() == before
    assert AuditEvent.objects.filter(action="surveillance_request.refused_criminal").exists()


def test_the_database_refuses_a_request_marked_criminal_or_without_the_public_only_promise():
    request = sf.make_request()
    refused_by_database(lambda: SurveillanceRequest.objects.filter(pk=request.pk).update(may_be_criminal=True))
    refused_by_database(lambda: SurveillanceRequest.objects.filter(pk=request.pk).update(public_only_confirmed=False))


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"ends_on": timezone.localdate() + dt.timedelta(days=30)}, "ends_on", "at most 30 days"),
        ({"review_on": timezone.localdate() + dt.timedelta(days=20)}, "review_on", "inside the window"),
        ({"starts_on": timezone.localdate() - dt.timedelta(days=1)}, "starts_on", "past"),
        ({"ends_on": timezone.localdate() - dt.timedelta(days=1)}, "ends_on", "on or after the start"),
        ({"public_only_confirmed": False}, "public_only_confirmed", "no fake accounts"),
        ({"platforms": []}, "platforms", "at least one"),
        ({"platforms": ["myspace"]}, "platforms", "from the list"),
        ({"dpia_reference": "  "}, "dpia_reference", "impact assessment"),
        ({"grounds": ""}, "grounds", "grounds"),
    ],
)
def test_a_request_with_bad_content_is_refused_beside_the_field(overrides, field, words):
    with pytest.raises(ValidationError) as exc:
        sf.make_request(**overrides)
    assert words in " ".join(exc.value.message_dict[field])


def test_the_maximum_window_comes_from_settings(settings):
    settings.SURVEILLANCE_MAX_DAYS = 7
    with pytest.raises(ValidationError) as exc:
        sf.make_request()  # 14 days
    assert "at most 7 days" in exc.value.message_dict["ends_on"][0]
    today = timezone.localdate()
    assert sf.make_request(ends_on=today + dt.timedelta(days=6), review_on=today + dt.timedelta(days=3)).days == 7


def test_hr_may_request_but_a_headteacher_investigating_may_not():
    assert sf.make_request(actor="hr").requested_by == f.user("hr")
    case = f.open_case(subject=f.user("employee"), reporter="bizmanager")
    case = services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher"))
    with pytest.raises(PermissionDenied):
        sf.make_request(actor="headteacher", case=case)


def test_the_investigator_cannot_request_on_a_case_they_do_not_investigate():
    with pytest.raises(PermissionDenied):
        sf.make_request(actor="investigator", case=sf.kennet_case())


# --- deciding ----------------------------------------------------------------------------------------


def test_the_head_of_hr_approves_and_the_content_hash_is_frozen():
    request = sf.approved_request()
    assert request.status == Status.APPROVED and request.approved_by == f.user("headofhr")
    assert request.approved_hash == request.compute_content_hash() and request.approval_current
    decision = request.decisions.get()
    assert decision.decision == "approve" and decision.content_hash == request.approved_hash
    assert Notification.objects.filter(recipient__username="investigator", subject__contains="approve").exists()


def test_an_hr_officer_who_is_not_head_of_hr_cannot_approve():
    request = sf.make_request()
    with pytest.raises(PermissionDenied):
        surveillance_services.surveillance_request_decide(
            actor=f.user("hr"), request=request, decision="approve", reasons="Fine."
        )
    assert sf.fresh(request).status == Status.REQUESTED


def test_the_head_of_hr_cannot_approve_their_own_request():
    request = sf.make_request(actor="headofhr")
    with pytest.raises(PermissionDenied):
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="approve", reasons="Mine."
        )
    assert sf.fresh(request).status == Status.REQUESTED


def test_a_head_of_hr_named_in_the_case_cannot_decide():
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 8), reporter="headofhr")
    request = sf.make_request(actor="hr", case=case)
    assert not Notification.objects.filter(recipient__username="headofhr", subject__contains=request.reference)
    with pytest.raises(PermissionDenied):
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="approve", reasons="x"
        )


def test_a_decision_needs_written_reasons_and_a_known_choice():
    request = sf.make_request()
    with pytest.raises(ValidationError) as exc:
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="approve", reasons=" "
        )
    assert "reasons" in exc.value.message_dict
    with pytest.raises(ValidationError):
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="maybe", reasons="x"
        )


def test_a_request_is_decided_once():
    request = sf.make_request()
    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=request, decision="reject", reasons="No."
    )
    with pytest.raises(ValidationError) as exc:
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="approve", reasons="x"
        )
    assert exc.value.code == "already_decided"
    assert SurveillanceDecision.objects.filter(request=request).count() == 1


def test_a_decision_on_a_version_that_changed_meanwhile_is_refused():
    request = sf.make_request()
    surveillance_services.surveillance_request_update(actor=f.user("investigator"), request=request, accounts="@other")
    with pytest.raises(ValidationError) as exc:
        surveillance_services.surveillance_request_decide(
            actor=f.user("headofhr"), request=request, decision="approve", reasons="x", version=1
        )
    assert exc.value.code == "changed"


def test_sent_back_edited_and_then_approved():
    request = sf.make_request()
    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=request, decision="send_back", reasons="Name the account exactly."
    )
    assert sf.fresh(request).status == Status.RETURNED
    request = surveillance_services.surveillance_request_update(
        actor=f.user("investigator"), request=request, accounts="https://www.tiktok.com/@exact"
    )
    assert request.status == Status.REQUESTED and request.version == 2
    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=request, decision="approve", reasons="Ok."
    )
    assert [d.version for d in sf.fresh(request).decisions.all()] == [1, 2]


def test_only_the_requester_edits_a_request():
    request = sf.make_request()
    with pytest.raises(PermissionDenied):
        surveillance_services.surveillance_request_update(actor=f.user("hr"), request=request, accounts="@x")


# --- the database's own guard on approvals ------------------------------------------------------------


def test_the_database_refuses_an_approval_by_the_requester_through_queryset_update():
    request = sf.make_request(actor="headofhr")
    message = refused_by_database(
        lambda: SurveillanceRequest.objects.filter(pk=request.pk).update(
            status="approved", approved_by=f.user("headofhr"), approved_hash="x" * 64
        )
    )
    assert "requester cannot approve" in message


def test_the_database_refuses_an_approval_by_someone_not_head_of_hr_through_raw_sql():
    request = sf.make_request()

    def approve_as_hr_officer():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_surveillancerequest SET status = 'approved', approved_by_id = %s, approved_hash = %s "
                "WHERE id = %s",
                [f.user("hr").pk, "x" * 64, request.pk],
            )

    assert "only the Head of HR" in refused_by_database(approve_as_hr_officer)
    assert sf.fresh(request).status == Status.REQUESTED


def test_the_database_refuses_an_approved_request_created_directly_by_its_requester():
    data = sf.request_data()
    data.pop("may_be_criminal")
    hr = f.user("headofhr")
    refused_by_database(
        lambda: SurveillanceRequest.objects.create(
            reference="SR-TEST-1",
            case=sf.oakfield_case(),
            requested_by=hr,
            approved_by=hr,
            approved_hash="x" * 64,
            content_hash="x" * 64,
            status="approved",
            **data,
        )
    )


def test_the_database_refuses_a_decision_row_by_the_requester_or_a_non_head_of_hr():
    request = sf.make_request(actor="headofhr")
    for who in ("headofhr", "hr"):
        refused_by_database(
            lambda who=who: SurveillanceDecision.objects.create(
                request=request, version=1, decision="approve", reasons="x", content_hash="x", decided_by=f.user(who)
            )
        )


def test_decisions_cannot_be_rewritten():
    request = sf.approved_request()
    refused_by_database(lambda: SurveillanceDecision.objects.filter(request=request).update(decision="reject"))
    refused_by_database(lambda: SurveillanceDecision.objects.filter(request=request).delete())


# --- editing after approval -------------------------------------------------------------------------


def test_an_approved_request_edited_afterwards_is_no_longer_approved():
    request = sf.approved_request()
    request = surveillance_services.surveillance_request_update(
        actor=f.user("investigator"), request=request, accounts="https://www.tiktok.com/@example\n@another"
    )
    assert request.status == Status.REQUESTED and not request.approval_current
    assert request.approved_by is None and request.approved_hash == ""
    assert Notification.objects.filter(recipient__username="headofhr", subject__contains="changed").exists()
    with pytest.raises(ValidationError) as exc:
        observe(request)
    assert exc.value.code == "not_approved"


def test_an_edit_to_an_approved_request_that_bypasses_the_service_voids_the_approval_in_the_database():
    request = sf.approved_request()
    SurveillanceRequest.objects.filter(pk=request.pk).update(ends_on=request.ends_on + dt.timedelta(days=10))
    request = sf.fresh(request)
    assert request.status == Status.REQUESTED and request.approved_by is None and request.version == 2
    refused_by_database(lambda: SurveillanceObservation.objects.create(**_observation_row(request)))


def test_an_unchanged_save_keeps_the_approval():
    request = sf.approved_request()
    assert surveillance_services.surveillance_request_update(
        actor=f.user("investigator"), request=request, accounts=request.accounts
    ).approval_current


# --- observations -----------------------------------------------------------------------------------


def _observation_row(request, **overrides):
    row = dict(
        request=request,
        observed_at=earlier_today(dt.timedelta(minutes=1)),
        platform="tiktok",
        what_was_seen="Seen.",
        recorded_by=f.user("investigator"),
    )
    row.update(overrides)
    return row


def test_an_observation_with_a_screenshot_is_recorded_with_its_sha256(tmp_path, settings):
    import hashlib

    request = sf.approved_request()
    observation = observe(request, screenshot=f.png())
    assert observation.screenshot_sha256 == hashlib.sha256(f.PNG_BYTES).hexdigest()
    assert observation.screenshot_name == "screenshot.png" and observation.screenshot_type == "image/png"
    assert AuditEvent.objects.filter(action="surveillance_observation.recorded").exists()


def test_a_screenshot_that_is_not_an_image_is_refused_and_nothing_is_saved():
    request = sf.approved_request()
    with pytest.raises(ValidationError) as exc:
        observe(request, screenshot=f.bytes_file("shot.png", b"MZ\x90\x00 not an image"))
    assert "screenshot" in exc.value.message_dict
    assert not request.observations.exists()


def test_no_observation_before_approval_by_the_service_or_the_database():
    request = sf.make_request()
    with pytest.raises(ValidationError):
        observe(request)
    assert "approved request" in refused_by_database(
        lambda: SurveillanceObservation.objects.create(**_observation_row(request))
    )


def test_no_observation_before_the_window_starts():
    today = timezone.localdate()
    request = sf.approved_request(
        starts_on=today + dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=9),
        review_on=today + dt.timedelta(days=5),
    )
    assert request.phase() == Phase.APPROVED
    with pytest.raises(ValidationError) as exc:
        observe(request)
    assert exc.value.code == "outside_window"
    refused_by_database(lambda: SurveillanceObservation.objects.create(**_observation_row(request)))


def test_after_the_end_the_request_lapses_and_observations_are_refused_by_service_and_database():
    request = sf.approved_request()
    observe(request)
    request = sf.travel(request, days=14)  # the window ended yesterday
    assert request.status == Status.APPROVED and request.phase() == Phase.EXPIRED
    assert SurveillanceRequest.objects.with_phase().get(pk=request.pk).phase == Phase.EXPIRED
    with pytest.raises(ValidationError) as exc:
        observe(request, observed_at=timezone.now() - dt.timedelta(days=1))
    assert exc.value.code == "outside_window"
    message = refused_by_database(
        lambda: SurveillanceObservation.objects.create(
            **_observation_row(request, observed_at=timezone.now() - dt.timedelta(days=2))
        )
    )
    assert "outside the approved window" in message
    with connection.cursor() as cursor:

        def raw_insert():
            cursor.execute(
                "INSERT INTO cases_surveillanceobservation (request_id, observed_at, platform, what_was_seen, link, "
                "screenshot, screenshot_name, screenshot_type, screenshot_sha256, recorded_by_id, recorded_at) "
                "VALUES (%s, now() - interval '2 days', 'tiktok', 'x', '', '', '', '', '', %s, now())",
                [request.pk, f.user("investigator").pk],
            )

        refused_by_database(raw_insert)
    assert request.observations.count() == 1


def test_an_observation_dated_outside_the_window_is_refused():
    request = sf.approved_request()
    with pytest.raises(ValidationError) as exc:
        observe(request, observed_at=timezone.now() - dt.timedelta(days=3))
    assert "observed_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        observe(request, observed_at=timezone.now() + dt.timedelta(hours=1))
    assert "observed_at" in exc.value.message_dict


def test_an_observation_on_a_platform_outside_the_scope_is_refused():
    with pytest.raises(ValidationError) as exc:
        observe(sf.approved_request(), platform="facebook")
    assert "scope" in exc.value.message_dict["platform"][0]


def test_observations_cannot_be_rewritten_or_deleted():
    observation = observe(sf.approved_request())
    refused_by_database(lambda: SurveillanceObservation.objects.filter(pk=observation.pk).update(what_was_seen="x"))
    refused_by_database(lambda: SurveillanceObservation.objects.filter(pk=observation.pk).delete())


def test_someone_outside_the_case_cannot_record_an_observation():
    request = sf.approved_request(actor="hr", case=sf.kennet_case())
    with pytest.raises(PermissionDenied):
        observe(request, actor="investigator")


# --- stopping and lapsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "status"), [("revoke", Status.REVOKED), ("complete", Status.COMPLETED)])
def test_an_approved_request_is_stopped_early_with_a_summary(outcome, status):
    request = sf.approved_request()
    with pytest.raises(ValidationError):
        surveillance_services.surveillance_request_close(
            actor=f.user("headofhr"), request=request, outcome=outcome, summary=""
        )
    request = surveillance_services.surveillance_request_close(
        actor=f.user("headofhr"), request=request, outcome=outcome, summary="The account was deleted."
    )
    assert request.status == status and request.closing_summary == "The account was deleted."
    with pytest.raises(ValidationError):
        observe(request)
    refused_by_database(lambda: SurveillanceObservation.objects.create(**_observation_row(request)))


def test_reminders_go_once_before_the_review_date_and_before_the_end(settings):
    settings.SURVEILLANCE_REMINDER_DAYS = 2
    request = sf.approved_request()
    assert surveillance_services.send_surveillance_reminders() == 0
    request = sf.travel(request, days=6)  # review tomorrow, end in a week
    assert surveillance_services.send_surveillance_reminders() == 1
    assert surveillance_services.send_surveillance_reminders() == 0
    request = sf.travel(request, days=6)  # end tomorrow
    assert surveillance_services.send_surveillance_reminders() == 1
    assert surveillance_services.send_surveillance_reminders() == 0
    subjects = list(Notification.objects.filter(recipient__username="investigator").values_list("subject", flat=True))
    assert sum(request.reference in s and "review on" in s for s in subjects) == 1
    assert sum(request.reference in s and "end on" in s for s in subjects) == 1
    assert Notification.objects.filter(recipient__username="headofhr", subject__contains="end on").exists()


def test_no_reminder_for_a_request_that_is_not_approved(settings):
    request = sf.make_request()
    sf.travel(request, days=6)
    assert surveillance_services.send_surveillance_reminders() == 0


def test_the_beat_task_sends_the_reminders():
    from surveillance.tasks import send_surveillance_reminders

    sf.travel(sf.approved_request(), days=12)
    assert send_surveillance_reminders() == 1


def test_an_expired_request_cannot_be_edited_or_stopped_a_new_request_is_needed():
    request = sf.travel(sf.approved_request(), days=14)
    with pytest.raises(ValidationError) as exc:
        surveillance_services.surveillance_request_update(
            actor=f.user("investigator"), request=request, accounts="@more"
        )
    assert "new request" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        surveillance_services.surveillance_request_close(
            actor=f.user("headofhr"), request=request, outcome="revoke", summary="x"
        )
