"""Factories of the staff directory and policy reminder models (issue 17)."""

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
