"""Rest-break analysis: each minute inside breaks, outside them, in overtime or outside working hours (2.1, 2.2)."""

import datetime as dt

import pytest

from monitoring.analysis import analyse_employee
from monitoring.models import UsageDay
from people.models import OvertimePeriod
from tests.monitoring.conftest import squid_line, uk

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 11, 24)  # Oakfield breaks: 10:30-10:45 and 12:15-13:00; working day 08:00-17:00


def _log(*moments, address="10.10.4.21"):
    return "\n".join(squid_line(m, address=address) for m in moments).encode()


def test_minutes_are_sorted_into_breaks_work_time_and_outside_hours(run_import, jwilson):
    run_import(
        _log(
            uk(TUESDAY, 12, 20),
            uk(TUESDAY, 12, 20, 30),  # the same minute: counted once
            uk(TUESDAY, 12, 21),
            uk(TUESDAY, 10, 31),
            uk(TUESDAY, 9, 15),
            uk(TUESDAY, 16, 59),
            uk(TUESDAY, 17, 0),
            uk(TUESDAY, 7, 59),
        )
    )
    day = analyse_employee(jwilson, TUESDAY, TUESDAY)[TUESDAY]
    assert (day.in_breaks, day.outside_breaks, day.overtime, day.outside_hours) == (3, 2, 0, 2)
    assert day.school_device == 7


def test_overtime_counts_as_not_allowed_even_inside_a_break(run_import, jwilson):
    OvertimePeriod.objects.create(employee=jwilson, start=uk(TUESDAY, 12, 0), end=uk(TUESDAY, 19, 0))
    run_import(_log(uk(TUESDAY, 12, 30), uk(TUESDAY, 18, 0)))
    day = analyse_employee(jwilson, TUESDAY, TUESDAY)[TUESDAY]
    assert (day.in_breaks, day.overtime, day.outside_hours) == (0, 2, 0)


def test_weekends_are_outside_working_hours(run_import, jwilson):
    saturday = TUESDAY + dt.timedelta(days=4)
    run_import(_log(uk(saturday, 11, 0)), now=uk(saturday, 23, 0))
    day = analyse_employee(jwilson, saturday, saturday)[saturday]
    assert (day.outside_hours, day.not_allowed) == (1, 0)


def test_own_device_use_outside_breaks_is_not_allowed_either(run_import, jwilson):
    run_import(_log(uk(TUESDAY, 14, 0), address="10.11.0.5"))
    day = analyse_employee(jwilson, TUESDAY, TUESDAY)[TUESDAY]
    assert (day.outside_breaks, day.own_device, day.school_device) == (1, 1, 0)


def test_the_threshold_marks_possible_excessive_use_as_a_pointer(run_import, jwilson, settings):
    settings.MONITORING_EXCESSIVE_MINUTES_PER_DAY = 5
    run_import(_log(*[uk(TUESDAY, 9, m) for m in range(4)]))
    assert not UsageDay.objects.get(employee=jwilson, day=TUESDAY).possible_excessive_use
    run_import(_log(*[uk(TUESDAY, 9, m) for m in range(4, 6)]))
    flagged = UsageDay.objects.get(employee=jwilson, day=TUESDAY)
    assert flagged.possible_excessive_use
    assert flagged.minutes_not_allowed == 6
