"""PostgreSQL's own time-outs fire in every run of the suite, including the run 400 days ahead.

The purge, the audit chain and the concurrency tests rely on the server giving up a lock wait (lock_timeout)
or breaking a deadlock (deadlock_timeout). Under libfaketime those timers never fired and such a test hung
until CI's own limit; `make test-ahead` preloads tests/faketime/unfaked_waits.c to keep them working (and
Python's timed waits, such as the one below). This test fails (after the holder
lets go, without the expected error) wherever they do not work."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lock_wait_past_lock_timeout_is_cancelled_by_the_server():
    holder = connections.create_connection(connection.alias)
    holder.inc_thread_sharing()  # the thread below ends its transaction
    holder.set_autocommit(False)
    released = threading.Event()

    def let_go_later():
        # Long enough that a working lock_timeout always wins; short enough that a broken one fails the test
        # instead of hanging it.
        released.wait(timeout=20)
        holder.rollback()

    thread = threading.Thread(target=let_go_later, daemon=True)
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")
        thread.start()
        with (
            pytest.raises(OperationalError, match="lock timeout"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
            cursor.execute("SELECT count(*) FROM django_migrations")
    finally:
        released.set()
        if thread.is_alive():
            thread.join(timeout=30)
        holder.close()


def test_a_statement_past_statement_timeout_is_cancelled_by_the_server():
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = '200ms'")
        cursor.execute("SELECT pg_sleep(10)")
