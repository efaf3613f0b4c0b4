"""Building reports and cases for tests, always through the services (so the data is what the app makes)."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Case, IncidentReport
from people.models import Organisation, User
from tests.factories import EmployeeFactory

OAKFIELD = "Oakfield Primary School"
KENNET = "Kennet Valley Academy"

# A real, tiny PNG (1x1 pixel).
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def png(name: str = "screenshot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def user(username: str) -> User:
    return User.objects.get(username=username)


def staff_of(school: str, index: int = 0) -> User:
    """A member of a school's staff who is not a demo user and holds no role."""
    from people.demo import DEMO_USERS

    demo = {row[0] for row in DEMO_USERS}
    qs = (
        User.objects.filter(organisation__name=school, role_assignments__isnull=True)
        .exclude(username__in=demo)
        .order_by("pk")
    )
    return qs[index]


def report(*, reporter: User | str = "employee", subject: User | None = None, files=(), **overrides) -> IncidentReport:
    if isinstance(reporter, str):
        reporter = user(reporter)
    data = dict(
        subject=subject if subject is not None else staff_of(OAKFIELD, 5),
        capacity="personal",
        platform="facebook",
        link="https://www.facebook.com/example/posts/1",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        description="Posted a photo of a pupil's work with the pupil's full name.",
        categories=["confidentiality"],
        files=files,
    )
    data.update(overrides)
    return services.incident_report_create(reporter=reporter, **data)


def open_case(*, subject: User, hr: str = "hr", reporter: str = "manager") -> Case:
    r = report(reporter=reporter, subject=subject)
    return services.report_open_case(actor=user(hr), report=r, summary="Alleged breach of confidentiality (5.2).")


def investigated_case(*, subject: User, officer: str = "investigator", hr: str = "hr") -> Case:
    case = open_case(subject=subject, hr=hr)
    case = services.case_assign_investigator(actor=user(hr), case=case, officer=user(officer))
    services.case_interview_record(
        actor=user(officer),
        case=case,
        interviewee=next(w for w in (staff_of(OAKFIELD, 6), staff_of(OAKFIELD, 7)) if w != subject),
        interviewed_at=timezone.now() - dt.timedelta(hours=2),
        statement="I saw the post on the morning it went up.",
    )
    return services.case_finding_record(
        actor=user(officer), case=case, finding="The post breached confidentiality.", serious_breach_found=False
    )


def hearing_on(day: dt.date, hour: int = 10) -> dt.datetime:
    """A hearing time on `day`, in UK time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def scheduled_case(*, subject: User, hr: str = "hr") -> Case:
    """An investigated case with its hearing scheduled with the usual notice, still to come."""
    case = investigated_case(subject=subject, hr=hr)
    return services.case_hearing_schedule(
        actor=user(hr),
        case=case,
        hearing_at=hearing_on(services.earliest_hearing_date()),
        panel="Head of school, HR adviser",
    )


def held_case(*, subject: User, hr: str = "hr", weeks_ago: int = 3) -> Case:
    """A case opened `weeks_ago` weeks ago on the test's clock, its hearing given full notice and held since; HR
    records the hearing now. Ready for an outcome."""
    with time_machine.travel(timezone.now() - dt.timedelta(weeks=weeks_ago), tick=True):
        case = scheduled_case(subject=subject, hr=hr)
    return services.case_hearing_record_held(
        actor=user(hr),
        case=case,
        attended="The panel, the employee, the investigating officer, an HR note-taker.",
        accompanied=True,
        companion="A trade union representative",
    )


def case_with_outcome(*, subject: User, hr: str = "hr") -> Case:
    case = held_case(subject=subject, hr=hr)
    services.outcome_record(
        actor=user(hr),
        case=case,
        kind="final_written",
        reasons="You shared a pupil's details in a public group.",
        clauses_breached=["5.2"],
        warning_expires_on=timezone.localdate() + dt.timedelta(days=365),
    )
    return Case.objects.get(pk=case.pk)


def case_in_appeal(*, subject: User) -> Case:
    case = case_with_outcome(subject=subject)
    services.appeal_lodge(actor=subject, case=case, grounds="The group was private.")
    return Case.objects.get(pk=case.pk)


def school(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def bytes_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# Plain row factories for every model (the builders above go through the services, as the app does).
class IncidentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentReport

    reference = factory.Sequence(lambda n: f"IR-TEST-{n:06d}")
    reporter = factory.SubFactory(EmployeeFactory)
    subject = factory.SubFactory(EmployeeFactory)
    capacity = "personal"
    platform = "facebook"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    description = "A post naming a pupil."
    categories = factory.LazyFunction(lambda: ["confidentiality"])


class ReportMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.ReportMessage"

    report = factory.SubFactory(IncidentReportFactory)
    sender = "hr"
    body = "When was the post made?"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"CASE-TEST-{n:06d}")
    subject = factory.SubFactory(EmployeeFactory)
    organisation = factory.SelfAttribute("subject.organisation")
    summary = "Shared a pupil's details in a public group (5.2)."
    opened_by = factory.SubFactory(EmployeeFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Evidence"

    case = factory.SubFactory(CaseFactory)
    file = factory.LazyFunction(lambda: png())
    original_name = "screenshot.png"
    content_type = "image/png"
    size = factory.LazyAttribute(lambda o: o.file.size)
    sha256 = "0" * 64


class CaseEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.CaseEntry"

    case = factory.SubFactory(CaseFactory)
    kind = "note"


class CaseDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.CaseDeadline"

    case = factory.SubFactory(CaseFactory)
    title = "Interview the witnesses"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class DisciplinaryOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.DisciplinaryOutcome"

    case = factory.SubFactory(CaseFactory)
    kind = "no_case"
    reasons = "The post did not identify anyone."
    decided_by = factory.SubFactory(EmployeeFactory)


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.LetterTemplate"
        django_get_or_create = ("kind",)

    kind = "outcome"
    title = "Outcome of the disciplinary hearing"
    body = "Dear {{ employee_name }}, the outcome is {{ outcome }}."
    updated_by = factory.LazyFunction(lambda: user("headofhr"))


class CaseLetterFactory(factory.django.DjangoModelFactory):
    """A stored letter row; real letters are made by the services (`case_letter_make`)."""

    class Meta:
        model = "cases.CaseLetter"

    case = factory.SubFactory(CaseFactory)
    kind = "suspension"
    file = factory.LazyFunction(lambda: SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n%%EOF\n"))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.file.read()).hexdigest())
    size = factory.LazyAttribute(lambda o: o.file.size)
    made_by = factory.SubFactory(EmployeeFactory)


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Appeal"

    case = factory.SubFactory(CaseFactory)
    grounds = "The warning is too severe."
