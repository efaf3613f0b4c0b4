"""The purge as it really runs: two at once, one killed half-way, one on a real Celery worker, and beat's
schedule. These commit, so they clean up the usage table (which a transactional test does not flush)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from monitoring import partitions
from monitoring.models import PurgeReceipt, RetentionHold
from monitoring.retention import _LOCK_KEY, next_run, retention_purge
from people.models import User
from tests.celery_worker import _database_url_for, celery_worker_process  # noqa: F401  (fixture)
from tests.monitoring.retention_data import (
    cutoff_of,
    fourteen_months,
    generated_rows,
    remove_generated_usage,
    usage_stats,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committed_world(demo_world):
    """14 months of usage up to today (the real date: the command and the worker purge from it)."""
    PurgeReceipt.objects.all().delete()  # the demo's receipt and hold are not part of these tests
    RetentionHold.objects.all().delete()
    today = timezone.localdate()
    fourteen_months(today, list(User.objects.filter(username__in=["employee", "manager"])))
    cutoff = cutoff_of(today)
    expected = [row for row in generated_rows() if row[1] >= cutoff]
    yield {"today": today, "cutoff": cutoff, "expected": expected}
    remove_generated_usage()
    oldest_kept = partitions.partition_name(partitions.add_months(partitions.month_start(today), -12))
    with connection.cursor() as cursor:
        for name in partitions.existing_partitions():
            if name != partitions.DEFAULT and name < oldest_kept:
                cursor.execute(f"DROP TABLE {name}")
    partitions.ensure_partitions(months_ahead=3)


def _lock_held() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted", [_LOCK_KEY]
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_started_together_do_the_work_once(committed_world):
    barrier = threading.Barrier(2)
    receipts = []

    def run():
        try:
            barrier.wait(timeout=10)
            receipts.append(retention_purge())
        finally:
            connection.close()

    with override_settings(MONITORING_PURGE_CHUNK_SIZE=20, MONITORING_PURGE_CHUNK_PAUSE_MS=50):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    outcomes = sorted(r.outcome for r in receipts)
    assert outcomes == [PurgeReceipt.Outcome.COMPLETED, PurgeReceipt.Outcome.SKIPPED]
    worker = next(r for r in receipts if r.outcome == PurgeReceipt.Outcome.COMPLETED)
    skipped = next(r for r in receipts if r.outcome == PurgeReceipt.Outcome.SKIPPED)
    assert skipped.rows_removed == 0 and skipped.pk is not None
    assert worker.kinds["usage_records"]["rows"] > 0
    assert generated_rows() == committed_world["expected"]
    assert not _lock_held()


@pytest.mark.django_db(transaction=True)
def test_a_purge_killed_half_way_then_run_again_ends_as_an_uninterrupted_run_would(committed_world):
    cutoff = committed_world["cutoff"]
    old_before = usage_stats("started_at < %s", [cutoff])[0]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
        "MONITORING_PURGE_CHUNK_SIZE": "10",
        "MONITORING_PURGE_CHUNK_PAUSE_MS": "150",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "purge_expired"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # Kill it once it has dropped the old months and is deleting the boundary month row by row.
            old_now = usage_stats("started_at < %s", [cutoff])[0]
            running = PurgeReceipt.objects.filter(outcome="running").exists()
            if running and 0 < old_now < old_before - 30:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the purge did not get going within a minute")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert usage_stats("started_at < %s", [cutoff])[0] > 0  # it really stopped half-way
    dead = PurgeReceipt.objects.get()
    assert dead.outcome == PurgeReceipt.Outcome.RUNNING
    deadline = time.monotonic() + 20
    while _lock_held() and time.monotonic() < deadline:  # the server notices the lost connection
        time.sleep(0.1)

    receipt = retention_purge()
    assert receipt.outcome == PurgeReceipt.Outcome.COMPLETED
    assert generated_rows() == committed_world["expected"]
    dead.refresh_from_db()
    assert dead.outcome == PurgeReceipt.Outcome.INTERRUPTED
    # The months wholly before the cutoff are gone, whichever run dropped them, and nothing is left detached.
    month = partitions.month_start(cutoff)
    assert partitions.DEFAULT in partitions.existing_partitions()
    assert not any(
        name < partitions.partition_name(month)
        for name in partitions.existing_partitions()
        if name != partitions.DEFAULT
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Month tables only: the names of their indexes are cut at 63 characters ("..._y2027_identity_...")
            # and would sort before "..._y2027m01".
            "SELECT count(*) FROM pg_class WHERE relkind = 'r' "
            "AND relname ~ '^monitoring_usagerecord_y[0-9]{4}m[0-9]{2}$' AND relname < %s",
            [partitions.partition_name(month)],
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_nightly_purge_and_writes_its_receipt(celery_worker_process, committed_world):  # noqa: F811
    from monitoring.tasks import purge_expired_monitoring_data

    receipt_id = purge_expired_monitoring_data.delay().get(timeout=120)
    receipt = PurgeReceipt.objects.get(pk=receipt_id)
    assert receipt.outcome == PurgeReceipt.Outcome.COMPLETED
    assert receipt.trigger == PurgeReceipt.Trigger.SCHEDULE
    assert receipt.run_date == committed_world["today"]
    assert receipt.kinds["usage_records"]["rows"] > 0 and receipt.partitions_dropped
    assert generated_rows() == committed_world["expected"]


def test_beat_holds_the_purge_at_two_in_the_morning_uk_time():
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-retention-purge"]
    assert entry["task"] == "monitoring.tasks.purge_expired_monitoring_data"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {2} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/London"

    from socialpolicy.celery import app

    assert app.conf.beat_schedule["monitoring-retention-purge"]["schedule"] == schedule
    # In summer time, 02:00 in London is 01:00 UTC: beat, working in UK time, is due then.
    london = timezone.get_default_timezone()
    schedule = crontab(hour=2, minute=0, app=app)
    for last, expected_utc in (
        (dt.datetime(2026, 7, 1, 2, 0, tzinfo=london), dt.datetime(2026, 7, 2, 1, 0, tzinfo=dt.UTC)),
        (dt.datetime(2026, 12, 1, 2, 0, tzinfo=london), dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)),
    ):
        start, delay, _ = schedule.remaining_delta(last)
        assert (start + delay).astimezone(dt.UTC) == expected_utc
    # The retention page's "next run" reads the same schedule.
    assert next_run(dt.datetime(2026, 7, 1, 12, 0, tzinfo=london)) == dt.datetime(2026, 7, 2, 2, 0, tzinfo=london)


class _ImportHeldOpen:
    """An upload that arrives slowly: its first lines are read, merged and written (inside the import's one
    transaction) and then it waits, as a large file being read at 02:00 does, until `finish` is set."""

    def __init__(self, lines: list[str]):
        self.data = ("\n".join(lines) + "\n").encode()
        self.finish = threading.Event()

    def read(self, size: int = -1) -> bytes:
        if self.data:
            data, self.data = self.data, b""
            return data
        self.finish.wait(timeout=120)
        return b""


def _import_holds_usage_table() -> bool:
    """Another backend holds a write lock on the usage table (the import's INSERT ... ON CONFLICT)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = %s "
            "AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()",
            [partitions.PARENT],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_purge_started_while_a_long_import_holds_its_transaction_completes(committed_world, monkeypatch):
    from monitoring import importer
    from monitoring.models import UsageImport, UsageRecord
    from tests.monitoring.conftest import squid_line

    monkeypatch.setattr(importer, "FLUSH_EVERY", 1)  # write the first lines at once, as a large file's batch is
    now = timezone.now()
    upload = _ImportHeldOpen([squid_line(now - dt.timedelta(minutes=m), user="rt-importer") for m in range(1, 6)])
    usage_import = UsageImport.objects.create(file_name="access.log.1.gz", format="squid")
    done = []

    def run_import():
        try:
            done.append(importer.import_stream(usage_import, upload))
        finally:
            connection.close()

    thread = threading.Thread(target=run_import)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not _import_holds_usage_table():
            assert time.monotonic() < deadline, "the import did not start writing"
            time.sleep(0.05)
        # The import's transaction is open on its own connection: DETACH PARTITION cannot get its lock.
        receipt = retention_purge()
        assert thread.is_alive() and _import_holds_usage_table()  # it really ran during the import
    finally:
        upload.finish.set()
        thread.join(timeout=120)

    def purged_as_expected() -> bool:
        # The import's own records are named rt-importer, so that the fixture's clean-up removes them too.
        return [row for row in generated_rows() if row[0] != "rt-importer"] == committed_world["expected"]

    assert receipt.outcome == PurgeReceipt.Outcome.COMPLETED, receipt.error
    assert {counts["outcome"] for counts in receipt.kinds.values()} == {"completed"}
    assert purged_as_expected()  # everything expired is gone
    emptied = receipt.kinds["usage_records"]["emptied"]
    assert emptied and not receipt.partitions_dropped  # old months were emptied row by row, not detached
    assert done[0].status == UsageImport.Status.DONE, done[0].failure
    assert UsageRecord.objects.filter(identity_value="rt-importer").count() == 5  # the import lost nothing

    # The next run (the retry, or the next night) drops the empty month tables.
    again = retention_purge()
    assert again.outcome == PurgeReceipt.Outcome.COMPLETED
    assert sorted(again.partitions_dropped) == sorted(emptied)
    assert not set(emptied) & partitions.existing_partitions()
    assert purged_as_expected()


@pytest.mark.django_db(transaction=True)
def test_a_kind_locked_by_another_connection_fails_alone_and_its_retry_completes(committed_world):
    from django.db import connections

    from monitoring.models import UsageImport

    old = UsageImport.objects.create(file_name="old.log", format="squid", status="done")
    UsageImport.objects.filter(pk=old.pk).update(created_at=committed_world["cutoff"] - dt.timedelta(days=2))
    other = connections.create_connection("default")  # a second, real connection
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT id FROM monitoring_usageimport WHERE id = %s FOR UPDATE", [old.pk])
            with override_settings(MONITORING_PURGE_RETRIES=1):
                receipt = retention_purge(trigger=PurgeReceipt.Trigger.SCHEDULE)
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert receipt.outcome == PurgeReceipt.Outcome.FAILED
    assert receipt.kinds["import_reports"]["outcome"] == "failed"
    assert receipt.kinds["import_reports"]["error"] == (
        "it could not get a lock that another task, such as an import, was holding"
    )
    assert receipt.kinds["usage_records"]["outcome"] == "completed"
    assert generated_rows() == committed_world["expected"]  # usage was purged all the same
    assert UsageImport.objects.filter(pk=old.pk).exists()

    retry = retention_purge(trigger=PurgeReceipt.Trigger.RETRY)
    assert retry.outcome == PurgeReceipt.Outcome.COMPLETED
    assert not UsageImport.objects.filter(pk=old.pk).exists()
