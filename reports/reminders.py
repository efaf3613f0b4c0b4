"""Reminders for deadlines that are near or passed, where the apps have none of their own.

cases reminds of case deadlines (`send_deadline_reminders`) and disclosures of yearly reconfirmation;
this job covers the rest: subject access requests (one month to answer), precautionary suspension
reviews (7.3), concerns left in triage, posts left waiting for their colleague check (3.3) and
campaigns left waiting for a decision (3.4). Each reminder is sent once per stage (near, then passed),
so the job is safe to rerun or to miss a night.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from people.models import Role, SubjectAccessRequest, User
from people.notifications import notify
from people.selectors import hr_staff
from reports.models import ReminderSent

TEMPLATE = "reports/email/reminder.txt"


@dataclass(frozen=True)
class Reminder:
    key: str
    recipients: list[User]
    subject: str
    message: str
    url: str


def _stage(due: dt.date, today: dt.date) -> str:
    return "passed" if due < today else "near"


def _subject_access(today: dt.date, ahead: dt.date) -> list[Reminder]:
    hr = hr_staff()
    out = []
    for sar in SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.OPEN, due_on__lte=ahead):
        stage = _stage(sar.due_on, today)
        word = "overdue" if stage == "passed" else "due soon"
        out.append(
            Reminder(
                f"sar:{sar.pk}:{stage}",
                [u for u in hr if u.pk != sar.employee_id],
                f"Subject access request {word}",
                f"A subject access request received on {sar.received_on:%d/%m/%Y} must be answered by "
                f"{sar.due_on:%d/%m/%Y}.",
                sar.get_absolute_url(),
            )
        )
    return out


def _suspension_reviews(today: dt.date, ahead: dt.date) -> list[Reminder]:
    from cases.models import Case

    out = []
    for case in Case.objects.filter(
        suspended_from__isnull=False,
        suspension_lifted_on__isnull=True,
        closed_at__isnull=True,
        suspension_review_on__lte=ahead,
    ).select_related("opened_by"):
        stage = _stage(case.suspension_review_on, today)
        out.append(
            Reminder(
                f"suspension-review:{case.pk}:{case.suspension_review_on:%Y%m%d}:{stage}",
                [case.opened_by],
                f"Suspension review {'overdue' if stage == 'passed' else 'due'} on {case.reference}",
                f"The precautionary suspension on {case.reference} is due for review on "
                f"{case.suspension_review_on:%d/%m/%Y}.",
                case.get_absolute_url(),
            )
        )
    return out


def _stale_triage(now: dt.datetime, stale: dt.timedelta) -> list[Reminder]:
    from cases.models import IncidentReport

    hr = hr_staff()
    out = []
    for report in IncidentReport.objects.filter(status=IncidentReport.Status.REPORTED, reported_at__lte=now - stale):
        out.append(
            Reminder(
                f"triage:{report.pk}:waiting",
                [u for u in hr if u.pk not in {report.subject_id, report.reporter_id}],
                f"Concern {report.reference} is still waiting for triage",
                f"Concern {report.reference} was reported on {timezone.localtime(report.reported_at):%d/%m/%Y} "
                "and has not been triaged yet.",
                report.get_absolute_url(),
            )
        )
    return out


def _stale_checks(now: dt.datetime, stale: dt.timedelta) -> list[Reminder]:
    from publishing.models import Post

    out = []
    for post in Post.objects.filter(
        state=Post.State.AWAITING_CHECK, submitted_at__lte=now - stale, checker__isnull=False
    ).select_related("checker", "account"):
        out.append(
            Reminder(
                f"post-check:{post.pk}:{post.check_round}",
                [post.checker],
                "A post is still waiting for your check",
                f"A post for {post.account} has been waiting for your check (3.3) since "
                f"{timezone.localtime(post.submitted_at):%d/%m/%Y}.",
                post.get_absolute_url(),
            )
        )
    return out


def _stale_campaigns(now: dt.datetime, stale: dt.timedelta) -> list[Reminder]:
    from publishing.models import Campaign

    waiting = Campaign.objects.filter(
        Q(state=Campaign.State.SUBMITTED, submitted_at__lte=now - stale)
        | Q(state=Campaign.State.ENDORSED, endorsed_at__lte=now - stale)
    ).select_related("proposer__line_manager")
    heads: dict[int, list[User]] = {}
    school_ids = {c.school_id for c in waiting if c.state == Campaign.State.ENDORSED}
    for assignment in (
        User.objects.filter(role_assignments__role=Role.HEADTEACHER, role_assignments__organisation_id__in=school_ids)
        .values_list("pk", "role_assignments__organisation_id")
        .distinct()
    ):
        heads.setdefault(assignment[1], []).append(assignment[0])
    head_users = {u.pk: u for u in User.objects.filter(pk__in={pk for ids in heads.values() for pk in ids})}
    out = []
    for campaign in waiting:
        if campaign.state == Campaign.State.SUBMITTED:
            recipients = [campaign.proposer.line_manager] if campaign.proposer.line_manager_id else []
        else:
            recipients = [head_users[pk] for pk in heads.get(campaign.school_id, []) if pk != campaign.proposer_id]
        out.append(
            Reminder(
                f"campaign:{campaign.pk}:{campaign.state}",
                recipients,
                f"Campaign “{campaign.title}” is waiting for your decision",
                f"The campaign “{campaign.title}” is waiting for your decision (3.4).",
                campaign.get_absolute_url(),
            )
        )
    return out


def due_reminders(*, now: dt.datetime | None = None) -> list[Reminder]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    ahead = today + dt.timedelta(days=settings.REPORTS_REMINDER_DAYS_AHEAD)
    stale = dt.timedelta(days=settings.REPORTS_STALE_AFTER_DAYS)
    return [
        *_subject_access(today, ahead),
        *_suspension_reviews(today, ahead),
        *_stale_triage(now, stale),
        *_stale_checks(now, stale),
        *_stale_campaigns(now, stale),
    ]


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send every reminder not sent before; returns how many went out."""
    sent = 0
    for reminder in due_reminders(now=now):
        recipients = [u for u in reminder.recipients if u is not None and u.is_active]
        if not recipients:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(key=reminder.key[:100], recipients=len(recipients))
                notify(
                    recipients=recipients,
                    subject=reminder.subject,
                    template=TEMPLATE,
                    context={"message": reminder.message},
                    url=reminder.url,
                )
        except IntegrityError:  # already sent, by an earlier run or a concurrent one
            continue
        sent += 1
    return sent
