"""Many rows at once for the query-count guards, and a few real ones through the services."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from cases.models import Case, DisciplinaryOutcome, IncidentReport
from disclosures.models import PersonalAccountDisclosure
from people.models import Organisation, User
from tests.disclosures.factories import PersonalAccountDisclosureFactory
from tests.publishing.factories import CampaignFactory, PostFactory

_counter = itertools.count(1)


def schools() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("name"))


def staff(limit: int = 20) -> list[User]:
    return list(User.objects.filter(organisation__kind="school", role_assignments__isnull=True).order_by("pk")[:limit])


def many_incidents(n: int, *, months_back: int = 6) -> list[IncidentReport]:
    """n reports about school staff spread over the last months, with one or two categories each."""
    people, now = staff(), timezone.now()
    categories = [["confidentiality"], ["disrepute", "discrimination"], ["copyright"], ["political"]]
    rows = [
        IncidentReport(
            reference=f"TST-R{next(_counter):05d}",
            subject=people[i % len(people)],
            capacity="personal",
            platform="facebook",
            occurred_at=now - dt.timedelta(days=30 * (i % months_back) + 2),
            reported_at=now - dt.timedelta(days=30 * (i % months_back) + 1),
            description=f"Test concern number {i}.",
            categories=categories[i % len(categories)],
        )
        for i in range(n)
    ]
    return IncidentReport.objects.bulk_create(rows)


def many_cases_with_outcomes(n: int) -> list[Case]:
    """n cases, each from a report, decided some days after the report."""
    people, hr, now = staff(), User.objects.get(username="hr"), timezone.now()
    reports = many_incidents(n, months_back=3)
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"TST-C{next(_counter):05d}",
                subject=people[i % len(people)],
                organisation_id=people[i % len(people)].organisation_id,
                summary=f"Test case {i}",
                opened_by=hr,
                opened_at=reports[i].reported_at + dt.timedelta(hours=1),
            )
            for i in range(n)
        ]
    )
    for report, case in zip(reports, cases, strict=True):
        IncidentReport.objects.filter(pk=report.pk).update(case=case, status=IncidentReport.Status.MERGED)
    DisciplinaryOutcome.objects.bulk_create(
        [
            DisciplinaryOutcome(
                case=case,
                kind=DisciplinaryOutcome.Kind.NO_CASE if i % 2 else DisciplinaryOutcome.Kind.INFORMAL,
                reasons="Test",
                decided_by=hr,
                decided_at=min(now, reports[i].reported_at + dt.timedelta(days=10 + i)),
            )
            for i, case in enumerate(cases)
        ]
    )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=Case.Status.OUTCOME_RECORDED)
    return cases


def many_publishing(n: int) -> None:
    for _ in range(n):
        PostFactory()
        CampaignFactory()


def many_disclosures(n: int) -> None:
    people = staff()
    for i in range(n):
        PersonalAccountDisclosureFactory(
            employee=people[i % len(people)],
            outcome=PersonalAccountDisclosure.Outcome.COMPLIANT
            if i % 2
            else PersonalAccountDisclosure.Outcome.NEEDS_CHANGES,
        )


def lots_of_everything(n: int) -> None:
    many_cases_with_outcomes(n)
    many_publishing(n)
    many_disclosures(n)


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ReminderSent"

    key = factory.Sequence(lambda n: f"sar:{n}:near")
    recipients = 1
