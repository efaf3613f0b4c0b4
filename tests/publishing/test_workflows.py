"""The post and campaign workflows of clauses 3.1 and 3.4, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Notification, Role
from publishing import services
from publishing.models import Campaign, ContentCheck, Contributor, Post
from tests.factories import EmployeeFactory, RoleAssignmentFactory
from tests.publishing.factories import (
    ALL_CHECKS,
    approved_post,
    demo,
    draft_campaign,
    draft_post,
    oakfield_x,
    submitted_campaign,
    submitted_post,
)

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- the colleague check -----------------------------------------------------------------------------


def test_author_cannot_name_themselves_as_checker():
    post = draft_post()
    with pytest.raises(ValidationError, match="cannot check your own"):
        services.post_submit(actor=demo("employee"), post=post, checker=demo("employee"))
    assert Post.objects.get(pk=post.pk).state == Post.State.DRAFT


def test_author_cannot_check_their_own_post_even_when_named_by_a_forged_row():
    post = submitted_post()
    # Even if the checker were somehow the author, the rule and the database refuse it.
    assert not demo("employee").has_perm("publishing.check_post", post)
    with pytest.raises(PermissionDenied):
        services.post_check(actor=demo("employee"), post=post, decision="approved", **ALL_CHECKS)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(checker=post.author)


def test_checker_must_be_a_colleague_at_the_authors_school():
    post = draft_post()
    outsider = EmployeeFactory()  # another school
    with pytest.raises(ValidationError, match="colleague at your school"):
        services.post_submit(actor=demo("employee"), post=post, checker=outsider)


def test_an_untrained_contributor_cannot_submit():
    newcomer = (
        Contributor.objects.filter(account__handle="Oakfield Primary School")
        .exclude(employee__username__in=["employee", "manager"])[0]
        .employee
    )
    post = services.post_create(
        actor=newcomer,
        account=Contributor.objects.get(employee=newcomer).account,
        text="Our choir sings at the Minster on Sunday.",
        purpose_benefit="Shares pupils' music with the town.",
    )
    with pytest.raises(PermissionDenied, match="trained"):
        services.post_submit(actor=newcomer, post=post, checker=demo("manager"))
    assert Post.objects.get(pk=post.pk).state == Post.State.DRAFT
    services.training_record(actor=demo("comms"), employee=newcomer, trained_on=timezone.localdate())
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert services.post_submit(actor=newcomer, post=post, checker=demo("manager")).state == Post.State.AWAITING_CHECK


def test_only_the_communications_team_records_training():
    with pytest.raises(PermissionDenied):
        services.training_record(actor=demo("headteacher"), employee=demo("employee"), trained_on=timezone.localdate())


def test_someone_who_is_not_a_contributor_cannot_draft():
    with pytest.raises(PermissionDenied):
        draft_post(author=demo("bizmanager"))


def test_checker_must_answer_the_whole_checklist_to_approve():
    post = submitted_post()
    answers = {**ALL_CHECKS, "copyright_cleared": False}
    with pytest.raises(ValidationError, match="every point"):
        services.post_check(actor=demo("manager"), post=post, decision="approved", **answers)
    assert not ContentCheck.objects.filter(post=post).exists()


def test_returning_needs_comments_and_the_author_can_then_edit_and_resubmit():
    post = submitted_post()
    with pytest.raises(ValidationError):
        services.post_check(actor=demo("manager"), post=post, decision="returned", comments="  ")
    services.post_check(actor=demo("manager"), post=post, decision="returned", comments="Remove the surname.")
    post = services.post_update(actor=demo("employee"), post=post, text="Sports day is on Friday!")
    post = services.post_submit(actor=demo("employee"), post=post, checker=demo("manager"))
    assert post.check_round == 2
    assert Notification.objects.filter(recipient=demo("employee"), subject__contains="returned").exists()


def test_a_second_decision_on_the_same_check_is_refused():
    post = submitted_post()
    services.post_check(actor=demo("manager"), post=post, decision="approved", **ALL_CHECKS)
    with pytest.raises(ValidationError, match="already been decided"):
        services.post_check(actor=demo("manager"), post=post, decision="returned", comments="Wait")
    assert ContentCheck.objects.filter(post=post).count() == 1
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED


def test_recording_as_published_needs_an_approved_post_and_an_https_link():
    post = submitted_post()
    with pytest.raises(ValidationError, match="approved"):
        services.post_record_published(
            actor=demo("employee"), post=post, url="https://x.com/a/1", published_at=timezone.now()
        )
    post = approved_post()
    with pytest.raises(ValidationError):
        services.post_record_published(
            actor=demo("employee"), post=post, url="javascript:alert(1)", published_at=timezone.now()
        )
    with pytest.raises(ValidationError, match="future"):
        services.post_record_published(
            actor=demo("employee"),
            post=post,
            url="https://x.com/a/1",
            published_at=timezone.now() + timezone.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.post_record_published(
            actor=demo("manager"), post=post, url="https://x.com/a/1", published_at=timezone.now()
        )
    post = services.post_record_published(
        actor=demo("employee"), post=post, url="https://x.com/a/1", published_at=timezone.now()
    )
    assert post.state == Post.State.PUBLISHED and post.published_url == "https://x.com/a/1"


def test_every_post_transition_is_on_the_audit_trail():
    post = draft_post()
    services.post_submit(actor=demo("employee"), post=post, checker=demo("manager"))
    services.post_check(actor=demo("manager"), post=post, decision="returned", comments="Shorter, please.")
    services.post_update(actor=demo("employee"), post=post, text="Sports day: Friday!")
    services.post_submit(actor=demo("employee"), post=post, checker=demo("manager"))
    services.post_check(actor=demo("manager"), post=post, decision="approved", **ALL_CHECKS)
    services.post_record_published(
        actor=demo("employee"), post=post, url="https://x.com/a/2", published_at=timezone.now()
    )
    assert _actions(post) == [
        "post.drafted",
        "post.submitted",
        "post.returned",
        "post.edited",
        "post.submitted",
        "post.approved",
        "post.published",
    ]


def test_a_javascript_link_in_a_post_is_refused():
    with pytest.raises(ValidationError, match="javascript"):
        draft_post(text="Click <a href='javascript:alert(1)'>here</a>")


def test_pupils_shown_need_a_note_of_photo_consent():
    with pytest.raises(ValidationError) as exc:
        draft_post(pupils_shown=True, pupil_consent="")
    assert "pupil_consent" in exc.value.error_dict


# --- campaigns ---------------------------------------------------------------------------------------


def test_campaign_goes_from_proposer_to_line_manager_to_headteacher():
    campaign = submitted_campaign(demo("employee"))
    with pytest.raises(PermissionDenied):  # not yet: the line manager comes first
        services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=True, reason="")
    services.campaign_endorse(actor=demo("manager"), campaign=campaign)
    assert Notification.objects.filter(recipient=demo("headteacher"), subject__contains=campaign.title).exists()
    campaign = services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=True, reason="Good")
    assert campaign.state == Campaign.State.APPROVED
    assert _actions(campaign) == ["campaign.drafted", "campaign.submitted", "campaign.endorsed", "campaign.approved"]


def test_one_step_when_the_line_manager_is_the_headteacher():
    campaign = submitted_campaign(demo("manager"))  # the deputy's line manager is the headteacher
    campaign = services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=True, reason="")
    assert campaign.state == Campaign.State.APPROVED and campaign.endorsed_by is None


def test_a_headteacher_of_another_school_cannot_approve():
    campaign = submitted_campaign(demo("employee"))
    services.campaign_endorse(actor=demo("manager"), campaign=campaign)
    other_head = RoleAssignmentFactory(role=Role.HEADTEACHER).user
    with pytest.raises(PermissionDenied):
        services.campaign_decide(actor=other_head, campaign=campaign, approve=True, reason="")
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.ENDORSED


def test_the_proposer_cannot_endorse_or_approve_their_own_campaign():
    campaign = submitted_campaign(demo("manager"))
    with pytest.raises(PermissionDenied):
        services.campaign_endorse(actor=demo("manager"), campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_decide(actor=demo("manager"), campaign=campaign, approve=True, reason="")


def test_a_post_in_an_unapproved_campaign_cannot_be_published():
    campaign = submitted_campaign(demo("employee"))
    post = approved_post(campaign=campaign)
    with pytest.raises(ValidationError, match="campaign is not approved"):
        services.post_record_published(
            actor=demo("employee"), post=post, url="https://x.com/a/3", published_at=timezone.now()
        )
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED
    services.campaign_endorse(actor=demo("manager"), campaign=campaign)
    services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=True, reason="")
    post = services.post_record_published(
        actor=demo("employee"), post=post, url="https://x.com/a/3", published_at=timezone.now()
    )
    assert post.state == Post.State.PUBLISHED


def test_a_rejected_campaigns_posts_go_back_to_draft_with_reasons_required():
    campaign = submitted_campaign(demo("employee"))
    waiting = submitted_post(campaign=campaign)
    approved = approved_post(campaign=campaign)
    services.campaign_endorse(actor=demo("manager"), campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=False, reason=" ")
    services.campaign_decide(
        actor=demo("headteacher"), campaign=campaign, approve=False, reason="Clashes with the SATs week."
    )
    for post in (waiting, approved):
        post = Post.objects.get(pk=post.pk)
        assert post.state == Post.State.DRAFT
        assert _actions(post)[-1] == "post.back_to_draft"
    assert Notification.objects.filter(recipient=demo("employee"), subject__contains="rejected").exists()


def test_the_line_manager_may_turn_a_campaign_down_at_their_step():
    campaign = submitted_campaign(demo("employee"))
    with pytest.raises(PermissionDenied):
        services.campaign_decide(actor=demo("manager"), campaign=campaign, approve=True, reason="")
    campaign = services.campaign_decide(actor=demo("manager"), campaign=campaign, approve=False, reason="Not now.")
    assert campaign.state == Campaign.State.REJECTED


def test_a_campaign_uses_only_the_proposers_school_accounts_and_sane_dates():
    from publishing.models import OfficialAccount

    kennet = OfficialAccount.objects.get(handle="@kennetvalleyacademy")
    with pytest.raises(ValidationError):
        draft_campaign(demo("employee"), accounts=[kennet])
    with pytest.raises(ValidationError):
        draft_campaign(
            demo("employee"),
            starts_on=timezone.localdate() + timezone.timedelta(days=9),
            ends_on=timezone.localdate() + timezone.timedelta(days=2),
        )


def test_a_decision_is_made_once():
    campaign = submitted_campaign(demo("manager"))
    services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=True, reason="")
    with pytest.raises(ValidationError, match="not waiting"):
        services.campaign_decide(actor=demo("headteacher"), campaign=campaign, approve=False, reason="Changed mind")


# --- advice ------------------------------------------------------------------------------------------


def test_author_asks_advice_only_of_line_manager_business_manager_or_headteacher():
    post = draft_post()
    for adviser in ("manager", "bizmanager", "headteacher"):
        services.advice_ask(actor=demo("employee"), post=post, adviser=demo(adviser), question="Is this OK?")
    with pytest.raises(ValidationError):
        services.advice_ask(actor=demo("employee"), post=post, adviser=demo("hr"), question="Is this OK?")
    thread = post.advice_threads.get(adviser=demo("manager"))
    services.advice_reply(actor=demo("manager"), thread=thread, body="Drop the surname.")
    with pytest.raises(PermissionDenied):
        services.advice_reply(actor=demo("headteacher"), thread=thread, body="Butting in")
    assert thread.messages.count() == 2


def test_contributor_account_register_stays_within_the_school():
    with pytest.raises(ValidationError):
        services.contributor_add(actor=demo("bizmanager"), account=oakfield_x(), employee=demo("hr"))
    with pytest.raises(PermissionDenied):
        services.contributor_add(actor=demo("employee"), account=oakfield_x(), employee=demo("bizmanager"))
    with pytest.raises(ValidationError, match="already"):
        services.contributor_add(actor=demo("bizmanager"), account=oakfield_x(), employee=demo("employee"))
