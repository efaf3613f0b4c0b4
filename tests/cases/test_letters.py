"""Letters made on the server as PDFs, stored on the case with their SHA-256, from wording the Head of HR edits."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import letters, services
from cases.models import LetterTemplate
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def _html(case, kind):
    title, body = letters.wording(kind)
    return letters.render_html(case.organisation, title, body, letters.merge_fields(case))


def test_each_step_stores_its_letter_as_a_pdf_with_its_hash():
    case = f.case_with_outcome(subject=f.staff_of(f.OAKFIELD, 2))
    made = {letter.kind: letter for letter in case.letters.all()}
    assert set(made) == {"hearing_invitation", "outcome"}
    for letter in made.values():
        data = letter.file.open("rb").read()
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == letter.sha256
        assert letter.size == len(data)
    assert case.entries.filter(kind="letter", body__contains=made["outcome"].sha256).exists()


def test_the_invitation_names_the_allegation_evidence_companion_rights_and_school_not_the_product():
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    case.organisation.address = "1 Church Lane\nReading RG1 1AA"
    case.organisation.save()
    html = _html(case, "hearing_invitation")
    assert case.summary in html and "trade union representative" in html
    assert f.OAKFIELD in html and "1 Church Lane" in html
    assert "socialpolicy" not in html.lower()


def test_the_employee_reads_their_letters_and_nobody_else_does(client_for):
    case = f.case_with_outcome(subject=f.user("employee"))
    letter = case.letters.get(kind="outcome")
    url = reverse("cases:letter_download", args=[letter.pk])
    response = client_for("employee").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == letter.file.open("rb").read()
    assert client_for("manager").get(url).status_code == 404
    page = client_for("employee").get(reverse("cases:my_case", args=[case.pk])).content.decode()
    assert url in page


@pytest.mark.parametrize(
    "body, words",
    [
        ("Dear {{ employee_name }} {% load static %}", "Only merge fields"),
        ("{{ employee_name|upper }}", "Only merge fields"),
        ("{{ case.subject.password }}", "Only merge fields"),
        ("{# hidden #}", "Only merge fields"),
        ("{{ salary }}", "Unknown merge fields: salary"),
    ],
)
def test_the_wording_may_use_merge_fields_and_nothing_else(client_for, body, words):
    response = client_for("headofhr").post(
        reverse("cases:letter_template_edit", args=["outcome"]), {"title": "Outcome", "body": body}
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["body"])
    assert not LetterTemplate.objects.exists()


def test_typed_html_prints_as_text_and_fetches_nothing():
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    body = '<img src="http://example.com/x.png"> Dear {{ employee_name }}'
    html = letters.render_html(case.organisation, "T", body, letters.merge_fields(case))
    assert "&lt;img" in html and '<img src="http' not in html


def test_the_head_of_hr_previews_then_saves_and_new_letters_use_the_wording(client_for):
    client = client_for("headofhr")
    url = reverse("cases:letter_template_edit", args=["hearing_invitation"])
    assert "{{ companion_rights }}" in client.get(url).context["form"]["body"].value()
    data = {"title": "Disciplinary hearing", "body": "Please attend on {{ hearing_date }}. {{ companion_rights }}"}
    preview = client.post(url, {**data, "preview": "yes"})
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF-") and not LetterTemplate.objects.exists()
    assert client.post(url, data).status_code == 302
    case = f.scheduled_case(subject=f.staff_of(f.OAKFIELD, 2))
    assert "Please attend on" in _html(case, "hearing_invitation")
    assert case.letters.get(kind="hearing_invitation").sha256


def test_only_the_head_of_hr_edits_the_wording():
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.letter_template_update(actor=f.user("hr"), kind="outcome", title="x", body="y")
    with pytest.raises(ValidationError):
        services.letter_template_update(actor=f.user("headofhr"), kind="outcome", title="", body="{% now %}")
    assert not LetterTemplate.objects.exists()
