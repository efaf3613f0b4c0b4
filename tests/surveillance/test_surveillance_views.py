"""Covert surveillance pages (7.2): forms with bad input, decisions, observations, register and oversight."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from surveillance import services as surveillance_services
from surveillance.models import SurveillanceObservation, SurveillanceRequest
from tests.cases import factories as f
from tests.clock import earlier_today
from tests.surveillance import surveillance_factories as sf

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = sf.request_data()
    data = {
        **data,
        "platforms": data["platforms"],
        "public_only_confirmed": "on",
        "may_be_criminal": "no",
        "starts_on": data["starts_on"].isoformat(),
        "ends_on": data["ends_on"].isoformat(),
        "review_on": data["review_on"].isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_url(case=None):
    return reverse("surveillance:create", args=[(case or sf.oakfield_case()).pk])


def errors(response, field):
    return " ".join(response.context["form"].errors.get(field, []))


# --- requesting --------------------------------------------------------------------------------------


def test_the_investigator_sends_a_request_from_the_case_page(client_for):
    client = client_for("investigator")
    page = client.get(sf.oakfield_case().get_absolute_url())
    assert create_url().encode() in page.content
    response = client.post(create_url(), form_data(grounds="Mocking videos <b>again</b>."))
    request = SurveillanceRequest.objects.filter(requested_by__username="investigator").latest("requested_at")
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.grounds == "Mocking videos <b>again</b>."


def test_a_possibly_criminal_matter_gets_the_police_message_beside_the_question(client_for):
    before = SurveillanceRequest.objects.count()
    response = client_for("investigator").post(create_url(), form_data(may_be_criminal="yes"))
    assert response.status_code == 200
    assert "reported to the police" in errors(response, "may_be_criminal")
    assert SurveillanceRequest.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"public_only_confirmed": None}, "public_only_confirmed", "no fake accounts"),
        ({"ends_on": "31/02/2026"}, "ends_on", "valid date"),
        ({"starts_on": "not a date"}, "starts_on", "valid date"),
        ({"grounds": "x" * 5001}, "grounds", "at most 5000"),
        ({"dpia_reference": "D" * 61}, "dpia_reference", "at most 60"),
        ({"platforms": ["myspace"]}, "platforms", "valid choice"),
        ({"review_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat()}, "review_on", "inside the window"),
        ({"ends_on": (timezone.localdate() + dt.timedelta(days=45)).isoformat()}, "ends_on", "at most 30 days"),
        ({"may_be_criminal": "perhaps"}, "may_be_criminal", "valid choice"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client_for, overrides, field, words):
    before = SurveillanceRequest.objects.count()
    response = client_for("investigator").post(create_url(), form_data(**overrides))
    assert response.status_code == 200
    assert words in errors(response, field)
    assert SurveillanceRequest.objects.count() == before


def test_sending_the_same_form_twice_makes_one_request(client_for):
    client = client_for("investigator")
    client.post(create_url(), form_data())
    before = SurveillanceRequest.objects.count()
    response = client.post(create_url(), form_data(), follow=True)
    assert SurveillanceRequest.objects.count() == before
    assert "was not sent twice" in response.content.decode()


def test_a_forged_case_id_is_not_found(client_for):
    assert (
        client_for("investigator").post(reverse("surveillance:create", args=[999999]), form_data()).status_code == 404
    )


def test_script_in_a_request_is_shown_escaped(client_for):
    request = sf.make_request(grounds="<script>alert('x')</script>")
    response = client_for("headofhr").get(request.get_absolute_url())
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert" in response.content


# --- deciding ----------------------------------------------------------------------------------------


def test_an_hr_officer_who_is_not_head_of_hr_gets_403_on_approving(client_for):
    request = sf.make_request()
    url = reverse("surveillance:decide", args=[request.pk])
    response = client_for("hr").post(url, {"decision": "approve", "reasons": "Fine.", "version": 1})
    assert response.status_code == 403
    assert sf.fresh(request).status == "requested"


def test_the_head_of_hr_cannot_approve_their_own_request_through_the_page(client_for):
    request = sf.make_request(actor="headofhr")
    url = reverse("surveillance:decide", args=[request.pk])
    assert (
        client_for("headofhr").post(url, {"decision": "approve", "reasons": "Mine.", "version": 1}).status_code == 403
    )
    assert sf.fresh(request).status == "requested"


def test_the_head_of_hr_approves_with_a_written_decision(client_for):
    request = sf.make_request()
    client = client_for("headofhr")
    url = reverse("surveillance:decide", args=[request.pk])
    page = client.get(url)
    assert request.content_hash.encode() in page.content  # what is approved is shown
    response = client.post(url, {"decision": "approve", "reasons": "", "version": 1})
    assert "required" in errors(response, "reasons")
    response = client.post(url, {"decision": "approve", "reasons": "Proportionate for 14 days.", "version": 1})
    assert response.status_code == 302
    request = sf.fresh(request)
    assert request.status == "approved" and request.approved_hash == request.content_hash
    # Sent again (double click): nothing more is recorded.
    response = client.post(url, {"decision": "reject", "reasons": "Changed my mind.", "version": 1}, follow=True)
    assert "already decided" in response.content.decode()
    assert request.decisions.count() == 1


def test_every_page_showing_a_request_is_on_the_audit_trail(client_for):
    request = sf.make_request()
    client_for("headofhr").get(reverse("surveillance:decide", args=[request.pk]))
    client_for("investigator").get(reverse("surveillance:edit", args=[request.pk]))
    pages = AuditEvent.objects.filter(action="surveillancerequest.viewed", object_id=str(request.pk))
    assert sorted(e.details["page"] for e in pages) == ["surveillance_decide", "surveillance_edit"]


def test_a_decision_form_for_an_older_version_is_refused(client_for):
    request = sf.make_request()
    url = reverse("surveillance:decide", args=[request.pk])

    surveillance_services.surveillance_request_update(
        actor=f.user("investigator"), request=request, accounts="@changed"
    )
    response = client_for("headofhr").post(url, {"decision": "approve", "reasons": "Ok.", "version": 1}, follow=True)
    assert "changed while you were reading" in response.content.decode()
    assert sf.fresh(request).status == "requested"


def test_editing_an_approved_request_on_the_page_takes_the_approval_away(client_for):
    request = sf.approved_request()
    url = reverse("surveillance:edit", args=[request.pk])
    client = client_for("investigator")
    assert b"takes the approval away" in client.get(url).content
    response = client.post(url, form_data(accounts="https://www.tiktok.com/@example\n@second"), follow=True)
    assert "approval no longer applies" in response.content.decode()
    assert sf.fresh(request).status == "requested"


# --- observations -----------------------------------------------------------------------------------


def observation_data(**overrides):
    data = {
        "observed_at": timezone.localtime(timezone.now() - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "platform": "tiktok",
        "what_was_seen": "A new video about the colleague.",
        "link": "https://www.tiktok.com/@example/video/9",
    }
    data.update(overrides)
    return data


def test_an_observation_with_a_screenshot_is_recorded_and_its_views_audited(client_for):
    request = sf.approved_request()
    client = client_for("investigator")
    url = reverse("surveillance:observe", args=[request.pk])
    response = client.post(url, observation_data(screenshot=f.png()))
    assert response.status_code == 302
    observation = request.observations.get()
    assert len(observation.screenshot_sha256) == 64
    client.get(request.get_absolute_url())
    page = client.get(observation.get_absolute_url())
    assert observation.screenshot_sha256.encode() in page.content
    download = client.get(reverse("surveillance:screenshot", args=[observation.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    actions = set(AuditEvent.objects.filter(actor__username="investigator").values_list("action", flat=True))
    assert {
        "surveillancerequest.viewed",
        "surveillanceobservation.viewed",
        "surveillance_observation.screenshot_downloaded",
    } <= actions


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"screenshot": "fake"}, "screenshot", "which we do not accept"),
        ({"observed_at": "yesterday"}, "observed_at", "valid date"),
        ({"what_was_seen": ""}, "what_was_seen", "required"),
        ({"what_was_seen": "y" * 5001}, "what_was_seen", "at most 5000"),
        ({"platform": "facebook"}, "platform", "valid choice"),
        ({"link": "javascript:alert(1)"}, "link", "valid URL"),
    ],
)
def test_a_bad_observation_is_refused_beside_the_field(client_for, overrides, field, words):
    request = sf.approved_request()
    if overrides.get("screenshot") == "fake":
        overrides["screenshot"] = f.bytes_file("shot.png", b"MZ\x90\x00 an executable")
    response = client_for("investigator").post(
        reverse("surveillance:observe", args=[request.pk]), observation_data(**overrides)
    )
    assert response.status_code == 200
    assert words in errors(response, field)
    assert not request.observations.exists()


def test_a_screenshot_name_with_folder_parts_never_reaches_a_folder(client_for):
    request = sf.approved_request()
    response = client_for("investigator").post(
        reverse("surveillance:observe", args=[request.pk]),
        observation_data(screenshot=f.bytes_file("../../etc/shot.png", f.PNG_BYTES)),
    )
    assert response.status_code == 302
    observation = request.observations.get()
    assert observation.screenshot_name == "shot.png"
    assert observation.screenshot.name.startswith("surveillance/") and ".." not in observation.screenshot.name


def test_an_oversize_screenshot_is_refused(client_for, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    request = sf.approved_request()
    response = client_for("investigator").post(
        reverse("surveillance:observe", args=[request.pk]),
        observation_data(screenshot=f.bytes_file("big.png", f.PNG_BYTES + b"\0" * 4096)),
    )
    assert response.status_code == 200 and "limit" in errors(response, "screenshot")
    assert not request.observations.exists()


def test_after_the_end_date_the_page_refuses_a_new_observation(client_for):
    request = sf.travel(sf.approved_request(), days=14)
    client = client_for("investigator")
    url = reverse("surveillance:observe", args=[request.pk])
    response = client.get(url, follow=True)
    assert "Expired" in response.content.decode() and "cannot be recorded now" in response.content.decode()
    yesterday = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, observation_data(observed_at=yesterday), follow=True)
    assert "only inside that window" in response.content.decode()
    assert not SurveillanceObservation.objects.filter(request=request).exists()


def test_stopping_early_needs_a_summary(client_for):
    request = sf.approved_request()
    url = reverse("surveillance:close", args=[request.pk])
    client = client_for("headofhr")
    assert "required" in errors(client.post(url, {"outcome": "revoke", "summary": ""}), "summary")
    assert client.post(url, {"outcome": "revoke", "summary": "No longer proportionate."}).status_code == 302
    assert sf.fresh(request).status == "revoked"


# --- register, oversight, dashboard ---------------------------------------------------------------


def test_the_register_lists_filters_and_sorts(client_for):
    approved = sf.approved_request()
    client = client_for("headofhr")
    response = client.get(reverse("surveillance:list"), {"phase": "active", "sort": "-ends"})
    assert list(response.context["requests"]) == [approved]
    response = client.get(reverse("surveillance:list"), {"phase": "rejected"})
    assert b"No requests match" in response.content
    response = client.get(reverse("surveillance:list"), {"sort": "nonsense", "year": "abc"})
    assert response.status_code == 200


def test_the_register_query_count_does_not_grow_with_rows(client_for, django_assert_max_num_queries):
    client = client_for("headofhr")
    url = reverse("surveillance:list")
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    for i in range(6):
        sf.make_request(actor="hr", case=sf.kennet_case(), accounts=f"@account{i}")
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert len(response.context["requests"]) >= 7


def test_the_investigator_sees_only_requests_on_their_cases(client_for):
    kennet = sf.make_request(actor="hr", case=sf.kennet_case())
    response = client_for("investigator").get(reverse("surveillance:list"))
    assert kennet not in list(response.context["requests"])
    assert response.context["requests"]


def test_oversight_shows_upcoming_reviews_ends_and_yearly_figures(client_for):
    approved = sf.approved_request()
    sf.travel(approved, days=6)  # review tomorrow, end in a week
    rejected = sf.make_request(actor="hr", case=sf.kennet_case())

    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=rejected, decision="reject", reasons="No."
    )
    revoked = sf.approved_request(actor="hr", case=sf.kennet_case(), accounts="@other")
    surveillance_services.surveillance_request_close(
        actor=f.user("headofhr"), request=revoked, outcome="revoke", summary="Stop."
    )
    response = client_for("headofhr").get(reverse("surveillance:oversight"))
    assert approved in response.context["reviews"] and approved in response.context["ends"]
    (row,) = [r for r in response.context["figures"] if r["year"] == timezone.localdate().year]
    # The seeded pending request, plus the three made here.
    assert (row["requested"], row["approved"], row["rejected"], row["revoked"]) == (4, 2, 1, 1)


def test_the_head_of_hr_dashboard_shows_the_seeded_request_awaiting_decision(client_for):
    response = client_for("headofhr").get(reverse("people:dashboard"))
    seeded = SurveillanceRequest.objects.get(requested_by__username="investigator", status="requested")
    assert seeded.reference.encode() in response.content
    assert b"Covert surveillance" not in client_for("employee").get(reverse("people:dashboard")).content


@pytest.mark.parametrize("role", ["employee", "manager", "headteacher"])
def test_staff_without_an_hr_or_investigator_role_never_reach_surveillance(client_for, role):
    seeded = SurveillanceRequest.objects.get(requested_by__username="investigator", status="requested")
    observation_request = sf.approved_request()
    observation = SurveillanceObservation.objects.create(
        request=observation_request,
        observed_at=earlier_today(dt.timedelta(minutes=1)),
        platform="tiktok",
        what_was_seen="Seen.",
        recorded_by=f.user("investigator"),
    )
    urls = [
        reverse("surveillance:list"),
        reverse("surveillance:oversight"),
        reverse("surveillance:create", args=[seeded.case_id]),
        reverse("surveillance:observation", args=[observation.pk]),
        reverse("surveillance:screenshot", args=[observation.pk]),
        *(
            reverse(f"surveillance:{name}", args=[pk])
            for name in ("detail", "edit", "decide", "observe", "close")
            for pk in (seeded.pk, observation_request.pk, 999999)
        ),
    ]
    client = client_for(role)
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404), url
    assert b"surveillance" not in client.get(reverse("people:dashboard")).content.lower()


def test_a_headteacher_investigating_a_case_sees_no_surveillance_on_it(client_for):
    from cases import services

    case = f.open_case(subject=f.user("employee"), reporter="bizmanager")
    case = services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("headteacher"))
    page = client_for("headteacher").get(case.get_absolute_url())
    assert page.status_code == 200 and b"Covert surveillance" not in page.content
