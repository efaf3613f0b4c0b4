"""The clause 4.2 purge over 14 months of generated data, with time travel: the run date is what moves."""

import datetime as dt
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from monitoring import partitions
from monitoring.models import (
    AccessWithdrawal,
    MonitoringCheck,
    PurgeReceipt,
    RetentionHold,
    Site,
    UsageDay,
    UsageImport,
)
from monitoring.retention import (
    INVENTORY,
    KINDS,
    hold_create,
    hold_release,
    months_before,
    purge_retry_due,
    retention_failure_alert,
    retention_purge,
    retention_status,
    validate_limits,
)
from people.models import Notification, User
from tests.monitoring.retention_data import (
    add_record_at,
    cutoff_of,
    fourteen_months,
    generated_rows,
    open_case,
    uk_midnight,
    usage_stats,
)

pytestmark = pytest.mark.django_db

# These tests travel in time, so they run on a night of their own: the clock of every test here is frozen at
# 02:00 on RUN_DATE, when the nightly purge runs, and the data is built from it. The services that read the clock
# (a hold's end date must be in the future, the command purges from today) see that night too. The date is a
# scenario, not "today": the suite passes on any real date because no test here reads the real one.
RUN_DATE = dt.date(2026, 11, 26)
CUTOFF = cutoff_of(RUN_DATE)  # 26/11/2025 00:00 UK time
# The generated data starts on 26/09/2025; partitions were made from August 2025.
DROPPED = [f"monitoring_usagerecord_y2025m{m:02d}" for m in (8, 9, 10)]


@pytest.fixture(autouse=True)
def _the_night_of_the_run():
    night = dt.datetime.combine(RUN_DATE, dt.time(2, 0), ZoneInfo("Europe/London"))
    with time_machine.travel(night, tick=True):
        yield


@pytest.fixture
def people(demo_user):
    return {name: demo_user(name) for name in ("employee", "manager", "hr", "headofhr")}


@pytest.fixture
def world(people):
    """Usage over 14 months for two employees, plus one old and one recent item of every other kind."""
    PurgeReceipt.objects.all().delete()  # the demo's receipt and hold are not part of these tests
    RetentionHold.objects.all().delete()
    fourteen_months(RUN_DATE, [people["employee"], people["manager"]])
    # Exactly at the boundary: one record a second before the cutoff, one at the cutoff.
    add_record_at(people["employee"], CUTOFF - dt.timedelta(seconds=1), "edge-before")
    add_record_at(people["employee"], CUTOFF, "edge-at")
    old, recent = CUTOFF - dt.timedelta(days=3), CUTOFF + dt.timedelta(days=3)
    for moment, label in ((old, "old"), (recent, "recent")):
        UsageDay.objects.create(employee=people["employee"], day=timezone.localtime(moment).date(), minutes_in_breaks=5)
        UsageImport.objects.create(file_name=f"{label}.log", format="squid", status="done", created_at=moment)
        check = MonitoringCheck.objects.create(
            employee=people["employee"],
            requested_by=people["manager"],
            reason="excessive_use",
            justification=f"A {label} concern about lessons.",
            period_start=timezone.localtime(moment).date() - dt.timedelta(days=7),
            period_end=timezone.localtime(moment).date(),
            created_at=moment,
        )
        MonitoringCheck.objects.filter(pk=check.pk).update(status="complete", findings="Use outside breaks.")
        withdrawal = AccessWithdrawal.objects.create(
            site=Site.objects.get(name="TikTok"),
            employee=people["employee"],
            reason=f"A {label} misuse.",
            review_date=RUN_DATE,
            withdrawn_by=people["hr"],
            created_at=moment - dt.timedelta(days=30),
        )
        AccessWithdrawal.objects.filter(pk=withdrawal.pk).update(status="lifted", lifted_at=moment)
    return people


def _old_usage() -> int:
    return usage_stats("started_at < %s", [CUTOFF])[0]


def test_the_inventory_lists_every_kind_with_its_age_field_and_a_limit_of_12_months():
    assert [k.key for k in INVENTORY] == [
        "usage_records",
        "usage_days",
        "import_reports",
        "monitoring_checks",
        "access_withdrawals",
        "log_files",
    ]
    assert not KINDS["log_files"].stored  # the importer streams uploads and keeps no file
    assert validate_limits() == {k.key: 12 for k in INVENTORY if k.stored}
    assert KINDS["usage_records"].age_field == "started_at" and KINDS["usage_days"].age_is_date


def test_a_purge_over_14_months_removes_exactly_what_is_older_than_12_months(world):
    recent_before = usage_stats("started_at >= %s", [CUTOFF])[0]
    old_before = _old_usage()
    assert old_before > 2 * 2 * 30 * 4  # two months of six-hourly records for two people, and more
    receipt = retention_purge(today=RUN_DATE)

    assert receipt.outcome == PurgeReceipt.Outcome.COMPLETED
    count, oldest = usage_stats()
    assert oldest == CUTOFF  # the record at the cutoff stays, the one a second before it went
    assert count == recent_before
    assert receipt.kinds["usage_records"]["rows"] == old_before
    assert receipt.cutoff == CUTOFF
    # The months wholly before the cutoff were dropped, the boundary month kept and purged row by row.
    assert receipt.partitions_dropped == DROPPED
    assert "monitoring_usagerecord_y2025m11" in partitions.existing_partitions()
    assert "monitoring_usagerecord_y2025m10" not in partitions.existing_partitions()
    for model, name in ((UsageImport, "import_reports"), (MonitoringCheck, "monitoring_checks")):
        assert not model.objects.filter(created_at__lt=CUTOFF).exists()
        assert receipt.kinds[name]["rows"] == 1
    assert not UsageDay.objects.filter(day__lt=CUTOFF.date()).exists()
    assert UsageDay.objects.filter(employee=world["employee"], day__gte=CUTOFF.date()).exists()
    assert not AccessWithdrawal.objects.filter(lifted_at__lt=CUTOFF).exists()
    assert AccessWithdrawal.objects.filter(lifted_at__gte=CUTOFF).count() == 1
    assert not any(s.overdue for s in retention_status(RUN_DATE))
    receipt.refresh_from_db()
    assert receipt.finished_at and receipt.duration.total_seconds() >= 0


def test_a_second_run_removes_nothing(world):
    retention_purge(today=RUN_DATE)
    before = generated_rows()
    again = retention_purge(today=RUN_DATE)
    assert again.rows_removed == 0 and again.partitions_dropped == []
    assert generated_rows() == before


def test_a_missed_month_is_caught_up_by_the_next_run(world):
    retention_purge(today=RUN_DATE)
    later = RUN_DATE + dt.timedelta(days=40)  # the purge did not run for 40 nights
    receipt = retention_purge(today=later)
    assert cutoff_of(later) <= usage_stats()[1] < cutoff_of(later) + dt.timedelta(hours=6)
    assert receipt.partitions_dropped == ["monitoring_usagerecord_y2025m11", "monitoring_usagerecord_y2025m12"]
    assert receipt.kinds["usage_records"]["rows"] > 0
    # Partitions for the months ahead of the new run date were made by the same run.
    assert "monitoring_usagerecord_y2027m04" in partitions.existing_partitions()


def test_a_dry_run_reports_and_removes_nothing(world):
    before = generated_rows()
    old = _old_usage()
    receipt = retention_purge(today=RUN_DATE, dry_run=True)
    assert receipt.pk is None and not PurgeReceipt.objects.exists()
    assert receipt.kinds["usage_records"]["rows"] == old
    assert receipt.partitions_dropped == DROPPED
    assert generated_rows() == before


def test_the_command_runs_the_same_purge(world, capsys):
    call_command("purge_expired", "--dry-run")
    assert "Would remove" in capsys.readouterr().out and _old_usage() > 0
    call_command("purge_expired")
    out = capsys.readouterr().out
    assert "Monthly partitions dropped" in out and "rows in all" in out
    assert PurgeReceipt.objects.get().trigger == PurgeReceipt.Trigger.COMMAND
    # The command purges from today's real date, which the generated data was built around.
    assert _old_usage() == 0


# --- holds ------------------------------------------------------------------------------------------------


def _hold(world, case, **overrides):
    start = dt.date(2025, 10, 10)  # ten days inside October 2025, more than a year before RUN_DATE
    values = {
        "actor": world["headofhr"],
        "case": case,
        "period_start": start,
        "period_end": start + dt.timedelta(days=9),
        "reason": "The usage of these ten days is the evidence of the allegation in this case.",
        "ends_on": RUN_DATE + dt.timedelta(days=90),
    }
    values.update(overrides)
    return hold_create(**values)


def test_held_items_survive_the_purge_and_are_listed_on_its_receipt(world):
    case = open_case(world["employee"], world["hr"])
    hold = _hold(world, case)
    held_from, held_to = uk_midnight(hold.period_start), uk_midnight(hold.period_end + dt.timedelta(days=1))
    held_rows = usage_stats(
        "employee_id = %s AND started_at >= %s AND started_at < %s", [world["employee"].pk, held_from, held_to]
    )[0]
    assert held_rows == 40

    receipt = retention_purge(today=RUN_DATE)
    # Only the held period of the held person is older than the cutoff now.
    assert usage_stats("started_at < %s", [CUTOFF])[0] == held_rows
    assert (
        usage_stats("started_at < %s AND NOT (started_at >= %s AND started_at < %s)", [CUTOFF, held_from, held_to])[0]
        == 0
    )
    assert receipt.kinds["usage_records"]["held"] == held_rows
    assert receipt.holds[0]["case"] == "CASE-RT-1" and receipt.holds[0]["id"] == hold.pk
    # The month with held rows in it is purged row by row, not dropped.
    assert receipt.partitions_dropped == DROPPED[:2]
    # A held check stays too.
    status = {s.kind.key: s for s in retention_status(RUN_DATE)}
    assert status["usage_records"].held == held_rows and not status["usage_records"].overdue

    # The hold lapses when the case closes: the next run removes what it kept.
    type(case).objects.filter(pk=case.pk).update(status="closed")
    later = retention_purge(today=RUN_DATE)
    assert later.holds == [] and later.kinds["usage_records"]["rows"] == held_rows
    assert usage_stats("started_at < %s", [CUTOFF])[0] == 0


def test_a_hold_lapses_after_its_end_date_and_when_released(world):
    case = open_case(world["employee"], world["hr"])
    hold = _hold(world, case, ends_on=RUN_DATE + dt.timedelta(days=1))
    assert retention_purge(today=RUN_DATE).holds
    assert retention_purge(today=RUN_DATE + dt.timedelta(days=2)).holds == []
    hold2 = _hold(world, case, period_start=hold.period_start + dt.timedelta(days=1))
    hold_release(actor=world["headofhr"], hold=hold2)
    assert RetentionHold.objects.get(pk=hold2.pk).released_by == world["headofhr"]
    with pytest.raises(ValidationError):
        hold_release(actor=world["headofhr"], hold=hold2)


def test_a_held_monitoring_check_is_kept(world):
    case = open_case(world["employee"], world["hr"])
    old_check = MonitoringCheck.objects.get(created_at__lt=CUTOFF)
    _hold(
        world,
        case,
        monitoring_check=old_check,
        period_start=old_check.period_start,
        period_end=old_check.period_end,
    )
    receipt = retention_purge(today=RUN_DATE)
    assert MonitoringCheck.objects.filter(pk=old_check.pk).exists()
    assert receipt.kinds["monitoring_checks"] == {**receipt.kinds["monitoring_checks"], "rows": 0, "held": 1}


def test_only_the_head_of_hr_may_hold_and_only_for_an_open_case(world):
    case = open_case(world["employee"], world["hr"])
    with pytest.raises(PermissionDenied):
        _hold(world, case, actor=world["hr"])
    with pytest.raises(PermissionDenied):
        hold_release(actor=world["hr"], hold=_hold(world, case))
    type(case).objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError) as closed:
        _hold(world, case, period_start=RUN_DATE - dt.timedelta(days=30), period_end=RUN_DATE - dt.timedelta(days=20))
    assert "closed" in str(closed.value)


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("period_end", {"period_start": dt.date(2025, 10, 10), "period_end": dt.date(2025, 10, 1)}),
        ("period_end", {"period_end": RUN_DATE + dt.timedelta(days=5)}),
        ("ends_on", {"ends_on": dt.date(2020, 1, 1)}),
        ("ends_on", {"ends_on": dt.date(2030, 1, 1)}),
        ("reason", {"reason": "Evidence."}),
        ("reason", {"reason": "x" * 2001}),
    ],
)
def test_a_hold_with_bad_input_is_refused_beside_the_field(world, field, overrides):
    case = open_case(world["employee"], world["hr"])
    with pytest.raises(ValidationError) as refused:
        _hold(world, case, **overrides)
    assert field in refused.value.message_dict
    assert not RetentionHold.objects.exists()


def test_a_hold_cannot_name_a_check_about_someone_else(world):
    case = open_case(world["manager"], world["hr"])
    check = MonitoringCheck.objects.filter(employee=world["employee"]).first()
    with pytest.raises(ValidationError) as refused:
        _hold(world, case, monitoring_check=check)
    assert "monitoring_check" in refused.value.message_dict


# --- limits -----------------------------------------------------------------------------------------------


def test_a_shorter_limit_for_one_kind_is_honoured(world):
    with override_settings(MONITORING_RETENTION_KIND_MONTHS={"import_reports": 1}):
        receipt = retention_purge(today=RUN_DATE)
    assert receipt.kinds["import_reports"]["limit_months"] == 1
    assert not UsageImport.objects.filter(created_at__lt=cutoff_of(RUN_DATE, 1)).exists()
    assert receipt.kinds["usage_records"]["limit_months"] == 12


@pytest.mark.parametrize(
    "overrides", [{"MONITORING_RETENTION_MONTHS": 13}, {"MONITORING_RETENTION_KIND_MONTHS": {"usage_days": 24}}]
)
def test_a_limit_above_12_months_is_refused(overrides):
    with override_settings(**overrides), pytest.raises(ImproperlyConfigured, match="12"):
        validate_limits()


@pytest.mark.parametrize(
    "env", [{"MONITORING_RETENTION_MONTHS": "13"}, {"MONITORING_RETENTION_KIND_MONTHS": "usage_records:18"}]
)
def test_the_app_will_not_start_with_a_limit_above_12_months(env):
    import os

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "12" in result.stderr


def test_months_before_keeps_to_the_end_of_a_shorter_month():
    assert months_before(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)


# --- what goes wrong --------------------------------------------------------------------------------------


def test_one_kind_that_fails_is_reported_on_its_own_and_the_others_are_still_purged(world, monkeypatch):
    from monitoring import retention

    purge_model = retention._purge_model

    def fails_for_import_reports(run, kind, cutoff, holds):
        if kind.key == "import_reports":
            raise RuntimeError("disk full")
        return purge_model(run, kind, cutoff, holds)

    monkeypatch.setattr(retention, "_purge_model", fails_for_import_reports)
    receipt = retention_purge(today=RUN_DATE)
    assert receipt.outcome == PurgeReceipt.Outcome.FAILED
    outcomes = {key: counts["outcome"] for key, counts in receipt.kinds.items()}
    assert outcomes == {
        "usage_records": "completed",
        "usage_days": "completed",
        "import_reports": "failed",
        "monitoring_checks": "completed",
        "access_withdrawals": "completed",
    }
    # In plain words on the receipt: no exception class, no database message.
    assert receipt.kinds["import_reports"]["error"] == (
        "an unexpected error stopped it (the server's log has the details)"
    )
    assert receipt.error == "Import reports: an unexpected error stopped it (the server's log has the details)"
    assert "disk full" not in receipt.error and "RuntimeError" not in receipt.error
    # Every other kind was purged in the same run.
    assert _old_usage() == 0
    assert not UsageDay.objects.filter(day__lt=CUTOFF.date()).exists()
    assert not MonitoringCheck.objects.filter(created_at__lt=CUTOFF).exists()
    assert not AccessWithdrawal.objects.filter(lifted_at__lt=CUTOFF).exists()
    assert UsageImport.objects.filter(created_at__lt=CUTOFF).exists()
    monkeypatch.undo()
    assert retention_purge(today=RUN_DATE).outcome == PurgeReceipt.Outcome.COMPLETED  # the retry finishes
    assert not UsageImport.objects.filter(created_at__lt=CUTOFF).exists()


def test_the_receipt_page_says_which_kind_was_not_purged_and_when_it_is_tried_again(world, monkeypatch, client_for):
    from monitoring import retention

    def fails(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "_purge_model", fails)
    receipt = retention_purge(today=RUN_DATE, trigger=PurgeReceipt.Trigger.SCHEDULE)
    receipt.retry_at = retention.purge_retry_due(receipt)
    receipt.save()
    page = client_for("hr").get(receipt.get_absolute_url()).content.decode()
    assert "The worker tries again at 02:30" in page
    assert "No: an unexpected error stopped it" in page
    assert "RuntimeError" not in page and "disk full" not in page


def test_a_failed_nightly_run_is_retried_within_the_night_and_no_later(world):
    london = ZoneInfo("Europe/London")
    failed = PurgeReceipt(run_date=RUN_DATE, cutoff=CUTOFF, outcome=PurgeReceipt.Outcome.FAILED)
    at = dt.datetime.combine(RUN_DATE, dt.time(2, 0), london)
    assert purge_retry_due(failed, at) == at + dt.timedelta(minutes=30)
    assert purge_retry_due(failed, at.replace(hour=5, minute=30)) == at.replace(hour=6, minute=0)
    assert purge_retry_due(failed, at.replace(hour=5, minute=31)) is None  # morning: HR are told instead
    stopped = PurgeReceipt(run_date=RUN_DATE, cutoff=CUTOFF, outcome=PurgeReceipt.Outcome.PARTIAL)
    assert purge_retry_due(stopped, at) is not None
    for outcome in (PurgeReceipt.Outcome.COMPLETED, PurgeReceipt.Outcome.SKIPPED):
        assert purge_retry_due(PurgeReceipt(run_date=RUN_DATE, cutoff=CUTOFF, outcome=outcome), at) is None
    assert purge_retry_due(PurgeReceipt(run_date=RUN_DATE, cutoff=CUTOFF, outcome="failed", dry_run=True), at) is None


def _fails(*args, **kwargs):
    raise RuntimeError("disk full")


def test_hr_are_told_once_when_the_nights_last_run_still_failed_by_morning(world, monkeypatch):
    from monitoring import retention

    fails = _fails
    monkeypatch.setattr(retention, "_purge_model", fails)
    first = retention_purge(today=RUN_DATE, trigger=PurgeReceipt.Trigger.SCHEDULE)
    first.retry_at = timezone.now() + dt.timedelta(minutes=30)
    first.save()
    assert not retention_failure_alert(today=RUN_DATE)  # a retry is still to come tonight
    retry = retention_purge(today=RUN_DATE, trigger=PurgeReceipt.Trigger.RETRY)
    assert retry.outcome == PurgeReceipt.Outcome.FAILED and retry.retry_at is None
    assert retention_failure_alert(today=RUN_DATE)
    assert not retention_failure_alert(today=RUN_DATE)  # once a day
    sent = Notification.objects.filter(subject__startswith="Last night's purge of monitoring data did not finish")
    assert (
        sent.count()
        == User.objects.filter(role_assignments__role__in=["hr_officer", "head_of_hr"], is_active=True)
        .distinct()
        .count()
        > 0
    )
    body = sent.first().body
    assert "Daily analyses: an unexpected error stopped it" in body
    assert "Usage records" not in body  # it was purged


def test_hr_are_not_told_when_a_retry_finished_the_night(world, monkeypatch):
    from monitoring import retention

    with monkeypatch.context() as patched:
        patched.setattr(retention, "_purge_model", _fails)
        retention_purge(today=RUN_DATE, trigger=PurgeReceipt.Trigger.SCHEDULE)
    assert retention_purge(today=RUN_DATE, trigger=PurgeReceipt.Trigger.RETRY).outcome == "completed"
    assert not retention_failure_alert(today=RUN_DATE)


def test_a_run_stops_at_its_time_limit_and_the_next_one_carries_on(world):
    with override_settings(MONITORING_PURGE_TIME_LIMIT=0):
        receipt = retention_purge(today=RUN_DATE)
    assert receipt.outcome == PurgeReceipt.Outcome.PARTIAL
    assert _old_usage() > 0
    assert retention_purge(today=RUN_DATE).outcome == PurgeReceipt.Outcome.COMPLETED
    assert _old_usage() == 0


def test_a_chunk_that_fails_is_retried_with_half_the_rows():
    from django.db import OperationalError

    from monitoring import retention

    run = retention._Run(PurgeReceipt(), dry_run=False, deadline=time.monotonic() + 60, chunk_size=100, pause=0)
    sizes = []

    def work(size):
        sizes.append(size)
        if len(sizes) < 3:
            raise OperationalError("canceling statement due to statement timeout")
        return size

    assert retention._chunk(run, work) == 25
    assert sizes == [100, 50, 25]


def test_a_chunk_runs_under_a_statement_time_limit_and_a_lock_time_limit():
    """The limits are in force inside the chunk's transaction. (PostgreSQL itself cancels a
    statement past its limit; what this tests is that the purge asks it to. Under `faketime` the server's
    timers do not fire on time, so a pg_sleep past the limit would test the clock, not the purge.)"""
    from monitoring import retention

    run = retention._Run(PurgeReceipt(), dry_run=False, deadline=time.monotonic() + 60, chunk_size=10, pause=0)
    seen = {}

    def work(size):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            seen["inside"] = cursor.fetchone()
        return size

    with override_settings(MONITORING_PURGE_STATEMENT_TIMEOUT="50ms", MONITORING_PURGE_LOCK_TIMEOUT="20ms"):
        assert retention._chunk(run, work) == 10
    assert seen["inside"] == ("50ms", "20ms")


def test_a_receipt_left_running_by_a_dead_run_is_marked_interrupted(world):
    dead = PurgeReceipt.objects.create(run_date=RUN_DATE, cutoff=CUTOFF)
    retention_purge(today=RUN_DATE)
    dead.refresh_from_db()
    assert dead.outcome == PurgeReceipt.Outcome.INTERRUPTED


def test_a_table_detached_by_a_run_that_died_is_dropped_by_the_next(world):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE monitoring_usagerecord DETACH PARTITION monitoring_usagerecord_y2025m09")
    receipt = retention_purge(today=RUN_DATE)
    assert "monitoring_usagerecord_y2025m09" in receipt.partitions_dropped
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('monitoring_usagerecord_y2025m09')")
        assert cursor.fetchone()[0] is None


def test_files_stored_with_an_item_are_deleted_from_storage_with_it(world):
    """No monitoring kind keeps a file today (uploads are streamed), so the mechanism is shown on a kind made
    for this test over the cases app's evidence files."""
    from django.core.files.storage import default_storage

    from cases.models import Evidence
    from cases.services.evidence import evidence_store_files
    from monitoring import retention
    from tests.cases.factories import png

    case = open_case(world["employee"], world["hr"])
    old, recent = evidence_store_files(files=[png("old.png"), png("recent.png")], uploaded_by=world["hr"], case=case)
    Evidence.objects.filter(pk=old.pk).update(uploaded_at=CUTOFF - dt.timedelta(days=1))
    kind = retention.Kind("test_files", "Files", "", Evidence, "uploaded_at", file_fields=("file",))
    receipt = PurgeReceipt(kinds={"test_files": {"rows": 0, "files": 0, "held": 0}})
    run = retention._Run(receipt, dry_run=False, deadline=time.monotonic() + 60, chunk_size=10, pause=0)
    retention._purge_model(run, kind, CUTOFF, [])
    assert receipt.kinds["test_files"] == {"rows": 1, "files": 1, "held": 0}
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    assert list(Evidence.objects.filter(case=case)) == [recent]
    default_storage.delete(recent.file.name)
