"""An approved post of a finished campaign is taken out of it, to be checked again and published on its own (3.4)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Notification, Role
from publishing import services
from publishing.models import Campaign, Post
from tests.conftest import sign_in
from tests.factories import RoleAssignmentFactory
from tests.mailbox import outbox  # noqa: F401  (fixture)
from tests.publishing.factories import (
    ALL_CHECKS,
    approved_post,
    approved_post_of_finished_campaign,
    demo,
    draft_post,
    running_campaign,
    submitted_post,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _reach_last_day(campaign: Campaign) -> None:
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=today - 9 * DAY, ends_on=today - DAY)


def take_out_url(post: Post) -> str:
    return reverse("publishing:post_take_out_of_campaign", args=[post.pk])


# --- the service ----------------------------------------------------------------------------------


def test_the_author_takes_the_post_out_and_it_is_a_stand_alone_draft_again(outbox):  # noqa: F811
    post = approved_post_of_finished_campaign()
    campaign = post.campaign
    sent = outbox(lambda: services.post_take_out_of_campaign(actor=demo("employee"), post=post))
    post = Post.objects.get(pk=post.pk)
    assert post.state == Post.State.DRAFT and post.campaign is None and post.is_editable
    event = AuditEvent.objects.get(action="post.taken_out_of_campaign", object_id=str(post.pk))
    assert event.details["campaign"] == campaign.pk and event.details["checker"] == demo("manager").pk
    note = Notification.objects.get(recipient=demo("manager"), subject__contains="taken out of its campaign")
    assert "Healthy Lunch Week" in note.body and "check it again" in note.body
    [email] = sent
    assert email.to == [demo("manager").email] and campaign.ends_on.strftime("%d/%m/%Y") in email.body
    assert not Notification.objects.filter(recipient=demo("employee"), subject__contains="taken out").exists()


def test_out_of_the_campaign_it_must_be_checked_again_before_it_is_published():
    post = services.post_take_out_of_campaign(actor=demo("employee"), post=approved_post_of_finished_campaign())
    with pytest.raises(ValidationError, match="approved"):
        services.post_record_published(
            actor=demo("employee"), post=post, url="https://x.com/oak/9", published_at=timezone.now()
        )
    post = services.post_submit(actor=demo("employee"), post=post, checker=demo("headteacher"))
    assert post.check_round == 2
    services.post_check(actor=demo("headteacher"), post=post, decision="approved", **ALL_CHECKS)
    post = Post.objects.get(pk=post.pk)
    post = services.post_record_published(
        actor=demo("employee"), post=post, url="https://x.com/oak/9", published_at=timezone.now()
    )
    assert post.state == Post.State.PUBLISHED and post.campaign is None


def test_a_draft_of_a_finished_campaign_is_not_sent_for_a_check_it_could_never_pass():
    campaign = running_campaign(demo("employee"))
    post = draft_post(campaign=campaign)
    services.campaign_end(actor=demo("employee"), campaign=campaign, reason="The kitchen is being refitted.")
    with pytest.raises(ValidationError, match="take it out of the campaign"):
        services.post_submit(actor=demo("employee"), post=Post.objects.get(pk=post.pk), checker=demo("manager"))
    assert Post.objects.get(pk=post.pk).state == Post.State.DRAFT


def test_a_post_awaiting_its_check_when_the_campaign_finishes_is_returned_not_approved():
    campaign = running_campaign(demo("employee"))
    post = submitted_post(campaign=campaign)
    _reach_last_day(campaign)
    with pytest.raises(ValidationError, match="return the post"):
        services.post_check(actor=demo("manager"), post=post, decision="approved", **ALL_CHECKS)
    assert Post.objects.get(pk=post.pk).state == Post.State.AWAITING_CHECK
    services.post_check(actor=demo("manager"), post=post, decision="returned", comments="The campaign is over.")
    assert Post.objects.get(pk=post.pk).state == Post.State.RETURNED


def test_a_post_of_a_running_campaign_stays_in_it():
    post = approved_post(campaign=running_campaign(demo("employee")))
    with pytest.raises(ValidationError, match="has not finished"):
        services.post_take_out_of_campaign(actor=demo("employee"), post=post)
    assert Post.objects.get(pk=post.pk).campaign_id == post.campaign_id


def test_only_an_approved_post_of_a_campaign_is_taken_out():
    stand_alone = approved_post()
    with pytest.raises(ValidationError, match="Only an approved post of a campaign"):
        services.post_take_out_of_campaign(actor=demo("employee"), post=stand_alone)
    campaign = running_campaign(demo("employee"))
    waiting = submitted_post(campaign=campaign)
    _reach_last_day(campaign)
    with pytest.raises(ValidationError, match="Only an approved post of a campaign"):
        services.post_take_out_of_campaign(actor=demo("employee"), post=waiting)
    assert Post.objects.get(pk=waiting.pk).state == Post.State.AWAITING_CHECK
    assert not AuditEvent.objects.filter(action="post.taken_out_of_campaign").exists()


def test_taking_it_out_twice_is_refused_and_recorded_once():
    post = approved_post_of_finished_campaign()
    services.post_take_out_of_campaign(actor=demo("employee"), post=post)
    with pytest.raises(ValidationError):
        services.post_take_out_of_campaign(actor=demo("employee"), post=post)
    assert AuditEvent.objects.filter(action="post.taken_out_of_campaign", object_id=str(post.pk)).count() == 1


@pytest.mark.parametrize("username", ["manager", "headteacher", "bizmanager", "comms", "hr"])
def test_only_the_author_takes_a_post_out_of_its_campaign(username):
    """Like editing, sending and publishing it: the checker, the school's leaders and others may not."""
    post = approved_post_of_finished_campaign()
    with pytest.raises(PermissionDenied):
        services.post_take_out_of_campaign(actor=demo(username), post=post)
    post = Post.objects.get(pk=post.pk)
    assert post.state == Post.State.APPROVED and post.campaign_id is not None


# --- the pages ------------------------------------------------------------------------------------


def test_the_post_page_says_why_it_cannot_be_published_and_offers_the_way_out(client_for):
    post = approved_post_of_finished_campaign()
    page = client_for("employee").get(post.get_absolute_url()).content.decode()
    assert "which finished on" in page and "cannot be published as it is" in page
    assert take_out_url(post) in page
    assert reverse("publishing:post_publish", args=[post.pk]) not in page


def test_a_reader_sees_why_but_not_the_way_out(client_for):
    post = approved_post_of_finished_campaign()
    page = client_for("headteacher").get(post.get_absolute_url()).content.decode()
    assert "cannot be published as it is" in page and take_out_url(post) not in page


def test_no_way_out_is_shown_while_the_campaign_runs(client_for):
    post = approved_post(campaign=running_campaign(demo("employee")))
    page = client_for("employee").get(post.get_absolute_url()).content.decode()
    assert reverse("publishing:post_publish", args=[post.pk]) in page
    assert take_out_url(post) not in page and "cannot be published as it is" not in page


def test_the_author_confirms_and_the_post_is_a_draft_again(client_for):
    post = approved_post_of_finished_campaign()
    c = client_for("employee")
    confirm = c.get(take_out_url(post)).content.decode()
    assert "Take this post out of “Healthy Lunch Week”?" in confirm
    assert "back to <strong>draft</strong> as a stand-alone post" in confirm
    assert "<strong>check it again</strong>" in confirm and "who approved it, is told" in confirm
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED  # looking is not doing
    response = c.post(take_out_url(post))
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    page = c.get(post.get_absolute_url()).content.decode()
    assert "out of the campaign and a draft again" in page
    assert "no longer counts: the post has gone back to draft since" in page  # the old approval, still listed
    assert reverse("publishing:post_submit", args=[post.pk]) in page and take_out_url(post) not in page
    assert c.get(take_out_url(post)).status_code == 403  # nothing left to take out


def test_the_confirmation_page_is_refused_to_the_checker_and_hidden_from_outsiders(client_for):
    post = approved_post_of_finished_campaign()
    assert client_for("manager").get(take_out_url(post)).status_code == 403
    assert client_for("manager").post(take_out_url(post)).status_code == 403
    outsider = RoleAssignmentFactory(role=Role.HEADTEACHER).user
    c = client_for(None)
    sign_in(c, outsider)
    assert c.get(take_out_url(post)).status_code == 404
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED
