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


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Site

    name = factory.Sequence(lambda n: f"Test network {n}")
    domains = factory.LazyAttribute(lambda o: [f"{o.name.lower().replace(' ', '')}.example"])


class AddressRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AddressRange

    organisation = factory.LazyFunction(lambda: EmployeeFactory().organisation)
    network = factory.Sequence(lambda n: f"10.{n % 250}.0.0/16")
    device = "school"


class CsvMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CsvMapping

    name = factory.Sequence(lambda n: f"Filter export {n}")
    time_column = "time"
    url_column = "url"


class UsageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UsageRecord

    identity_kind = "username"
    identity_value = factory.Sequence(lambda n: f"user{n}")
    site = factory.SubFactory(SiteFactory)
    device = "school"
    started_at = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0))
    first_seen = factory.SelfAttribute("started_at")
    last_seen = factory.SelfAttribute("started_at")
    requests = 3
    bytes = 4096


class UsageDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UsageDay

    employee = factory.SubFactory(EmployeeFactory)
    day = factory.LazyFunction(timezone.localdate)


class AccessWithdrawalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AccessWithdrawal

    site = factory.SubFactory(SiteFactory)
    employee = factory.SubFactory(EmployeeFactory)
    reason = "Repeated use during lessons."
    review_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    withdrawn_by = factory.SubFactory(EmployeeFactory)


class PurgeReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.PurgeReceipt"

    run_date = factory.LazyFunction(timezone.localdate)
    cutoff = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=365))


class RetentionHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.RetentionHold"

    case = factory.SubFactory("tests.cases.factories.CaseFactory")
    employee = factory.SelfAttribute("case.subject")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    period_end = factory.LazyFunction(timezone.localdate)
    reason = "Evidence for an open case."
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    created_by = factory.SubFactory(EmployeeFactory)
