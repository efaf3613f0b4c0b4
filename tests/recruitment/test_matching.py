"""Is the person to be searched an applicant? Names compared allowing for case, accents and middle names."""

import pytest

from recruitment.matching import name_parts, same_email, same_person_name

SAME = [
    ("Chloé Martin-Dubois", "chloe martin dubois"),
    ("John Smith", "John Michael Smith"),
    ("John M Smith", "John Michael Smith"),
    ("John M. Smith", "john michael smith"),
    ("JOHN SMITH", "john smith"),
    ("Dr John Smith", "John Smith"),
    ("Mrs Siobhán O'Neill", "Siobhan ONeill"),
    ("Siobhán O'Neill", "siobhan o’neill"),
    ("Zoë Brown", "Zoe Brown"),
    ("Anna Maria Lopez", "Anna Lopez"),
    ("Mary-Jane Watson", "Mary Jane Watson"),
    ("  José   Álvarez ", "jose alvarez"),
    ("Bethany Rose Clarke", "Bethany Clarke"),
    ("Nguyễn Văn An", "Nguyen An"),
    ("ＪＯＨＮ ＳＭＩＴＨ", "John Smith"),
]
DIFFERENT = [
    ("John Smith", "Jane Smith"),
    ("John Smith", "John Smithson"),
    ("John Michael Smith", "John Peter Smith"),
    ("John A Smith", "John Brian Smith"),
    ("Smith", "John Smith"),
    ("John", "John Smith"),
    ("", "John Smith"),
    ("Chloe Martin", "Chloe Martin-Dubois"),
    ("Samuel Okoro", "Samuel Okoro-Smith"),
    ("Dr", "Dr Who"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_the_same_person_written_differently_matches(a, b):
    assert same_person_name(a, b)
    assert same_person_name(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people_do_not_match(a, b):
    assert not same_person_name(a, b)


def test_titles_and_punctuation_are_dropped():
    assert name_parts("Dr. Anne-Marie O'Brien") == ["anne", "marie", "obrien"]


def test_emails_match_ignoring_case_and_spaces_but_never_when_empty():
    assert same_email(" S.Okoro@Example.Invalid ", "s.okoro@example.invalid")
    assert not same_email("", "")
    assert not same_email("s.okoro@example.invalid", "okoro@example.invalid")
