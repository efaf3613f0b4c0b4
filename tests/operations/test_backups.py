"""A backup is made with pg_dump, restored into a fresh database, and holds the same rows; old ones are deleted."""

import datetime as dt
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from operations import backups
from tests.celery_worker import _database_url_for


@pytest.fixture
def backup_dir(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path
    return tmp_path


def _admin():
    conn = psycopg2.connect(_database_url_for("postgres"))
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    conn = _admin()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = _admin()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _rows(url: str) -> dict:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT username, email FROM people_user ORDER BY id")
            users = cursor.fetchall()
            cursor.execute("SELECT id, hash FROM audit_auditevent ORDER BY id")
            audit = cursor.fetchall()
            cursor.execute("SELECT count(*) FROM monitoring_usagerecord")
            usage = cursor.fetchone()[0]
    finally:
        conn.close()
    return {"users": users, "audit": audit, "usage": usage}


@pytest.mark.django_db
def test_a_backup_restored_into_a_fresh_database_holds_the_same_rows(backup_dir, fresh_database):
    call_command("backup_database")
    [backup] = backups.backups()
    assert backup.size > 0 and backup.path.parent == backup_dir

    target = _database_url_for(fresh_database)
    call_command("restore_database", str(backup.path), "--database-url", target, "--yes")
    original = _rows(_database_url_for(connection.settings_dict["NAME"]))
    assert original["users"] and original["audit"]
    assert _rows(target) == original


def test_restore_asks_for_confirmation_and_a_real_file(backup_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup"):
        call_command("restore_database", str(backup_dir / "missing.dump"), "--database-url", "postgres://x@y/z")
    (backup_dir / "b.dump").write_bytes(b"x")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_database", str(backup_dir / "b.dump"), "--database-url", "postgres://x@y/z")


def test_backups_older_than_the_retention_are_deleted(backup_dir, settings):
    settings.BACKUP_RETENTION_DAYS = 28
    now = timezone.now()
    for days in (0, 27, 29, 60):
        stamp = (now - dt.timedelta(days=days)).astimezone(dt.UTC)
        (backup_dir / f"socialpolicy-{stamp:%Y%m%dT%H%M%SZ}.dump").write_bytes(b"x")
    (backup_dir / "socialpolicy-20000101T000000Z.partial").write_bytes(b"x")
    removed = backups.backup_prune(now=now)
    assert len(removed) == 2
    assert [round((now - b.taken_at).total_seconds() / 86400) for b in backups.backups()] == [0, 27]
    assert not list(backup_dir.glob("*.partial"))


def test_backups_may_not_be_kept_longer_than_a_month():
    from tests.operations.test_settings import _settings_in_a_fresh_process

    with pytest.raises(AssertionError, match="BACKUP_RETENTION_DAYS must be at most 31"):
        _settings_in_a_fresh_process("print(settings.BACKUP_RETENTION_DAYS)", BACKUP_RETENTION_DAYS="90")


@pytest.mark.django_db
def test_the_retention_page_says_how_long_backups_are_kept(client_for, backup_dir, settings):
    settings.BACKUP_RETENTION_DAYS = 21
    stamp = timezone.now().astimezone(dt.UTC)
    (backup_dir / f"socialpolicy-{stamp:%Y%m%dT%H%M%SZ}.dump").write_bytes(b"x")
    page = client_for("hr").get("/monitoring/retention/").content.decode()
    assert "deleted after <strong>21 days</strong>" in page
    assert f"Latest backup: {timezone.localtime(stamp.replace(second=0, microsecond=0)):%d/%m/%Y %H:%M}" in page
