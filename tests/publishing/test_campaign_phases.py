"""Approved campaigns run between their dates and finish after them, or earlier when ended (clause 3.4)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Notification, Role
from publishing import services
from publishing.models import Campaign, CampaignPhase, Post
from tests.factories import RoleAssignmentFactory
from tests.mailbox import outbox  # noqa: F401  (fixture)
from tests.publishing.factories import (
    approved_campaign,
    approved_post,
    demo,
    draft_post,
    finished_campaign,
    running_campaign,
    submitted_campaign,
    submitted_post,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2026, 11, 26)  # any date: phase() and with_phase() are given the day they judge
DAY = dt.timedelta(days=1)


def _phase_in_the_database(campaign: Campaign, today: dt.date) -> str:
    return Campaign.objects.with_phase(today).get(pk=campaign.pk).current_phase


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (FIRST_DAY - DAY, CampaignPhase.APPROVED),
        (FIRST_DAY, CampaignPhase.RUNNING),
        (FIRST_DAY + 7 * DAY, CampaignPhase.RUNNING),
        (FIRST_DAY + 8 * DAY, CampaignPhase.FINISHED),
    ],
)
def test_an_approved_campaign_runs_from_its_first_day_to_its_last_then_finishes(today, expected):
    campaign = approved_campaign(demo("employee"))
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=FIRST_DAY, ends_on=FIRST_DAY + 7 * DAY)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.phase(today) == expected
    assert _phase_in_the_database(campaign, today) == expected


def test_a_campaign_not_yet_approved_or_rejected_keeps_its_state_as_its_phase():
    campaign = submitted_campaign(demo("employee"), starts_on=timezone.localdate())
    assert campaign.phase() == CampaignPhase.SUBMITTED == _phase_in_the_database(campaign, timezone.localdate())
    campaign = services.campaign_decide(
        actor=demo("manager"), campaign=campaign, approve=False, reason="Not this term."
    )
    assert campaign.phase() == CampaignPhase.REJECTED


def test_the_proposer_ends_a_running_campaign_early_and_the_headteacher_is_told(outbox):  # noqa: F811
    campaign = running_campaign(demo("employee"))
    sent = outbox(
        lambda: services.campaign_end(
            actor=demo("employee"), campaign=campaign, reason="The walking bus is cancelled for road works."
        )
    )
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.state == Campaign.State.ENDED and campaign.phase() == CampaignPhase.FINISHED
    assert campaign.ended_by == demo("employee") and campaign.finished_on == timezone.localdate()
    event = AuditEvent.objects.get(action="campaign.ended_early", object_id=str(campaign.pk))
    assert event.details["reason"] == "The walking bus is cancelled for road works."
    note = Notification.objects.get(recipient=demo("headteacher"), subject__startswith="Campaign ended early")
    assert "road works" in note.body
    assert not Notification.objects.filter(recipient=demo("employee"), subject__startswith="Campaign ended").exists()
    [email] = [m for m in sent if demo("headteacher").email in m.to]
    assert "road works" in email.body and timezone.localdate().strftime("%d/%m/%Y") in email.body


def test_the_headteacher_ends_it_and_the_proposer_is_told(outbox):  # noqa: F811
    campaign = running_campaign(demo("employee"))
    sent = outbox(lambda: services.campaign_end(actor=demo("headteacher"), campaign=campaign, reason="Ofsted week."))
    assert Notification.objects.filter(recipient=demo("employee"), subject__startswith="Campaign ended").exists()
    assert [m for m in sent if demo("employee").email in m.to]


@pytest.mark.parametrize("username", ["manager", "bizmanager", "hr", "comms"])
def test_no_one_else_may_end_a_campaign(username):
    campaign = running_campaign(demo("employee"))
    with pytest.raises(PermissionDenied):
        services.campaign_end(actor=demo(username), campaign=campaign, reason="Because.")
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.APPROVED


def test_another_schools_headteacher_may_not_end_it():
    campaign = running_campaign(demo("employee"))
    other_head = RoleAssignmentFactory(role=Role.HEADTEACHER).user
    with pytest.raises(PermissionDenied):
        services.campaign_end(actor=other_head, campaign=campaign, reason="Because.")


def test_only_a_running_campaign_ends_early_and_only_with_a_reason():
    not_started = approved_campaign(demo("employee"))
    with pytest.raises(ValidationError, match="running"):
        services.campaign_end(actor=demo("employee"), campaign=not_started, reason="Changed plans.")
    with pytest.raises(ValidationError, match="running"):
        services.campaign_end(actor=demo("employee"), campaign=finished_campaign(demo("employee")), reason="Over.")
    running = running_campaign(demo("employee"), title="Book week")
    with pytest.raises(ValidationError) as refused:
        services.campaign_end(actor=demo("employee"), campaign=running, reason="   ")
    assert "reason" in refused.value.error_dict
    services.campaign_end(actor=demo("employee"), campaign=running, reason="Done sooner.")
    with pytest.raises(ValidationError, match="running"):
        services.campaign_end(actor=demo("employee"), campaign=running, reason="Twice.")
    assert AuditEvent.objects.filter(action="campaign.ended_early", object_id=str(running.pk)).count() == 1


def test_a_post_of_a_campaign_that_reached_its_last_day_can_no_longer_be_published():
    campaign = running_campaign(demo("employee"))
    post = approved_post(campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=timezone.localdate() - 9 * DAY, ends_on=timezone.localdate() - DAY
    )
    with pytest.raises(ValidationError, match="finished on"):
        services.post_record_published(
            actor=demo("employee"), post=post, url="https://x.com/oak/1", published_at=timezone.now()
        )
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED


def test_a_post_of_a_running_campaign_is_published():
    campaign = running_campaign(demo("employee"))
    post = approved_post(campaign=campaign)
    post = services.post_record_published(
        actor=demo("employee"), post=post, url="https://x.com/oak/2", published_at=timezone.now()
    )
    assert post.state == Post.State.PUBLISHED


def test_ending_early_sends_unpublished_posts_back_to_their_authors_who_may_publish_them_on_their_own():
    campaign = running_campaign(demo("employee"))
    waiting, approved = submitted_post(campaign=campaign), approved_post(campaign=campaign)
    published = services.post_record_published(
        actor=demo("employee"),
        post=approved_post(campaign=campaign),
        url="https://x.com/oak/3",
        published_at=timezone.now(),
    )
    services.campaign_end(actor=demo("headteacher"), campaign=campaign, reason="Snow closure.")
    for post in (waiting, approved):
        post = Post.objects.get(pk=post.pk)
        assert post.state == Post.State.DRAFT
        assert AuditEvent.objects.filter(
            action="post.back_to_draft", object_id=str(post.pk), details__reason="campaign ended early"
        ).exists()
    assert Post.objects.get(pk=published.pk).state == Post.State.PUBLISHED
    with pytest.raises(ValidationError):  # still tied to the finished campaign
        services.post_update(actor=demo("employee"), post=approved, campaign=campaign)
    post = services.post_update(actor=demo("employee"), post=approved, campaign=None)
    assert post.campaign is None


def test_a_new_post_cannot_join_a_finished_campaign():
    campaign = finished_campaign(demo("employee"))
    with pytest.raises(ValidationError) as refused:
        draft_post(campaign=campaign)
    assert "finished" in str(refused.value.error_dict["campaign"])


# --- pages --------------------------------------------------------------------------------------------


def test_the_list_shows_each_campaigns_phase_and_filters_by_it(client_for):
    running = running_campaign(demo("employee"), title="Road Safety Fortnight")
    finished = finished_campaign(demo("employee"), title="Harvest Appeal")
    c = client_for("headteacher")
    page = c.get(reverse("publishing:campaign_list")).content.decode()
    assert "Road Safety Fortnight" in page and "Harvest Appeal" in page and ">Running<" in page
    page = c.get(reverse("publishing:campaign_list") + "?phase=running").content.decode()
    assert running.title in page and finished.title not in page
    page = c.get(reverse("publishing:campaign_list") + "?phase=finished&sort=-phase").content.decode()
    assert finished.title in page and running.title not in page
    assert "1 campaign<" in page  # not the demo campaign, which still awaits the headteacher


def test_the_proposer_ends_a_campaign_through_its_confirmation_page(client_for):
    campaign = running_campaign(demo("employee"))
    submitted_post(campaign=campaign)
    c = client_for("employee")
    detail = c.get(campaign.get_absolute_url()).content.decode()
    assert "Running until" in detail and reverse("publishing:campaign_end", args=[campaign.pk]) in detail
    url = reverse("publishing:campaign_end", args=[campaign.pk])
    confirm = c.get(url).content.decode()
    assert "End “Healthy Lunch Week” early?" in confirm and "will go back to draft" in confirm
    refused = c.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Say why the campaign is ending early." in refused.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.APPROVED
    response = c.post(url, {"reason": "The <b>trip</b> is off."})
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    detail = c.get(campaign.get_absolute_url()).content.decode()
    assert "Ended early on" in detail and "The &lt;b&gt;trip&lt;/b&gt; is off." in detail
    assert ">Finished<" in detail and "<strong>approved</strong> by" in detail  # it was approved, then ended
    assert c.get(url).status_code == 403  # nothing left to end


def test_the_end_page_is_refused_to_the_line_manager(client_for):
    campaign = running_campaign(demo("employee"))
    assert client_for("manager").get(reverse("publishing:campaign_end", args=[campaign.pk])).status_code == 403
