"""What is waiting for each person, asked of every app through `core.dashboard.waiting_item`.

These items read the people, cases, publishing and disclosures apps through their selectors and models;
each costs one or two queries whatever the size of the data. Apps built later (monitoring,
surveillance) register their own items in their `dashboard.py` the same way.
"""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from core.dashboard import WaitingItem, waiting_item
from people.models import Notification, Role, SubjectAccessRequest
from people.selectors import has_role, is_line_manager, policy_acknowledgement_due, role_organisations


def _is_hr(user) -> bool:
    return has_role(user, Role.HR_OFFICER) or has_role(user, Role.HEAD_OF_HR)


def _date(value) -> str:
    return f"{value:%d/%m/%Y}"


# --- people (clause 1: the policy; subject access) ---------------------------------------------------


@waiting_item(order=0)
def policy_to_acknowledge(user):
    version = policy_acknowledgement_due(user)
    if version is None:
        return None
    return WaitingItem(f"Read and acknowledge the {version}", 1, reverse("people:policy"), urgent=True)


@waiting_item(order=1)
def unread_notifications(user):
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return WaitingItem("Unread notifications", count, reverse("people:notifications"))


@waiting_item(order=5)
def team_acknowledgements(user):
    if not is_line_manager(user):
        return None
    from people.selectors import current_policy_version

    version = current_policy_version()
    if version is None:
        return None
    count = user.direct_reports.filter(is_active=True).exclude(policy_acknowledgements__policy_version=version).count()
    return WaitingItem("Team members yet to acknowledge the policy", count, reverse("people:team"))


@waiting_item(order=90)
def subject_access_requests(user):
    if not _is_hr(user):
        return None
    today = timezone.localdate()
    stats = SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)), next_due=Min("due_on")
    )
    detail = f"next due {_date(stats['next_due'])}" if stats["next_due"] else ""
    if stats["overdue"]:
        detail = f"{stats['overdue']} overdue; {detail}"
    return WaitingItem(
        "Subject access requests to answer", stats["open"], reverse("people:sar_list"), detail, bool(stats["overdue"])
    )


@waiting_item(order=95)
def emails_not_sent(user):
    """For the system administrator: notification emails still queued; many means the worker or mail is down."""
    if not user.is_staff:
        return None
    from people.tasks import MAX_ATTEMPTS

    stats = Notification.objects.filter(emailed_at__isnull=True).aggregate(
        waiting=Count("pk"),
        failing=Count("pk", filter=Q(email_attempts__gt=0)),
        given_up=Count("pk", filter=Q(email_attempts__gte=MAX_ATTEMPTS)),
    )
    detail = f"{stats['failing']} failed at least once" if stats["failing"] else "queued for the mail worker"
    if stats["given_up"]:
        detail += f"; {stats['given_up']} no longer retried"
    return WaitingItem(
        "Notification emails not yet sent",
        stats["waiting"],
        reverse("admin:index"),
        detail,
        urgent=bool(stats["given_up"]),
    )


# --- cases (clauses 3.3, 5, 7) -------------------------------------------------------------------------


@waiting_item(order=20)
def concerns_for_hr(user):
    if not _is_hr(user):
        return None
    from cases.models import Case, IncidentReport

    reports = (
        IncidentReport.objects.exclude(subject_id=user.pk)
        .exclude(reporter_id=user.pk)
        .aggregate(
            triage=Count("pk", filter=Q(status=IncidentReport.Status.REPORTED)),
            oldest=Min("reported_at", filter=Q(status=IncidentReport.Status.REPORTED)),
        )
    )
    cases = Case.objects.not_naming(user).aggregate(
        unassigned=Count("pk", filter=Q(status=Case.Status.OPEN)),
        appeals=Count("pk", filter=Q(status=Case.Status.APPEAL)),
        next_deadline=Min("deadlines__due_on", filter=Q(deadlines__met_on__isnull=True, status__in=Case.ACTIVE_STATES)),
    )
    triage_detail = ""
    if reports["oldest"]:
        triage_detail = f"oldest reported {timezone.localtime(reports['oldest']):%d/%m/%Y}"
    cases_url = reverse("cases:case_list")
    deadline = cases["next_deadline"]
    return [
        WaitingItem("Concerns to triage", reports["triage"], reverse("cases:triage"), triage_detail),
        WaitingItem(
            "Cases waiting for an investigating officer",
            cases["unassigned"],
            cases_url,
            f"next case deadline {_date(deadline)}" if deadline else "",
        ),
        WaitingItem("Appeals to hear (7.3)", cases["appeals"], cases_url, urgent=True),
    ]


@waiting_item(order=21)
def cases_to_investigate(user):
    from cases.models import Case

    today = timezone.localdate()
    stats = Case.objects.filter(investigating_officer=user, status__in=Case.ACTIVE_STATES).aggregate(
        cases=Count("pk", distinct=True),
        next_deadline=Min("deadlines__due_on", filter=Q(deadlines__met_on__isnull=True)),
    )
    deadline = stats["next_deadline"]
    detail = f"next deadline {_date(deadline)}" if deadline else ""
    return WaitingItem(
        "Cases you are investigating",
        stats["cases"],
        reverse("cases:case_list"),
        detail,
        urgent=bool(deadline and deadline < today),
    )


@waiting_item(order=22)
def questions_from_hr(user):
    from cases.models import IncidentReport

    count = IncidentReport.objects.filter(reporter=user, status=IncidentReport.Status.AWAITING_REPORTER).count()
    return WaitingItem("Questions from HR about your reports", count, reverse("cases:mine"), urgent=True)


@waiting_item(order=23)
def appeal_window(user):
    """An outcome the employee may still appeal against (7.3)."""
    from cases.models import Case

    case = (
        Case.objects.filter(subject=user, status=Case.Status.OUTCOME_RECORDED, outcome__isnull=False)
        .select_related("outcome")
        .order_by("-opened_at")
        .first()
    )
    if case is None or not case.outcome.appealable or case.outcome.appeal_deadline < timezone.localdate():
        return None
    return WaitingItem(
        f"Outcome of {case.reference}: you may appeal",
        1,
        case.get_subject_url(),
        f"until {_date(case.outcome.appeal_deadline)}",
    )


# --- publishing (clauses 3.3, 3.4) ---------------------------------------------------------------------


@waiting_item(order=30)
def publishing_items(user):
    from publishing.models import Campaign, Post

    posts_url = reverse("publishing:post_list")
    posts = Post.objects.filter(Q(checker=user) | Q(author=user)).aggregate(
        to_check=Count("pk", filter=Q(checker=user, state=Post.State.AWAITING_CHECK) & ~Q(author=user)),
        returned=Count("pk", filter=Q(author=user, state=Post.State.RETURNED)),
        to_publish=Count("pk", filter=Q(author=user, state=Post.State.APPROVED)),
    )
    heads = role_organisations(user, Role.HEADTEACHER)
    campaigns = (
        Campaign.objects.filter(
            Q(state=Campaign.State.SUBMITTED, proposer__line_manager=user)
            | Q(state=Campaign.State.ENDORSED, school_id__in=heads)
        )
        .exclude(proposer=user)
        .aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    )
    oldest = campaigns["oldest"]
    return [
        WaitingItem("Posts waiting for your check (3.3)", posts["to_check"], f"{posts_url}?role=check"),
        WaitingItem(
            "Campaigns waiting for your decision (3.4)",
            campaigns["n"],
            f"{reverse('publishing:campaign_list')}",
            f"waiting since {timezone.localtime(oldest):%d/%m/%Y}" if oldest else "",
        ),
        WaitingItem("Your posts returned with comments", posts["returned"], f"{posts_url}?role=mine&state=returned"),
        WaitingItem("Your approved posts to publish", posts["to_publish"], f"{posts_url}?role=mine&state=approved"),
    ]


@waiting_item(order=31)
def advice_asked(user):
    """Advice threads (3.4) in which the author spoke last, so the adviser owes a reply."""
    from django.db.models import OuterRef, Subquery

    from publishing.models import AdviceMessage, AdviceThread

    last_author = AdviceMessage.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk").values("author")
    count = (
        AdviceThread.objects.filter(adviser=user)
        .annotate(last_author=Subquery(last_author[:1]))
        .exclude(last_author=user.pk)
        .count()
    )
    return WaitingItem("Requests for your advice on posts (3.4)", count, reverse("publishing:post_list"))


@waiting_item(order=32)
def contributors_to_train(user):
    if not has_role(user, Role.COMMUNICATIONS):
        return None
    from publishing.selectors import untrained_contributors

    count = untrained_contributors().values("employee_id").distinct().count()
    return WaitingItem("Contributors to train (3.1)", count, reverse("publishing:account_list"))


# --- disclosures (clause 5) ----------------------------------------------------------------------------


@waiting_item(order=40)
def my_declared_accounts(user):
    from disclosures.models import DisclosureReconfirmation, PersonalAccountDisclosure
    from disclosures.selectors import reconfirm_every, restriction_notice_due

    mine_url = reverse("disclosures:mine")
    stats = PersonalAccountDisclosure.objects.filter(employee=user).aggregate(
        total=Count("pk"),
        needing=Count("pk", filter=Q(outcome=PersonalAccountDisclosure.Outcome.NEEDS_CHANGES)),
        first=Min("submitted_at"),
    )
    items = [WaitingItem("Your declared accounts needing changes (5.3, 5.4)", stats["needing"], mine_url, urgent=True)]
    if stats["total"]:
        last = DisclosureReconfirmation.objects.filter(employee=user).aggregate(at=Max("confirmed_at"))["at"]
        since = last or stats["first"]
        if timezone.now() - since >= reconfirm_every():
            items.append(WaitingItem("Reconfirm your declared accounts", 1, mine_url))
    if restriction_notice_due(user):
        items.append(WaitingItem("Read the notice for politically restricted posts (5.6)", 1, mine_url, urgent=True))
    return items


@waiting_item(order=41)
def declared_accounts_for_hr(user):
    if not _is_hr(user):
        return None
    from disclosures.models import PersonalAccountDisclosure

    stats = PersonalAccountDisclosure.objects.aggregate(
        needing=Count("pk", filter=Q(outcome=PersonalAccountDisclosure.Outcome.NEEDS_CHANGES)),
        political=Count("pk", filter=Q(political_flagged_at__isnull=False)),
    )
    review = reverse("disclosures:review")
    return [
        WaitingItem("Declared accounts needing changes", stats["needing"], f"{review}?outcome=needs_changes"),
        WaitingItem("Political activity flagged (5.6)", stats["political"], reverse("disclosures:restricted_posts")),
    ]
