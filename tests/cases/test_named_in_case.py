"""'Named in a case' has two encodings: Case.people_involved (Python, one case) and Case.objects.naming (a query).
They must agree, and the case list must follow the same rule as the case page (a named HR officer sees neither)."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case
from people.models import User
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def _table_of_cases():
    """Cases that name people in every way a case can: as subject, named reporter, the person a merged report
    is about, interviewee; and one anonymous report, which names no reporter."""
    subject_a, subject_b = f.staff_of(f.OAKFIELD, 1), f.staff_of(f.KENNET, 1)
    plain = f.open_case(subject=subject_a)  # reported by the demo line manager
    interviewed = f.investigated_case(subject=subject_b)  # interviews a member of Oakfield's staff
    anonymous = f.report(reporter="employee", subject=f.staff_of(f.OAKFIELD, 2), anonymous=True)
    anonymous_case = services.report_open_case(actor=f.user("hr"), report=anonymous, summary="Anonymous (5.2).")
    by_hr = f.open_case(subject=f.staff_of(f.OAKFIELD, 3), reporter="headofhr")
    return [plain, interviewed, anonymous_case, by_hr]


def test_the_query_and_the_python_rule_agree_on_every_case_and_person():
    cases = _table_of_cases()
    people = {pk for case in cases for pk in case.people_involved()} | {f.user("hr").pk, f.user("employee").pk}
    ids = [c.pk for c in cases]
    for person in User.objects.filter(pk__in=people):
        by_query = set(Case.objects.filter(pk__in=ids).naming(person).values_list("pk", flat=True))
        by_python = {c.pk for c in cases if person.pk in c.people_involved()}
        assert by_query == by_python, person.username
        assert (
            set(Case.objects.filter(pk__in=ids).not_naming(person).values_list("pk", flat=True)) == set(ids) - by_python
        )
    # The table is not trivial: somebody is named in more than one way, and the anonymous reporter in none.
    assert f.user("manager").pk in cases[0].people_involved()
    assert f.user("employee").pk not in cases[2].people_involved()
    assert f.user("headofhr").pk in cases[3].people_involved()


def test_a_named_hr_officer_sees_neither_the_row_nor_the_page(client_for):
    """The Head of HR reported the concern: the case names them, so it is not in their list and does not open."""
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 4), reporter="headofhr")
    client = client_for("headofhr")
    listed = client.get(reverse("cases:case_list"), {"q": case.reference})
    assert listed.status_code == 200 and case not in listed.context["cases"]
    assert client.get(case.get_absolute_url()).status_code == 404
    # Another HR officer, not named, sees both.
    other = client_for("hr")
    assert case in other.get(reverse("cases:case_list"), {"q": case.reference}).context["cases"]
    assert other.get(case.get_absolute_url()).status_code == 200
