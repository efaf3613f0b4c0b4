"""factory_boy factories for every model; other apps add theirs below."""

import datetime as dt

import factory
from django.utils import timezone

from audit.services import audit_record
from people import models as people


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    kind = people.Organisation.Kind.COUNCIL


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Organisation

    name = factory.Sequence(lambda n: f"Test School {n}")
    kind = people.Organisation.Kind.SCHOOL
    parent = factory.SubFactory(CouncilFactory)


class OrganisationAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.OrganisationAlias

    organisation = factory.SubFactory(SchoolFactory)
    alias = factory.Sequence(lambda n: f"TS{n}")
    kind = people.OrganisationAlias.Kind.ABBREVIATION


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    organisation = factory.SubFactory(SchoolFactory)
    job_title = "Class Teacher"
    staff_number = factory.Sequence(lambda n: f"T{n:06d}")
    password = factory.django.Password("correct-horse-battery")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.RoleAssignment

    user = factory.SubFactory(EmployeeFactory)
    role = people.Role.HEADTEACHER
    organisation = factory.LazyAttribute(lambda o: o.user.organisation)


class RestBreakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.RestBreak

    organisation = factory.SubFactory(SchoolFactory)
    weekday = people.Weekday.MONDAY
    start = dt.time(12, 0)
    end = dt.time(12, 45)


class OvertimePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.OvertimePeriod

    employee = factory.SubFactory(EmployeeFactory)
    start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=3))
    end = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    reason = "Parents' evening"


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PolicyVersion

    version = factory.Sequence(lambda n: f"9.{n}")
    summary = "What changed in this version."
    effective_from = factory.LazyFunction(timezone.localdate)


class PolicyAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PolicyAcknowledgement

    policy_version = factory.SubFactory(PolicyVersionFactory)
    employee = factory.SubFactory(EmployeeFactory)


def audit_event_factory(**kwargs):
    """Audit events are only ever written through the service (it computes the chain)."""
    kwargs.setdefault("actor", None)
    kwargs.setdefault("action", "test.event")
    return audit_record(**kwargs)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Notification

    recipient = factory.SubFactory(EmployeeFactory)
    subject = "A post is waiting for your check"
    body = "Please check it."
    url = "/"


class SubjectAccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.SubjectAccessRequest

    employee = factory.SubFactory(EmployeeFactory)
    received_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyAttribute(lambda o: o.received_on + dt.timedelta(days=30))
    logged_by = factory.SubFactory(EmployeeFactory)


class DataWithholdingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.DataWithholding

    employee = factory.SubFactory(EmployeeFactory)
    section = "overtime"
    reason = "An investigation is open"
    recorded_by = factory.SubFactory(EmployeeFactory)
