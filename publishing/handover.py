"""Publishing work a leaver leaves open: posts waiting for their check, campaigns waiting for their approval."""

from people.directory.handover import OpenItem, open_items
from publishing.models import Campaign, Post


@open_items("Posts awaiting their check")
def posts_to_check(user_ids) -> dict[int, list[OpenItem]]:
    found: dict[int, list[OpenItem]] = {}
    posts = Post.objects.filter(checker_id__in=user_ids, state=Post.State.AWAITING_CHECK).select_related("account")
    for post in posts:
        found.setdefault(post.checker_id, []).append(
            OpenItem("Post awaiting their check (3.3)", f"A post for {post.account}", post.get_absolute_url())
        )
    return found


@open_items("Campaigns waiting for their approval")
def campaigns_to_approve(user_ids) -> dict[int, list[OpenItem]]:
    """A submitted campaign waits for the proposer's line manager (3.4)."""
    found: dict[int, list[OpenItem]] = {}
    campaigns = Campaign.objects.filter(
        state=Campaign.State.SUBMITTED, proposer__line_manager_id__in=user_ids
    ).select_related("proposer")
    for campaign in campaigns:
        found.setdefault(campaign.proposer.line_manager_id, []).append(
            OpenItem("Campaign waiting for their approval (3.4)", campaign.title, campaign.get_absolute_url())
        )
    return found
