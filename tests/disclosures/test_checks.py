"""The clause 5.3 and 5.4 checks on tables of profiles that must and must not match. No database."""

import pytest

from disclosures.checks import (
    DEFAULT_WORDINGS,
    DisclaimerElement,
    OrganisationName,
    Wording,
    check_disclaimer,
    check_profile_name,
    find_organisation_names,
    wording_errors,
)
from people import demo


def _names(school_index: int) -> list[OrganisationName]:
    """The names an employee of the demo school is checked against: the school's and the council's."""
    names = []
    for spec in (demo.SCHOOLS[school_index], demo.COUNCIL):
        names.append(OrganisationName(spec["name"], spec["name"]))
        names += [OrganisationName(a, spec["name"], kind == "abbreviation") for a, kind in spec["aliases"]]
    return names


OAKFIELD, KENNET, THAMESIDE, ST_LAURENCE = 0, 1, 2, 3

# (school, handle or display name, the configured name expected to be reported)
MUST_MATCH = [
    (OAKFIELD, "@MrsJonesAtOakfieldPrimary", "Oakfield Primary"),
    (OAKFIELD, "mrsjonesatoakfieldprimary", "Oakfield Primary"),
    (OAKFIELD, "MRSJONESATOAKFIELDPRIMARY", "Oakfield Primary"),
    (OAKFIELD, "Oakfield Primary School", "Oakfield Primary School"),
    (OAKFIELD, "oakfield_primary_teacher", "Oakfield Primary"),
    (OAKFIELD, "oakfield.primary", "Oakfield Primary"),
    (OAKFIELD, "Oakfield-Primary", "Oakfield Primary"),
    (OAKFIELD, "OAKFIELD PRIMARY SCHOOL PE", "Oakfield Primary School"),
    (OAKFIELD, "Óakfíeld Prímary", "Oakfield Primary"),
    (OAKFIELD, "Oak\u200bfield Primary", "Oakfield Primary"),
    (OAKFIELD, "ＯＡＫＦＩＥＬＤ ＰＲＩＭＡＲＹ", "Oakfield Primary"),
    (OAKFIELD, "@TeacherAtOakfieldPrimarySchool", "Oakfield Primary School"),
    (OAKFIELD, "oakfield primary 🌳", "Oakfield Primary"),
    (OAKFIELD, "Mr Jones | Oakfield Primary", "Oakfield Primary"),
    (OAKFIELD, "OakfieldPrimary2024", "Oakfield Primary"),
    (OAKFIELD, "2024OakfieldPrimary", "Oakfield Primary"),
    (OAKFIELD, "Oakfield   Primary", "Oakfield Primary"),
    (OAKFIELD, "the_oakfield_primary_blog", "Oakfield Primary"),
    (OAKFIELD, "Oakfieldprimary", "Oakfield Primary"),
    (OAKFIELD, "#OakfieldPrimary", "Oakfield Primary"),
    (OAKFIELD, "oakfield&primary", "Oakfield Primary"),
    (OAKFIELD, "mrs.jones@oakfieldprimary", "Oakfield Primary"),
    (OAKFIELD, "Oak Field Primary", "Oakfield Primary"),
    (OAKFIELD, "@OPS_teacher", "OPS"),
    (OAKFIELD, "MrJonesOPS", "OPS"),
    (OAKFIELD, "OPSTeacher", "OPS"),
    (OAKFIELD, "O.P.S. staff", "OPS"),
    (OAKFIELD, "O P S", "OPS"),
    (OAKFIELD, "Miss Khan (OPS)", "OPS"),
    (OAKFIELD, "ops_year4", "OPS"),
    (OAKFIELD, "Reading Borough Council", "Reading Borough Council"),
    (OAKFIELD, "ReadingBoroughCouncilFan", "Reading Borough Council"),
    (OAKFIELD, "readingcouncilteacher", "Reading Council"),
    (OAKFIELD, "Mr Patel RBC", "RBC"),
    (OAKFIELD, "rbc_teacher", "RBC"),
    (OAKFIELD, "JonesReadingBorough", "Reading Borough"),
    (KENNET, "kennetvalleyacademy", "Kennet Valley Academy"),
    (KENNET, "MrsJonesKVA", "KVA"),
    (KENNET, "Kennet Valley PE dept", "Kennet Valley"),
    (THAMESIDE, "thamesidehighlights", "Thameside High"),
    (THAMESIDE, "maths_THS", "THS"),
    (ST_LAURENCE, "StLaurencesTeacher", "St Laurence's"),
    (ST_LAURENCE, "saint laurence fan", "St Laurence"),
    (ST_LAURENCE, "St. Laurence's choir", "St Laurence's"),
    (ST_LAURENCE, "stlaurence", "St Laurence"),
    (ST_LAURENCE, "SLCE Year 6", "SLCE"),
]

MUST_NOT_MATCH = [
    (OAKFIELD, "oops"),
    (OAKFIELD, "tops_and_bottoms"),
    (OAKFIELD, "shopsmart"),
    (OAKFIELD, "TheOpsimath"),
    (OAKFIELD, "ropsley_runner"),
    (OAKFIELD, "herbcottage"),
    (OAKFIELD, "HerbCottage"),
    (OAKFIELD, "rbcomms"),
    (OAKFIELD, "@LovesReading"),
    (OAKFIELD, "Reading Books Club"),
    (OAKFIELD, "Primary teacher in Reading"),
    (OAKFIELD, "Borough Market fan"),
    (OAKFIELD, "ReadingBoroughs"),
    (OAKFIELD, "OakfieldRoadPrimary"),
    (OAKFIELD, "Oakfieldian"),
    (OAKFIELD, "@oakfield_prim"),
    (OAKFIELD, "Primary School Teacher"),
    (OAKFIELD, "Mr Jones"),
    (OAKFIELD, ""),
    (OAKFIELD, "   "),
    (OAKFIELD, "مدرسة أوكفيلد"),
    (OAKFIELD, "שלום עולם"),
    (OAKFIELD, "🍎🍏📚"),
    (OAKFIELD, "<script>alert(1)</script>"),
    (OAKFIELD, "Reading Bor"),
    (KENNET, "Kenneth Valley walks"),
    (KENNET, "kvass_brewer"),
    (KENNET, "Kvaerner fan"),
    (KENNET, "Kennet"),
    (THAMESIDE, "ThamesideHighlights"),
    (THAMESIDE, "mathsteacher"),
    (THAMESIDE, "MathsTeacher"),
    (THAMESIDE, "Thames Side High"),
    (THAMESIDE, "highthameside"),
    (ST_LAURENCE, "WestLaurence"),
    (ST_LAURENCE, "westlaurencejones"),
    (ST_LAURENCE, "bestlaurence"),
    (ST_LAURENCE, "slice_of_life"),
    (ST_LAURENCE, "Laurence Fox"),
    (ST_LAURENCE, "Church of England"),
    (KENNET, "Oakfield Primary"),  # another school's name is not this employee's school
]


def test_the_tables_are_large_enough():
    assert len(MUST_MATCH) >= 40
    assert len(MUST_NOT_MATCH) >= 40


@pytest.mark.parametrize(("school", "value", "expected"), MUST_MATCH, ids=[v for _, v, _ in MUST_MATCH])
def test_a_profile_name_containing_the_school_or_council_is_reported(school, value, expected):
    matches = find_organisation_names(value, _names(school))
    assert [m.name.text for m in matches] == [expected]
    assert matches[0].matched_text and matches[0].matched_text in value


@pytest.mark.parametrize(("school", "value"), MUST_NOT_MATCH, ids=[v or "(empty)" for _, v in MUST_NOT_MATCH])
def test_an_ordinary_profile_name_passes(school, value):
    assert find_organisation_names(value, _names(school)) == []


def test_the_explanation_names_the_part_that_matched_the_name_and_the_clause():
    result = check_profile_name(handle="@MrsJonesAtOakfieldPrimary", display_name="Mrs Jones", names=_names(OAKFIELD))
    assert not result.passed
    (match,) = result.matches
    assert match.matched_text == "OakfieldPrimary"
    text = match.explanation()
    assert "“OakfieldPrimary”" in text and "Oakfield Primary School" in text and "5.3" in text
    assert "handle" in text


def test_handle_and_display_name_are_both_checked_and_reported_separately():
    result = check_profile_name(handle="@rbc_jones", display_name="Jones at Oakfield Primary", names=_names(OAKFIELD))
    assert [(m.field, m.name.text) for m in result.matches] == [
        ("handle", "RBC"),
        ("display_name", "Oakfield Primary"),
    ]
    assert "display name" in result.matches[1].explanation()


def test_an_alias_added_by_hr_is_looked_for_too():
    names = _names(OAKFIELD)
    assert find_organisation_names("MrJonesOakfield", names) == []
    names.append(OrganisationName("Oakfield", "Oakfield Primary School"))
    assert [m.name.text for m in find_organisation_names("MrJonesOakfield", names)] == ["Oakfield"]


def test_only_the_longest_of_overlapping_names_is_reported():
    matches = find_organisation_names("Oakfield Primary School OPS", _names(OAKFIELD))
    assert [m.name.text for m in matches] == ["Oakfield Primary School", "OPS"]


# --- 5.4 disclaimer -------------------------------------------------------------------------------

OWN, EMPLOYER = DisclaimerElement.OWN_VIEWS, DisclaimerElement.NOT_EMPLOYER
POLICY = "The views I express here are mine alone and do not necessarily reflect the views of my employer."

# (texts, discusses work, elements expected missing; an empty set means it passes)
DISCLAIMERS = [
    ([POLICY], True, set()),
    (["Views my own, not my employer's."], True, set()),
    (["All views are my own and do not represent my employer."], True, set()),
    (["Opinions are mine alone, not those of my school."], True, set()),
    (["Tweets are my own and don't reflect the views of the council."], True, set()),
    (["VIEWS ARE MY OWN. NOT THE VIEWS OF MY EMPLOYER."], True, set()),
    (["views = my own; not endorsed by my employer"], True, set()),
    (["Thoughts my own, not my employer's"], True, set()),
    (["My own views, not those of my workplace"], True, set()),
    (["Personal views only - these are not the views of my school."], True, set()),
    (["I speak only for myself, not on behalf of my employer."], True, set()),
    (["Views expressed here are entirely my own and do not necessarily reflect those of my employer"], True, set()),
    (["Thé víews I express here are mine alone and do not necessarily reflect the views of my employer"], True, set()),
    (["Posts are my own and do not represent my employer"], True, set()),
    (["Opinions my own. I don't speak for my school."], True, set()),
    (["views are mine, not my employer’s"], True, set()),
    (["Views mine. Not the school's."], True, set()),
    (["Teacher 🍎 | Views my own, not my employer's 📚"], True, set()),
    (["Views my own", "Year 4 teacher. Not the views of my employer."], True, set()),
    (["Not my employer's views; views my own"], True, set()),
    (["Opinions are my own and do not reflect my organisation"], True, set()),
    (["My views alone — they don't represent the council"], True, set()),
    (["x " * 4900 + POLICY], True, set()),
    ([""], False, set()),
    (["I love cats"], False, set()),
    (["Views my own"], False, set()),
    (["<script>alert(1)</script>"], False, set()),
    ([""], True, {OWN, EMPLOYER}),
    (["   "], True, {OWN, EMPLOYER}),
    (["Views my own"], True, {EMPLOYER}),
    (["All views are my own."], True, {EMPLOYER}),
    (["Not the views of my employer"], True, {OWN}),
    (["These do not necessarily reflect the views of my employer"], True, {OWN}),
    (["I love my school"], True, {OWN, EMPLOYER}),
    (["These views are not my own"], True, {OWN, EMPLOYER}),
    (["Not sure my employer would agree with this"], True, {OWN, EMPLOYER}),
    (["My views reflect my employer's"], True, {OWN, EMPLOYER}),
    (["I represent my employer"], True, {OWN, EMPLOYER}),
    (["<script>alert('views are my own')</script>"], True, {EMPLOYER}),
    (["RT ≠ endorsement"], True, {OWN, EMPLOYER}),
    (["Ce sont mes opinions personnelles"], True, {OWN, EMPLOYER}),
    (["Views are my own but I work for the council"], True, {EMPLOYER}),
    (["Employer views, not mine"], True, {OWN, EMPLOYER}),
    (["مدرسة", "שלום"], True, {OWN, EMPLOYER}),
]


def test_the_disclaimer_table_is_large_enough():
    assert len(DISCLAIMERS) >= 40


@pytest.mark.parametrize(
    ("texts", "discusses", "missing"), DISCLAIMERS, ids=[f"{t[0][:40]}|{d}" for t, d, _ in DISCLAIMERS]
)
def test_the_disclaimer_check(texts, discusses, missing):
    result = check_disclaimer(texts=texts, discusses_work=discusses, wordings=DEFAULT_WORDINGS)
    if discusses:
        assert set(result.missing) == missing
    assert result.passed == (not discusses or not missing)


def test_the_explanation_says_what_is_missing():
    result = check_disclaimer(texts=["Views my own"], discusses_work=True, wordings=DEFAULT_WORDINGS)
    text = result.explanation()
    assert "5.4" in text
    assert "not (or not necessarily) your employer's views" in text
    assert "already says that the views you express are your own" in text
    assert "do not necessarily reflect the views of my employer" in text


def test_with_nothing_said_the_explanation_offers_the_policy_sentence():
    text = check_disclaimer(texts=[""], discusses_work=True, wordings=DEFAULT_WORDINGS).explanation()
    assert POLICY in text


def test_a_configured_wording_is_recognised_and_an_unconfigured_one_is_not():
    text = ["Standpunkte sind privat; opinions personal to me", "not * reflect * employer"]
    custom = [Wording("opinions personal", OWN)]
    assert OWN in check_disclaimer(texts=text, discusses_work=True, wordings=custom).found
    assert OWN not in check_disclaimer(texts=text, discusses_work=True, wordings=DEFAULT_WORDINGS).found


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        ("views * my own", True),
        ("not * reflect * {employer}", True),
        ("", False),
        ("* views", False),
        ("views *", False),
        ("* {employer}", False),
        ("views (my|own)", False),
        ("<script>", False),
    ],
)
def test_wording_patterns_are_validated(pattern, ok):
    assert (wording_errors(pattern) == []) == ok


def test_every_default_wording_is_valid():
    assert all(wording_errors(w.pattern) == [] for w in DEFAULT_WORDINGS)
