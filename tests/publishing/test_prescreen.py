"""The pre-screen on a table of drafts, with and without each kind of warning."""

from dataclasses import dataclass

import pytest

from publishing.prescreen import contains_script_link, scan

NAMES = ["James Wilson", "Sarah Bennett", "Amelia Khan"]
TERMS = ["idiot", "useless"]
BLOCKED = ["pornhub.com", "bet365.com"]


@dataclass
class FakeMedia:
    source: str = ""
    permission_from: str = ""
    permission_evidence: str = ""
    licence: str = ""

    def source_stated(self) -> bool:
        from publishing.models import PostMedia

        return PostMedia(
            source=self.source,
            permission_from=self.permission_from,
            permission_evidence=self.permission_evidence,
            licence=self.licence,
        ).source_stated()

    def __str__(self) -> str:
        return "photo.jpg"


CLEAN = "Well done to Year 6 for a brilliant performance at the Hexagon! https://www.reading.gov.uk/schools"

TABLE = [
    # (label, text, media, expected kinds)
    ("clean text", CLEAN, [], []),
    ("a mobile number", "Call Mrs Jones on 07700 900123 for tickets.", [], ["phone"]),
    ("a landline with +44", "Ring +44 118 496 0123 to book.", [], ["phone"]),
    ("a bracketed landline", "Office: (0118) 4960123.", [], ["phone"]),
    ("a year is not a phone number", "Founded in 1998, celebrating 2026.", [], []),
    ("a date is not a phone number", "Term starts 02/09/2026.", [], []),
    ("an email address", "Send photos to j.wilson@gmail.com please", [], ["email"]),
    ("a postcode", "The fair is at our field, RG1 7AE.", [], ["postcode"]),
    ("a street address", "Collection from 14 Mill Lane on Saturday.", [], ["address"]),
    ("a staff member's name", "Thanks to James Wilson for organising the trip.", [], ["name"]),
    ("a name inside a longer word is not matched", "Jameswilsonfield Road race", [], []),
    ("a sensitive term", "Whoever parked there is an idiot.", [], ["term"]),
    ("a term inside another word is not matched", "An idiotic-sounding plan that worked!", [], []),
    ("a blocked domain", "See https://www.bet365.com/offer", [], ["link"]),
    ("a subdomain of a blocked domain", "Look: https://m.pornhub.com/x", [], ["link"]),
    ("a lookalike domain is not blocked", "https://notbet365.com.example.org/", [], []),
    ("a javascript link", "Click javascript:alert(1)", [], ["link"]),
    ("media without a source", CLEAN, [FakeMedia()], ["media"]),
    ("permission without evidence", CLEAN, [FakeMedia("permission", permission_from="Reading Chronicle")], ["media"]),
    (
        "permission with evidence",
        CLEAN,
        [FakeMedia("permission", permission_from="Reading Chronicle", permission_evidence="email 03/03/2026")],
        [],
    ),
    ("licensed without naming it", CLEAN, [FakeMedia("licensed")], ["media"]),
    ("licensed CC BY", CLEAN, [FakeMedia("licensed", licence="CC BY 4.0")], []),
    ("own work", CLEAN, [FakeMedia("own_work")], []),
    (
        "several at once",
        "Amelia Khan, 07700 900123, amelia@example.com, useless",
        [FakeMedia()],
        ["email", "phone", "name", "term", "media"],
    ),
]


@pytest.mark.parametrize(("label", "text", "media", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_prescreen_warns_for_each_kind_and_only_then(label, text, media, expected):
    warnings = scan(text, names=NAMES, media=media, terms=TERMS, blocked_domains=BLOCKED)
    assert sorted(w.kind for w in warnings) == sorted(expected), [w.as_dict() for w in warnings]


def test_a_warning_carries_the_excerpt_so_the_checker_sees_what_it_found():
    (warning,) = scan("Call 07700 900123", names=[], terms=[], blocked_domains=[])
    assert warning.excerpt == "07700 900123"
    assert "not" not in warning.kind  # a prompt with a kind, never a pass/fail verdict


def test_the_default_lists_come_from_settings(settings):
    settings.PUBLISHING_SENSITIVE_TERMS = ["scandal"]
    settings.PUBLISHING_BLOCKED_DOMAINS = ["example.net"]
    kinds = sorted(w.kind for w in scan("A scandal! https://example.net/a"))
    assert kinds == ["link", "term"]


@pytest.mark.parametrize("text", ["javascript:alert(1)", "JavaScript :void(0)", "vbscript:msgbox"])
def test_script_links_are_recognised_in_any_case(text):
    assert contains_script_link(text)
