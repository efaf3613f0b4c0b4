"""Subject access to covert surveillance (7.2; UK GDPR art. 15): the employee sees the surveillance of them once
the investigation is closed, and while it is open only that records of an open investigation are withheld."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from cases import services
from core.subject_access import export_json
from people import sar
from surveillance import services as surveillance_services
from tests.cases import factories as f
from tests.clock import earlier_today
from tests.surveillance.surveillance_factories import approved_request

pytestmark = pytest.mark.django_db

SEEN = "A public video mocking the accent of a named colleague, posted at 21:40."
GROUNDS_WORDS = "Colleagues report the subject posts mocking videos"
COLLATERAL_WORDS = "Friends may appear in videos"


def _watched_case(subject):
    """A case about the subject with an approved surveillance request and one observation, still open."""
    case = f.investigated_case(subject=subject)
    request = approved_request(case=case, accounts="https://www.tiktok.com/@subject_example")
    surveillance_services.surveillance_observation_record(
        actor=f.user("investigator"),
        request=request,
        observed_at=earlier_today(dt.timedelta(hours=1)),
        platform="tiktok",
        what_was_seen=SEEN,
        link="https://www.tiktok.com/@subject_example/video/1",
    )
    return case, request


def _close(case):
    services.case_end_early(
        actor=f.user("hr"), case=case, ending="no_case_to_answer", reason="The videos were satire of a TV show."
    )


def _export(employee) -> dict:
    return sar.subject_export(actor=employee, employee=employee)


def _section(data, key):
    return next(s for s in data["sections"] if s["key"] == key)


def test_while_the_investigation_is_open_its_surveillance_is_withheld_without_saying_what():
    subject = f.staff_of(f.OAKFIELD, 2)
    _case, request = _watched_case(subject)
    data = _export(subject)
    for key in ("surveillance", "surveillance_observations"):
        section = _section(data, key)
        assert section["items"] == [] and section["withheld"] is False
        assert section["partly_withheld"] is True and "investigation about you that is still open" in section["reason"]
    text = export_json(data)
    for secret in (request.reference, "subject_example", SEEN, "DPIA-2026-014"):
        assert secret not in text


def test_the_note_appears_for_any_open_case_so_it_does_not_give_surveillance_away():
    with_surveillance, without = f.staff_of(f.OAKFIELD, 2), f.staff_of(f.OAKFIELD, 3)
    _watched_case(with_surveillance)
    f.investigated_case(subject=without)
    watched, unwatched = _export(with_surveillance), _export(without)
    for key in ("surveillance", "surveillance_observations"):
        assert {k: v for k, v in _section(watched, key).items()} == {k: v for k, v in _section(unwatched, key).items()}


def test_once_the_case_is_closed_the_employee_sees_the_decision_period_scope_and_what_was_seen():
    subject = f.staff_of(f.OAKFIELD, 2)
    case, request = _watched_case(subject)
    _close(case)
    data = _export(subject)
    [row] = _section(data, "surveillance")["items"]
    assert _section(data, "surveillance")["partly_withheld"] is False
    assert row["reference"] == request.reference and row["case"] == case.reference
    assert row["decision"] == "Approve" and row["reasons for the decision"] == "Necessary and proportionate."
    assert (row["from"], row["to"]) == (request.starts_on, request.ends_on)
    assert row["platforms"] == "TikTok" and row["accounts in scope"] == "https://www.tiktok.com/@subject_example"
    [seen] = _section(data, "surveillance_observations")["items"]
    assert seen["surveillance"] == request.reference and seen["what was seen"] == SEEN
    assert seen["seen"].date() <= timezone.localdate() and seen["platform"] == "TikTok"
    text = export_json(data)
    # Nothing about other people beyond the record itself: not who asked, decided or watched, not the
    # collateral-intrusion assessment, not the grounds.
    for other in (f.user("investigator").get_full_name(), f.user("headofhr").get_full_name()):
        assert other not in text
    assert COLLATERAL_WORDS not in text and GROUNDS_WORDS not in text
    json.loads(text)  # JSON-ready


def test_another_employee_sees_nothing_of_it():
    subject, colleague = f.staff_of(f.OAKFIELD, 2), f.staff_of(f.OAKFIELD, 3)
    case, request = _watched_case(subject)
    _close(case)
    data = _export(colleague)
    assert _section(data, "surveillance")["items"] == [] and _section(data, "surveillance_observations")["items"] == []
    assert _section(data, "surveillance")["partly_withheld"] is False  # no open case of their own
    assert request.reference not in export_json(data)


def test_hr_can_still_withhold_the_whole_section_and_withholding_the_case_list_drops_the_note():
    subject = f.staff_of(f.OAKFIELD, 2)
    case, _request = _watched_case(subject)
    sar.withholding_record(actor=f.user("hr"), employee=subject, section="cases_about_you", reason="Open case.")
    section = _section(_export(subject), "surveillance")
    assert section["items"] == [] and section["partly_withheld"] is False  # the note would show what HR withheld
    _close(case)
    sar.withholding_record(actor=f.user("hr"), employee=subject, section="surveillance", reason="Legal advice.")
    section = _section(_export(subject), "surveillance")
    assert section["withheld"] is True and section["items"] == [] and section["reason"] == "Legal advice."


def test_the_my_data_page_shows_the_note_and_then_the_records(client_for, demo_user):
    employee = demo_user("employee")
    case, request = _watched_case(employee)
    page = client_for("employee").get("/my-data/").content.decode()
    assert "Covert surveillance of your social media (clause 7.2)" in page
    assert "investigation about you that is still open" in page and request.reference not in page
    _close(case)
    page = client_for("employee").get("/my-data/").content.decode()
    assert request.reference in page and SEEN in page
