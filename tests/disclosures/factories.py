"""Factories for declared accounts; real ones go through the service so that the checks run."""

import factory

from disclosures.models import DisclosureFollowUp, PersonalAccountDisclosure
from tests.factories import EmployeeFactory


class PersonalAccountDisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalAccountDisclosure

    employee = factory.SubFactory(EmployeeFactory)
    platform = "x"
    handle = factory.Sequence(lambda n: f"@account{n}")
    display_name = factory.Sequence(lambda n: f"Account {n}")
    privacy_settings_checked = True
    outcome = PersonalAccountDisclosure.Outcome.NEEDS_CHANGES
    findings = factory.LazyFunction(
        lambda: [{"clause": "5.3", "field": "handle", "passed": False, "message": "Contains the school's name."}]
    )


class DisclosureFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureFollowUp

    disclosure = factory.SubFactory(PersonalAccountDisclosureFactory)
    note = "Please change the handle."


def declare(employee, **data):
    """Declare an account through the service, as the employee would."""
    from disclosures.services import disclosure_declare

    data.setdefault("platform", "x")
    data.setdefault("privacy_settings_checked", True)
    return disclosure_declare(actor=employee, **data)


class DisclaimerWordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "disclosures.DisclaimerWording"

    pattern = factory.Sequence(lambda n: f"my own opinions number {n}")
    element = "own_views"


class DisclosureReconfirmationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "disclosures.DisclosureReconfirmation"

    employee = factory.SubFactory(EmployeeFactory)
    accounts = 1


class RestrictedPostRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "disclosures.RestrictedPostRecord"

    employee = factory.SubFactory(EmployeeFactory, politically_restricted=True)
    reason = "Senior officer advising elected members"
