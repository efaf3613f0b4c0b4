from celery import shared_task


@shared_task(time_limit=3600)
def backup_database() -> str:
    """Nightly: a pg_dump into BACKUP_DIR; backups older than BACKUP_RETENTION_DAYS are deleted."""
    from operations.backups import backup_create

    return backup_create().path.name
