"""The purge's one-at-a-time lock is safe behind PgBouncer in transaction mode: it is a transaction-level lock
held by an open transaction on a connection of its own, never a session-level lock left on the app's (pooled)
connection, where an unlock could reach another server connection and the lock would stick for ever."""

import pytest
from django.db import connection

from monitoring import retention
from monitoring.models import PurgeReceipt
from monitoring.retention import _LOCK_KEY, retention_purge

pytestmark = pytest.mark.django_db


def _advisory_holders() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.pid, a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            # Advisory locks belong to one database; the other test worker's database has its own.
            "WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [_LOCK_KEY],
        )
        return cursor.fetchall()


def _my_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_lock_is_held_by_an_open_transaction_on_another_connection_and_gone_after_the_run(monkeypatch):
    seen = []
    real_active_holds = retention.active_holds

    def look_while_running(today):
        seen.append((_my_pid(), _advisory_holders()))
        return real_active_holds(today)

    monkeypatch.setattr(retention, "active_holds", look_while_running)
    receipt = retention_purge(dry_run=False)
    assert receipt.outcome == PurgeReceipt.Outcome.COMPLETED
    [(app_pid, holders)] = seen
    assert len(holders) == 1
    holder_pid, holder_state = holders[0]
    assert holder_pid != app_pid, "the lock must not sit on the app's pooled connection"
    assert holder_state == "idle in transaction", "a transaction keeps its server connection under PgBouncer"
    assert _advisory_holders() == []


def test_a_run_while_another_holds_the_lock_is_skipped_and_leaves_the_lock_alone():
    held = retention._try_lock()
    assert held is not None
    try:
        receipt = retention_purge()
        assert receipt.outcome == PurgeReceipt.Outcome.SKIPPED
        assert len(_advisory_holders()) == 1
    finally:
        retention._unlock(held)
    assert _advisory_holders() == []


def test_a_holder_that_dies_takes_its_lock_with_it():
    held = retention._try_lock()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(%s)",
            [
                held.connection.info.backend_pid
                if hasattr(held.connection, "info")
                else held.connection.get_backend_pid()
            ],
        )
    try:
        retention._unlock(held)
    except Exception:  # noqa: BLE001 - its connection is gone
        pass
    assert retention_purge().outcome == PurgeReceipt.Outcome.COMPLETED
