import factory

from recruitment.models import Applicant, CandidateSearch, Vacancy
from tests.factories import EmployeeFactory, SchoolFactory


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    title = "Class Teacher"
    organisation = factory.SubFactory(SchoolFactory)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    vacancy = factory.SubFactory(VacancyFactory)
    full_name = factory.Sequence(lambda n: f"Applicant Number{n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.invalid")


class CandidateSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateSearch

    searched_by = factory.SubFactory(EmployeeFactory)
    platform = "linkedin"
    subject_name = factory.Sequence(lambda n: f"Person {n}")
    purpose = CandidateSearch.Purpose.SOURCING
    reason = "Finding candidates."
    sourcing_evidence = "Open to work."
    outcome = CandidateSearch.Outcome.ALLOWED
