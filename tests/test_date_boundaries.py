"""The app's date arithmetic at the edges of the calendar: the end of a month, the end of a year, 29 February, and
the two nights a year when British Summer Time starts and ends. Each test freezes the clock (time_machine) at the
moment it is about and builds its data from that moment, so it passes on any real date and under `faketime`.

The dates are scenarios, not "today": 2027 and 2028 are used because 2028 is a leap year, BST starts on Sunday
28/03/2027 and ends on Sunday 31/10/2027, and in 2026 on 29/03 and 25/10."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from disclosures.models import DisclosureReconfirmation
from disclosures.selectors import reconfirmation_due
from monitoring import partitions
from monitoring.models import PurgeReceipt, RetentionHold, UsageDay
from monitoring.retention import KINDS, active_holds, cutoff_for, months_before, retention_purge
from publishing.models import Campaign, CampaignPhase
from tests.cases.factories import CaseDeadlineFactory, open_case, user
from tests.disclosures.factories import PersonalAccountDisclosureFactory
from tests.factories import EmployeeFactory
from tests.monitoring.retention_data import add_record_at, usage_stats
from tests.publishing.factories import approved_campaign, demo

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
UTC = dt.UTC
D = dt.date


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on a day, in UK time."""
    return dt.datetime.combine(day, dt.time(hour, minute), UK)


# Each edge: (what it is, a run date). The cutoff is the UK midnight twelve months before the run date.
PURGE_EDGES = [
    ("first of a month", D(2027, 3, 1), dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)),
    ("a cutoff in summer time", D(2027, 3, 31), dt.datetime(2026, 3, 30, 23, 0, tzinfo=UTC)),
    ("new year's day", D(2028, 1, 1), dt.datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
    ("29 February", D(2028, 2, 29), dt.datetime(2027, 2, 28, 0, 0, tzinfo=UTC)),
    ("the cutoff falls on the day BST starts", D(2027, 3, 29), dt.datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
    ("the cutoff falls on the day BST ends", D(2027, 10, 25), dt.datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("edge", "run_date", "cutoff"), PURGE_EDGES, ids=[e[0] for e in PURGE_EDGES])
def test_the_purge_cutoff_is_uk_midnight_twelve_months_back(edge, run_date, cutoff):
    assert cutoff_for(KINDS["usage_records"], run_date) == cutoff


def test_twelve_months_before_a_day_keeps_to_the_end_of_a_shorter_month():
    assert months_before(D(2028, 2, 29), 12) == D(2027, 2, 28)
    assert months_before(D(2027, 3, 31), 1) == D(2027, 2, 28)
    assert months_before(D(2028, 3, 31), 1) == D(2028, 2, 29)
    assert months_before(D(2028, 1, 31), 12) == D(2027, 1, 31)
    assert months_before(D(2028, 1, 1), 1) == D(2027, 12, 1)


@pytest.mark.parametrize(("edge", "run_date", "cutoff"), PURGE_EDGES, ids=[e[0] for e in PURGE_EDGES])
def test_the_purge_removes_what_is_a_second_older_than_its_cutoff_and_keeps_what_is_at_it(
    edge, run_date, cutoff, demo_user
):
    employee = demo_user("employee")
    with time_machine.travel(at(run_date, 2, 0), tick=True):
        PurgeReceipt.objects.all().delete()
        RetentionHold.objects.all().delete()
        partitions.ensure_partitions(months_ahead=1, months_behind=13, today=run_date)
        add_record_at(employee, cutoff - dt.timedelta(seconds=1), "edge-before")
        add_record_at(employee, cutoff, "edge-at")
        cutoff_day = cutoff.astimezone(UK).date()
        UsageDay.objects.create(employee=employee, day=cutoff_day - dt.timedelta(days=1), minutes_in_breaks=9903)
        UsageDay.objects.create(employee=employee, day=cutoff_day, minutes_in_breaks=9904)

        receipt = retention_purge()

    assert receipt.run_date == run_date and receipt.cutoff == cutoff
    assert usage_stats("identity_value = 'rt-edge-before'")[0] == 0
    assert usage_stats("identity_value = 'rt-edge-at'")[0] == 1
    days = set(
        UsageDay.objects.filter(employee=employee, minutes_in_breaks__in=[9903, 9904]).values_list("day", flat=True)
    )
    assert days == {cutoff_day}


HOLD_ENDS = [D(2027, 2, 28), D(2027, 12, 31), D(2028, 2, 29), D(2027, 3, 28), D(2027, 10, 31)]


@pytest.mark.parametrize("ends_on", HOLD_ENDS, ids=[d.isoformat() for d in HOLD_ENDS])
def test_a_hold_is_in_force_on_its_end_date_and_lapses_the_day_after(ends_on, demo_user):
    case = open_case(subject=demo_user("employee"))
    hold = RetentionHold.objects.create(
        case=case,
        employee=case.subject,
        period_start=ends_on - dt.timedelta(days=400),
        period_end=ends_on - dt.timedelta(days=390),
        reason="The usage of these days is the evidence of the allegation.",
        ends_on=ends_on,
        created_by=demo_user("headofhr"),
    )
    # The last minute of the end date and the first of the day after, in UK time (one hour off UTC in summer).
    with time_machine.travel(at(ends_on, 23, 59), tick=False):
        assert hold in active_holds()
    with time_machine.travel(at(ends_on + dt.timedelta(days=1), 0, 1), tick=False):
        assert hold not in active_holds()


CAMPAIGN_ENDS = [D(2027, 1, 31), D(2027, 12, 31), D(2028, 2, 29), D(2027, 3, 28), D(2027, 10, 31)]


@pytest.mark.parametrize("ends_on", CAMPAIGN_ENDS, ids=[d.isoformat() for d in CAMPAIGN_ENDS])
def test_a_campaign_runs_to_the_end_of_its_last_day_in_uk_time(ends_on):
    campaign = approved_campaign(demo("employee"))
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=ends_on - dt.timedelta(days=30), ends_on=ends_on)
    campaign = Campaign.objects.get(pk=campaign.pk)
    with time_machine.travel(at(ends_on, 23, 59), tick=False):
        assert campaign.phase() == CampaignPhase.RUNNING
        assert Campaign.objects.with_phase().get(pk=campaign.pk).current_phase == CampaignPhase.RUNNING
    with time_machine.travel(at(ends_on + dt.timedelta(days=1), 0, 1), tick=False):
        assert campaign.phase() == CampaignPhase.FINISHED
        assert Campaign.objects.with_phase().get(pk=campaign.pk).current_phase == CampaignPhase.FINISHED


def test_in_summer_the_campaign_day_changes_at_uk_midnight_not_utc_midnight():
    campaign = approved_campaign(demo("employee"))
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=D(2027, 6, 1), ends_on=D(2027, 6, 30))
    campaign = Campaign.objects.get(pk=campaign.pk)
    # 23:30 UTC on 30/06 is already 00:30 on 01/07 in London.
    with time_machine.travel(dt.datetime(2027, 6, 30, 23, 30, tzinfo=UTC), tick=False):
        assert campaign.phase() == CampaignPhase.FINISHED
    # In winter UTC and UK time agree.
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=D(2027, 12, 1), ends_on=D(2027, 12, 31))
    campaign = Campaign.objects.get(pk=campaign.pk)
    with time_machine.travel(dt.datetime(2027, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert campaign.phase() == CampaignPhase.RUNNING


# (due date, the first day the reminder goes with the default of 2 days ahead)
DEADLINES = [
    (D(2027, 3, 1), D(2027, 2, 27)),
    (D(2028, 3, 1), D(2028, 2, 28)),
    (D(2028, 2, 29), D(2028, 2, 27)),
    (D(2028, 1, 1), D(2027, 12, 30)),
    (D(2027, 3, 29), D(2027, 3, 27)),
    (D(2027, 11, 1), D(2027, 10, 30)),
]


@pytest.mark.parametrize(("due_on", "first_day"), DEADLINES, ids=[d[0].isoformat() for d in DEADLINES])
def test_a_deadline_reminder_goes_two_days_ahead_across_month_year_and_clock_changes(due_on, first_day, settings):
    from cases.services.casework import send_deadline_reminders

    settings.CASES_DEADLINE_REMINDER_DAYS = 2
    deadline = CaseDeadlineFactory(case=open_case(subject=user("employee")), due_on=due_on)
    others = set(
        type(deadline).objects.filter(reminded_at__isnull=True).exclude(pk=deadline.pk).values_list("pk", flat=True)
    )
    type(deadline).objects.filter(pk__in=others).update(reminded_at=at(first_day))  # only ours is in play
    with time_machine.travel(at(first_day - dt.timedelta(days=1), 23, 59), tick=False):
        assert send_deadline_reminders() == 0
    with time_machine.travel(at(first_day, 0, 1), tick=False):
        assert send_deadline_reminders() == 1
    deadline.refresh_from_db()
    assert deadline.reminded_at is not None


WITHDRAWAL_REVIEWS = [D(2027, 2, 28), D(2027, 12, 31), D(2028, 2, 29), D(2027, 3, 28), D(2027, 10, 31)]


@pytest.mark.parametrize("review_date", WITHDRAWAL_REVIEWS, ids=[d.isoformat() for d in WITHDRAWAL_REVIEWS])
def test_a_withdrawal_review_reminder_goes_on_its_review_date_in_uk_time(review_date, demo_user):
    from monitoring.models import AccessWithdrawal, Site
    from monitoring.services import withdrawal_review_reminders_send

    AccessWithdrawal.objects.filter(reminded_at__isnull=True).update(reminded_at=at(review_date))
    AccessWithdrawal.objects.create(
        site=Site.objects.get(name="TikTok"),
        employee=demo_user("employee"),
        reason="Used during lessons.",
        review_date=review_date,
        withdrawn_by=demo_user("hr"),
    )
    with time_machine.travel(at(review_date - dt.timedelta(days=1), 23, 59), tick=False):
        assert withdrawal_review_reminders_send() == 0
    with time_machine.travel(at(review_date, 0, 1), tick=False):
        assert withdrawal_review_reminders_send() == 1


# A year after confirming (DISCLOSURE_RECONFIRM_DAYS, 365) the employee is asked again.
CONFIRMED = [
    at(D(2027, 1, 31)),
    at(D(2026, 12, 31), 23, 30),
    at(D(2028, 2, 29)),
    at(D(2027, 2, 28)),  # the year after holds 29/02/2028
    at(D(2026, 3, 28), 12),  # confirmed in GMT, due a year later in BST
    at(D(2026, 10, 24), 12),  # confirmed in BST, due a year later in GMT
]


@pytest.mark.parametrize("confirmed_at", CONFIRMED, ids=[c.isoformat() for c in CONFIRMED])
def test_reconfirmation_falls_due_exactly_a_period_after_the_last_confirmation(confirmed_at, settings):
    settings.DISCLOSURE_RECONFIRM_DAYS = 365
    employee = EmployeeFactory()
    PersonalAccountDisclosureFactory(employee=employee)
    DisclosureReconfirmation.objects.create(employee=employee, confirmed_at=confirmed_at, accounts=1)
    # The period is elapsed time: across a clock change it ends an hour off the same time of day on the clock.
    due = confirmed_at.astimezone(UTC) + dt.timedelta(days=365)
    with time_machine.travel(due - dt.timedelta(seconds=1), tick=False):
        assert not reconfirmation_due(employee)
    with time_machine.travel(due, tick=False):
        assert reconfirmation_due(employee)


def test_partitions_are_utc_months_and_a_uk_new_year_row_lands_in_its_utc_month():
    """Partitions are cut at UTC month starts; in winter that is UK midnight, so a New Year's Day row is in
    January's partition, and one at 00:30 on 1 July (BST, 23:30 UTC on 30 June) is in June's."""
    partitions.ensure_partitions(months_ahead=0, months_behind=0, today=D(2028, 1, 1))
    partitions.ensure_partitions(months_ahead=1, months_behind=0, today=D(2027, 6, 1))
    for moment, expected in (
        (at(D(2028, 1, 1), 0, 30), "monitoring_usagerecord_y2028m01"),
        (at(D(2027, 7, 1), 0, 30), "monitoring_usagerecord_y2027m06"),
    ):
        add_record_at(None, moment, f"edge-{expected}")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableoid::regclass::text FROM monitoring_usagerecord WHERE identity_value = %s",
                [f"rt-edge-{expected}"],
            )
            assert cursor.fetchone()[0] == expected


# A warning must expire after the day it is given, and "the day" is the UK's: at 00:30 on 1 July (BST, still
# 30 June in UTC) an expiry on 1 July is already today, so it is refused.
WARNING_MOMENTS = [
    ("the last minute of a month", at(D(2027, 4, 30), 23, 59)),
    ("new year's eve", at(D(2027, 12, 31), 23, 30)),
    ("28 February of a leap year", at(D(2028, 2, 28), 12)),
    ("29 February", at(D(2028, 2, 29), 12)),
    ("just after UK midnight in summer", at(D(2027, 7, 1), 0, 30)),
    ("the morning BST starts", at(D(2027, 3, 28), 3)),
    ("the morning BST ends", at(D(2027, 10, 31), 1, 30)),
]


@pytest.mark.parametrize(("edge", "moment"), WARNING_MOMENTS, ids=[m[0] for m in WARNING_MOMENTS])
def test_a_warning_expires_after_the_uk_day_it_is_given(edge, moment):
    from django.core.exceptions import ValidationError

    from cases.services import outcome_check
    from tests.cases.factories import held_case

    with time_machine.travel(moment, tick=False):
        case = held_case(subject=user("employee"))
        given_on = moment.astimezone(UK).date()

        def check(expires_on):
            outcome_check(
                actor=user("hr"),
                case=case,
                kind="first_written",
                reasons="Shared a pupil's photograph on a personal account.",
                clauses_breached=["5.2"],
                warning_expires_on=expires_on,
            )

        with pytest.raises(ValidationError) as refused:
            check(given_on)
        assert "warning_expires_on" in refused.value.message_dict
        check(given_on + dt.timedelta(days=1))
