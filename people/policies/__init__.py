"""Policy versions from the browser (issue 17, item 6): who has acknowledged the current version, per
organisation and by name, and the weekly reminder to those who have not.

Publishing itself is `people.services.policy_version_publish`; acknowledging is `policy_acknowledge`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from people.models import PolicyAcknowledgement, PolicyReminder, PolicyVersion, User
from people.notifications import notify
from people.selectors import current_policy_version

REMIND_EVERY = dt.timedelta(days=6)  # weekly, with a day's slack for a late beat run


def staff_with_acknowledgement(version: PolicyVersion, organisation_ids: list[int] | None = None) -> QuerySet[User]:
    """Staff in post, each with whether and when they acknowledged the version (one query)."""
    acks = PolicyAcknowledgement.objects.filter(policy_version=version, employee=OuterRef("pk"))
    qs = (
        User.objects.active()
        .select_related("organisation")
        .annotate(acknowledged=Exists(acks), acknowledged_at=acks.values("acknowledged_at")[:1])
        .order_by("organisation__name", "last_name", "first_name")
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs


def acknowledgement_csv(version: PolicyVersion) -> str:
    """Every member of staff in post and whether they acknowledged the version, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Organisation", "Employee number", "Last name", "First name", "Job title", "Acknowledged", "On"])
    for person in staff_with_acknowledgement(version).iterator(chunk_size=2000):
        writer.writerow(
            [
                str(person.organisation or ""),
                person.staff_number or "",
                person.last_name,
                person.first_name,
                person.job_title,
                "yes" if person.acknowledged else "no",
                f"{timezone.localtime(person.acknowledged_at):%d/%m/%Y}" if person.acknowledged_at else "",
            ]
        )
    return "\ufeff" + out.getvalue()  # the byte-order mark makes Excel read the accents right


def policy_reminders_send(*, dry_run: bool = False) -> int:
    """Remind everyone in post who has not acknowledged the current version, at most once a week.
    Returns how many were (or, with dry_run, would be) reminded. Running it twice in a week sends nothing more."""
    version = current_policy_version()
    if version is None:
        return 0
    since = timezone.now() - REMIND_EVERY
    due = (
        User.objects.active()
        .exclude(email="")
        .exclude(Exists(PolicyAcknowledgement.objects.filter(policy_version=version, employee=OuterRef("pk"))))
        .exclude(
            Exists(PolicyReminder.objects.filter(policy_version=version, employee=OuterRef("pk"), sent_at__gte=since))
        )
    )
    people = list(due)
    if dry_run or not people:
        return len(people)
    with transaction.atomic():
        PolicyReminder.objects.bulk_create([PolicyReminder(policy_version=version, employee=p) for p in people])
        notify(
            recipients=people,
            subject=f"Please read and acknowledge the {version}",
            template="people/email/policy_reminder.txt",
            context={"version": version},
            url=reverse("people:policy"),
        )
    return len(people)
