"""Factories of the staff directory, policy reminder and sign-in models (issues 17 and 18)."""

import factory

from people import models as people
from tests.factories import EmployeeFactory, PolicyVersionFactory


class StaffColumnMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.StaffColumnMapping

    name = factory.Sequence(lambda n: f"HR system {n}")
    columns = factory.LazyFunction(lambda: {"employee_number": "Person No", "email": "Work Email"})


class StaffImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.StaffImport

    file_name = "staff.csv"
    content = b"employee_number,first_name,last_name,email,organisation\r\n"
    uploaded_by = factory.SubFactory(EmployeeFactory)
    summary = factory.LazyFunction(lambda: {"counts": {"rows": 0}})


class PolicyReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PolicyReminder

    policy_version = factory.SubFactory(PolicyVersionFactory)
    employee = factory.SubFactory(EmployeeFactory)


class SignInIdentityFactory(factory.django.DjangoModelFactory):
    """An employee's account at the identity provider, linked at their first single sign-on (issue 18)."""

    class Meta:
        model = people.SignInIdentity

    user = factory.SubFactory(EmployeeFactory)
    provider = "microsoft"
    subject = factory.Sequence(lambda n: f"00000000-0000-0000-0000-{n:012d}")
    email_at_link = factory.LazyAttribute(lambda o: o.user.email or "someone@oakfield.sch.uk")


class RecoveryCodeFactory(factory.django.DjangoModelFactory):
    """A one-time recovery code, kept only as its SHA-256 digest."""

    class Meta:
        model = people.RecoveryCode

    user = factory.SubFactory(EmployeeFactory)
    digest = factory.Sequence(lambda n: f"{n:064x}")
