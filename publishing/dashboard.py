"""What the publishing app adds to the navigation, the dashboards and the demo world (clause 3)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel, seed_hook
from people.models import Role
from people.selectors import has_role, role_organisations
from publishing import selectors
from publishing.models import Contributor, OfficialAccount, Post

nav_entry("Official accounts", "publishing:account_list", "publishing.open_register", order=30, section="Publishing")
nav_entry("Posts", "publishing:post_list", "publishing.open_posts", order=31, section="Publishing")
nav_entry("Campaigns", "publishing:campaign_list", "publishing.open_campaigns", order=32, section="Publishing")


@panel(order=40)
def my_posts(request):
    """A contributor's drafts and where each has got to."""
    user = request.user
    contributions = list(Contributor.objects.filter(employee=user).select_related("account"))
    if not contributions:
        return None
    posts = list(
        Post.objects.filter(author=user)
        .exclude(state=Post.State.PUBLISHED)
        .select_related("account", "checker")
        .order_by("-updated_at")[:6]
    )
    return Panel(
        "Your official posts",
        "publishing/panels/my_posts.html",
        {"posts": posts, "trained": selectors.is_trained(user), "accounts": [c.account for c in contributions]},
        order=40,
    )


@panel(order=41)
def posts_to_check(request):
    posts = list(selectors.posts_awaiting_check_by(request.user)[:6])
    if not posts:
        return None
    return Panel("Posts waiting for your check", "publishing/panels/to_check.html", {"posts": posts}, order=41)


@panel(order=42)
def campaigns_to_decide(request):
    campaigns = list(selectors.campaigns_awaiting(request.user)[:6])
    if not campaigns and not has_role(request.user, Role.HEADTEACHER):
        return None
    return Panel(
        "Campaigns awaiting your decision",
        "publishing/panels/campaigns_to_decide.html",
        {"campaigns": campaigns},
        order=42,
    )


@panel(order=43)
def school_accounts(request):
    schools = role_organisations(request.user, Role.HEADTEACHER) | role_organisations(
        request.user, Role.BUSINESS_MANAGER
    )
    if not schools:
        return None
    accounts = list(
        OfficialAccount.objects.filter(school_id__in=schools)
        .select_related("school", "owner")
        .annotate(contributor_count=Count("contributors"))
    )
    return Panel(
        "Your school's official accounts", "publishing/panels/school_accounts.html", {"accounts": accounts}, 43
    )


@panel(order=44)
def communications_overview(request):
    if not has_role(request.user, Role.COMMUNICATIONS):
        return None
    untrained = list(selectors.untrained_contributors()[:10])
    return Panel(
        "Official accounts and training",
        "publishing/panels/communications.html",
        {
            "account_count": OfficialAccount.objects.count(),
            "active_count": OfficialAccount.objects.filter(status=OfficialAccount.Status.ACTIVE).count(),
            "untrained": untrained,
            "untrained_count": selectors.untrained_contributors().count(),
        },
        order=44,
    )


@seed_hook
def seed_publishing(*, users, schools, council, rng, **_):
    """Oakfield's official accounts, trained and untrained contributors, a post and a campaign in flight."""
    from publishing import services

    oakfield, kennet = schools[0], schools[1]
    comms, head, biz = users["comms"], users["headteacher"], users["bizmanager"]
    employee, manager = users["employee"], users["manager"]
    x_account = services.official_account_create(
        actor=biz,
        school=oakfield,
        platform=OfficialAccount.Platform.X,
        handle="@OakfieldPrimary",
        url="https://x.com/OakfieldPrimary",
        owner=biz,
    )
    facebook = services.official_account_create(
        actor=biz,
        school=oakfield,
        platform=OfficialAccount.Platform.FACEBOOK,
        handle="Oakfield Primary School",
        url="https://www.facebook.com/OakfieldPrimaryReading",
        owner=head,
    )
    today = timezone.localdate()
    for person in (employee, manager):
        services.contributor_add(actor=biz, account=x_account, employee=person)
        services.contributor_add(actor=biz, account=facebook, employee=person)
        services.training_record(
            actor=comms, employee=person, trained_on=today - dt.timedelta(days=40), notes="Half-day workshop"
        )
    newcomer = (
        oakfield.employees.exclude(pk__in=[u.pk for u in users.values()]).order_by("last_name", "first_name").first()
    )
    services.contributor_add(actor=biz, account=facebook, employee=newcomer)

    published = services.post_create(
        actor=manager,
        account=x_account,
        text="Well done to Year 6 for a brilliant performance of Oliver! at the Hexagon last night.",
        purpose_benefit="Celebrates pupils' achievement and the school's link with the town's theatre.",
    )
    services.post_submit(actor=manager, post=published, checker=employee)
    services.post_check(
        actor=employee,
        post=published,
        decision="approved",
        **{name: True for name in ("no_disrepute", "no_confidential", "copyright_cleared", "not_discriminatory")},
        purpose_benefit=True,
    )
    services.post_record_published(
        actor=manager,
        post=published,
        url="https://x.com/OakfieldPrimary/status/1890000000000000001",
        published_at=timezone.now() - dt.timedelta(hours=2),
    )

    waiting = services.post_create(
        actor=employee,
        account=facebook,
        text=(
            "Our Year 4 science week starts on Monday! Parents are welcome at the open afternoon on Thursday. "
            "Questions? Ring the office on 0118 496 0123."
        ),
        purpose_benefit="Invites families to see pupils' science work and builds home-school links.",
    )
    services.post_submit(actor=employee, post=waiting, checker=manager)
    services.post_create(
        actor=employee,
        account=x_account,
        text="Reminder: the school library is open after school on Wednesdays.",
        purpose_benefit="Encourages reading at home.",
    )

    campaign = services.campaign_create(
        actor=employee,
        title="Walk to School Month",
        purpose_benefit="Encourages families to walk or cycle, easing traffic at the gates and improving fitness.",
        audience="Oakfield families and neighbours on Mill Lane",
        accounts=[x_account, facebook],
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=44),
        planned_posts="Weekly tips on safe routes; a photo round-up of the walking bus each Friday.",
    )
    services.campaign_submit(actor=employee, campaign=campaign)
    services.campaign_endorse(actor=manager, campaign=campaign)

    # Another school's account, so people at Oakfield can be shown not to see it.
    kennet_head = kennet.role_assignments.get(role=Role.HEADTEACHER).user
    kennet_teacher = kennet.employees.filter(line_manager__isnull=False, role_assignments__isnull=True).first()
    kennet_account = services.official_account_create(
        actor=comms,
        school=kennet,
        platform=OfficialAccount.Platform.INSTAGRAM,
        handle="@kennetvalleyacademy",
        url="https://www.instagram.com/kennetvalleyacademy",
        owner=kennet_head,
    )
    services.contributor_add(actor=comms, account=kennet_account, employee=kennet_teacher)
    services.training_record(actor=comms, employee=kennet_teacher, trained_on=today - dt.timedelta(days=10))
    services.post_create(
        actor=kennet_teacher,
        account=kennet_account,
        text="Our Year 9 art exhibition opens on Friday.",
        purpose_benefit="Shows pupils' work to the community.",
    )
    services.campaign_create(
        actor=kennet_teacher,
        title="Kennet Valley Reading Challenge",
        purpose_benefit="Raises reading for pleasure.",
        audience="Kennet Valley families",
        accounts=[kennet_account],
        starts_on=today + dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=30),
        planned_posts="Two posts a week.",
    )
