"""Nightly database backups with pg_dump, kept for a bounded number of days, and the restore.

A backup holds everything the database holds, monitoring information included, so it may not be kept for long:
BACKUP_RETENTION_DAYS (28 by default, 31 at most). Something the nightly purge removes (clause 4.2) is then gone
from every backup within that many days; with MONITORING_RETENTION_MONTHS=11 nothing monitored outlives 12
months anywhere, backups included.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)
PREFIX = "socialpolicy-"
SUFFIX = ".dump"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    size: int


def _libpq_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment, not the command line."""
    host = settings_dict.get("HOST") or (settings_dict.get("OPTIONS") or {}).get("host")  # a socket folder, too
    args = ["--host", host] if host else []
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN_DIR when set (the embedded server's own, in development), else PATH.
    They must be of the server's major version or newer."""
    return str(Path(settings.PG_BIN_DIR) / name) if settings.PG_BIN_DIR else name


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def backups() -> list[Backup]:
    """The backups on disk, newest first."""
    found = []
    for path in backup_dir().glob(f"{PREFIX}*{SUFFIX}"):
        stamp = path.name[len(PREFIX) : -len(SUFFIX)]
        try:
            taken = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        found.append(Backup(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backup_create(*, now: dt.datetime | None = None) -> Backup:
    """pg_dump of the whole database (custom format, compressed) into BACKUP_DIR, then old backups removed."""
    now = now or timezone.now()
    target = backup_dir()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"
    partial = path.with_suffix(".partial")
    args, env = _libpq_env(connection.settings_dict)
    subprocess.run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(partial),
            *args,
            connection.settings_dict["NAME"],
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    partial.rename(path)  # only a complete dump carries the backup's name
    backup_prune(now=now)
    logger.info("backup written: %s (%s bytes)", path.name, path.stat().st_size)
    return Backup(path, now, path.stat().st_size)


def backup_prune(*, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups older than BACKUP_RETENTION_DAYS."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.BACKUP_RETENTION_DAYS)
    removed = []
    for backup in backups():
        if backup.taken_at < limit:
            backup.path.unlink()
            removed.append(backup.path)
    for leftover in backup_dir().glob(f"{PREFIX}*.partial"):
        leftover.unlink()
    return removed


def backup_restore(path: Path, *, database_url: str) -> None:
    """pg_restore a backup into the (empty, or to be overwritten) database at database_url."""
    import dj_database_url

    target = dj_database_url.parse(database_url)
    args, env = _libpq_env(target)
    subprocess.run(
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args]
        + ["--dbname", target["NAME"], str(path)],
        env=env,
        check=True,
        capture_output=True,
    )


def backup_summary() -> dict:
    """For the retention page: how long backups are kept, whether they are scheduled, and the latest one here."""
    found = backups() if backup_dir().is_dir() else []
    return {
        "retention_days": settings.BACKUP_RETENTION_DAYS,
        "scheduled": "nightly-database-backup" in settings.CELERY_BEAT_SCHEDULE,
        "latest": found[0].taken_at if found else None,
    }
