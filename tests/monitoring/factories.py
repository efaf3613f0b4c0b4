"""factory_boy factories for monitoring."""

import datetime as dt

import factory
from django.utils import timezone

from monitoring import models
from tests.factories import EmployeeFactory


class NetworkIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NetworkIdentity

    kind = "username"
    value = factory.Sequence(lambda n: f"user{n}")
    employee = factory.SubFactory(EmployeeFactory)
    valid_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=400))


class UsageImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UsageImport

    file_name = factory.Sequence(lambda n: f"access-{n}.log")
    format = "squid"


class MonitoringCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MonitoringCheck

    employee = factory.SubFactory(EmployeeFactory)
    requested_by = factory.SubFactory(EmployeeFactory)
    reason = models.MonitoringCheck.Reason.EXCESSIVE_USE
    justification = "Seen on social media during several lessons this week."
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    period_end = factory.LazyFunction(timezone.localdate)
