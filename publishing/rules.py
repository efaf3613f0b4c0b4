"""Who may do what with official accounts, posts and campaigns (clause 3)."""

from __future__ import annotations

import rules

from people.models import Role
from people.rules import (
    is_business_manager,
    is_communications,
    is_headteacher,
    is_line_manager_of,
    is_school_leader_of,
)
from people.selectors import has_role


def _school_id(user) -> int | None:
    org = getattr(user, "organisation", None)
    return org.pk if org is not None and org.kind == "school" else None


@rules.predicate
def works_at_a_school(user) -> bool:
    return _school_id(user) is not None


@rules.predicate
def is_contributor_to(user, account) -> bool:
    from publishing.models import OfficialAccount

    return isinstance(account, OfficialAccount) and account.contributors.filter(employee_id=user.pk).exists()


@rules.predicate
def is_trained(user) -> bool:
    from publishing.selectors import is_trained as _trained

    return _trained(user)


@rules.predicate
def is_author(user, post) -> bool:
    return getattr(post, "author_id", None) == user.pk


@rules.predicate
def is_named_checker(user, post) -> bool:
    return getattr(post, "checker_id", None) == user.pk and post.author_id != user.pk


@rules.predicate
def post_is_editable(user, post) -> bool:
    return post.is_editable


@rules.predicate
def post_awaits_check(user, post) -> bool:
    return post.state == post.State.AWAITING_CHECK


@rules.predicate
def post_is_approved(user, post) -> bool:
    return post.state == post.State.APPROVED


@rules.predicate
def post_campaign_has_finished(user, post) -> bool:
    return post.campaign_has_finished()


@rules.predicate
def is_contributor(user) -> bool:
    from publishing.models import Contributor

    return Contributor.objects.filter(employee_id=user.pk, account__status="active").exists()


@rules.predicate
def is_adviser_on(user, post) -> bool:
    return post.advice_threads.filter(adviser_id=user.pk).exists()


@rules.predicate
def is_in_advice_thread(user, thread) -> bool:
    return user.pk in (thread.adviser_id, thread.post.author_id)


@rules.predicate
def is_proposer(user, campaign) -> bool:
    return getattr(campaign, "proposer_id", None) == user.pk


@rules.predicate
def is_proposers_line_manager(user, campaign) -> bool:
    return campaign.proposer.line_manager_id == user.pk and campaign.proposer_id != user.pk


@rules.predicate
def is_campaign_headteacher(user, campaign) -> bool:
    return campaign.proposer_id != user.pk and has_role(user, Role.HEADTEACHER, campaign.school_id)


@rules.predicate
def campaign_is_draft(user, campaign) -> bool:
    return campaign.state == campaign.State.DRAFT


@rules.predicate
def campaign_awaits_line_manager(user, campaign) -> bool:
    return campaign.state == campaign.State.SUBMITTED


@rules.predicate
def campaign_awaits_this_headteacher(user, campaign) -> bool:
    """Endorsed by the line manager, or submitted when the headteacher is the line manager (one step)."""
    if campaign.state == campaign.State.ENDORSED:
        return True
    return campaign.state == campaign.State.SUBMITTED and campaign.proposer.line_manager_id == user.pk


@rules.predicate
def is_school_headteacher_of_campaign(user, campaign) -> bool:
    """Unlike deciding, ending is open to a headteacher who proposed it: they are its proposer too."""
    return has_role(user, Role.HEADTEACHER, campaign.school_id)


@rules.predicate
def campaign_is_running(user, campaign) -> bool:
    return campaign.is_running()


@rules.predicate
def is_proposers_chain(user, campaign) -> bool:
    return is_line_manager_of(user, campaign.proposer)


@rules.predicate
def is_authors_chain(user, post) -> bool:
    return is_line_manager_of(user, post.author)


@rules.predicate
def can_manage_school_register(user, account_or_school) -> bool:
    """The communications team, or the school's headteacher or business manager, who runs the register."""
    return bool(is_communications(user) or is_school_leader_of(user, account_or_school))


rules.add_perm("publishing.open_register", rules.is_authenticated)
rules.add_perm("publishing.add_official_account", is_communications | is_headteacher | is_business_manager)
rules.add_perm("publishing.open_account", is_communications | is_school_leader_of | is_contributor_to)
rules.add_perm("publishing.manage_account", can_manage_school_register)
rules.add_perm("publishing.record_training", is_communications)
rules.add_perm("publishing.draft_post", is_contributor_to)
rules.add_perm("publishing.draft_posts", is_contributor)
rules.add_perm("publishing.open_posts", rules.is_authenticated)
rules.add_perm(
    "publishing.open_post",
    is_author | is_named_checker | is_adviser_on | is_authors_chain | is_school_leader_of | is_communications,
)
rules.add_perm("publishing.edit_post", is_author & post_is_editable)
rules.add_perm("publishing.submit_post", is_author & post_is_editable & is_trained)
rules.add_perm("publishing.check_post", is_named_checker & post_awaits_check)
rules.add_perm("publishing.record_published", is_author & post_is_approved)
rules.add_perm("publishing.take_out_of_campaign", is_author & post_is_approved & post_campaign_has_finished)
rules.add_perm("publishing.ask_advice", is_author & post_is_editable)
rules.add_perm("publishing.reply_advice", is_in_advice_thread)
rules.add_perm("publishing.propose_campaign", works_at_a_school)
rules.add_perm("publishing.open_campaigns", rules.is_authenticated)
rules.add_perm("publishing.open_campaign", is_proposer | is_proposers_chain | is_school_leader_of | is_communications)
rules.add_perm("publishing.submit_campaign", is_proposer & campaign_is_draft)
rules.add_perm("publishing.endorse_campaign", is_proposers_line_manager & campaign_awaits_line_manager)
rules.add_perm("publishing.decide_campaign", is_campaign_headteacher & campaign_awaits_this_headteacher)
rules.add_perm("publishing.end_campaign", (is_proposer | is_school_headteacher_of_campaign) & campaign_is_running)
