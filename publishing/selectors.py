"""Queries that encode who may see which accounts, posts and campaigns (clause 3)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from people.models import Role, User
from people.selectors import has_role, role_organisations
from publishing.models import (
    AdviceThread,
    Campaign,
    CampaignPhase,
    Contributor,
    OfficialAccount,
    Post,
    PostMedia,
    TrainingRecord,
)


def is_trained(user: User) -> bool:
    """Trained by the communications team (3.1); loaded once per user object."""
    cached = getattr(user, "_social_trained_cache", None)
    if cached is None:
        cached = TrainingRecord.objects.filter(employee_id=user.pk).exists()
        user._social_trained_cache = cached
    return cached


def _leader_schools(user: User) -> set[int]:
    return role_organisations(user, Role.HEADTEACHER) | role_organisations(user, Role.BUSINESS_MANAGER)


def accounts_visible_to(user: User) -> QuerySet[OfficialAccount]:
    """The communications team sees every account; school leaders their school's; contributors their own."""
    qs = OfficialAccount.objects.select_related("school", "owner")
    if has_role(user, Role.COMMUNICATIONS):
        return qs
    contributes = Exists(Contributor.objects.filter(account=OuterRef("pk"), employee_id=user.pk))
    return qs.filter(Q(school_id__in=_leader_schools(user)) | contributes | Q(owner=user))


def account_get_for_user(user: User, pk: int) -> OfficialAccount:
    account = accounts_visible_to(user).filter(pk=pk).first()
    if account is None:
        raise Http404("No such account.")
    return account


def accounts_user_contributes_to(user: User) -> QuerySet[OfficialAccount]:
    return OfficialAccount.objects.filter(
        contributors__employee=user, status=OfficialAccount.Status.ACTIVE
    ).select_related("school")


def contributors_with_training(account_ids: list[int] | None = None) -> QuerySet[Contributor]:
    qs = Contributor.objects.select_related("employee", "account", "account__school").annotate(
        trained=Exists(TrainingRecord.objects.filter(employee_id=OuterRef("employee_id")))
    )
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    return qs


def untrained_contributors() -> QuerySet[Contributor]:
    """Contributors the communications team has still to train (3.1)."""
    return (
        contributors_with_training()
        .filter(trained=False)  # type: ignore[misc]  # an annotation django-stubs cannot see
        .order_by("account__school__name", "employee__last_name")
    )


def posts_visible_to(user: User) -> QuerySet[Post]:
    qs = Post.objects.select_related("account", "account__school", "author", "checker", "campaign")
    if has_role(user, Role.COMMUNICATIONS):
        return qs
    condition = (
        Q(author=user)
        | Q(checker=user)
        | Exists(AdviceThread.objects.filter(post=OuterRef("pk"), adviser_id=user.pk))
        | Q(account__school_id__in=_leader_schools(user))
        | Q(author__line_manager=user)
        | Q(author__line_manager__line_manager=user)
        | Q(author__line_manager__line_manager__line_manager=user)
    )
    return qs.filter(condition)


def post_get_for_user(user: User, pk: int) -> Post:
    post = posts_visible_to(user).filter(pk=pk).first()
    if post is None:
        raise Http404("No such post.")
    return post


def media_get_for_user(user: User, pk: int) -> PostMedia:
    item = PostMedia.objects.select_related("post").filter(pk=pk).first()
    if item is None or not posts_visible_to(user).filter(pk=item.post_id).exists():
        raise Http404("No such file.")
    return item


def advice_thread_get_for_user(user: User, pk: int) -> AdviceThread:
    thread = AdviceThread.objects.select_related("post", "adviser").filter(pk=pk).first()
    if thread is None or not posts_visible_to(user).filter(pk=thread.post_id).exists():
        raise Http404("No such advice thread.")
    return thread


def posts_awaiting_check_by(user: User) -> QuerySet[Post]:
    return Post.objects.filter(checker=user, state=Post.State.AWAITING_CHECK).select_related("account", "author")


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("school", "proposer", "endorsed_by", "decided_by")
    if has_role(user, Role.COMMUNICATIONS):
        return qs
    condition = (
        Q(proposer=user)
        | Q(proposer__line_manager=user)
        | Q(proposer__line_manager__line_manager=user)
        | Q(proposer__line_manager__line_manager__line_manager=user)
        | Q(school_id__in=_leader_schools(user))
    )
    return qs.filter(condition)


def campaign_get_for_user(user: User, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def campaigns_awaiting(user: User) -> QuerySet[Campaign]:
    """Campaigns waiting for this user's decision: as line manager, or as headteacher."""
    heads = role_organisations(user, Role.HEADTEACHER)
    as_manager = Q(state=Campaign.State.SUBMITTED, proposer__line_manager=user)
    as_head = Q(state=Campaign.State.ENDORSED, school_id__in=heads)
    return (
        Campaign.objects.filter(as_manager | as_head)
        .exclude(proposer=user)
        .select_related("school", "proposer")
        .order_by("submitted_at")
    )


def campaigns_open_for_posts(author: User, account: OfficialAccount) -> QuerySet[Campaign]:
    """Campaigns a new post on this account may belong to: the author's school's, using it, neither rejected
    nor finished (3.4)."""
    return (
        Campaign.objects.with_phase()
        .filter(accounts=account, school_id=account.school_id)
        .exclude(current_phase__in=[CampaignPhase.REJECTED, CampaignPhase.FINISHED])
    )


def staff_names_for_prescreen(school_id: int) -> list[str]:
    """Full names of the school's staff, for the pre-screen's personal-data warning."""
    rows = User.objects.filter(organisation_id=school_id, is_active=True).values_list("first_name", "last_name")
    return [f"{first} {last}".strip() for first, last in rows if first and last]


def colleagues_for_check(author: User) -> QuerySet[User]:
    """Who may check a post: an active colleague at the author's school, never the author (3.4)."""
    return (
        User.objects.active()
        .filter(organisation_id=author.organisation_id)
        .exclude(pk=author.pk)
        .order_by("last_name", "first_name")
    )


def advisers_for(author: User) -> QuerySet[User]:
    """3.4: the line manager, the school business manager or the headteacher."""
    condition = Q(
        role_assignments__organisation_id=author.organisation_id,
        role_assignments__role__in=[Role.HEADTEACHER, Role.BUSINESS_MANAGER],
    )
    if author.line_manager_id:
        condition |= Q(pk=author.line_manager_id)
    return User.objects.filter(condition).exclude(pk=author.pk).distinct().order_by("last_name", "first_name")
