"""generate_scale_data at tiny sizes: it refuses real data, fills what it says, reproducibly, puts back
the indexes and keys it drops for the load, and its SQL summary of usage days agrees with the Python
rest-break analysis."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, IncidentReport
from monitoring.analysis import analyse_employee
from monitoring.models import UsageDay, UsageRecord
from monitoring.partitions import DEFAULT, ensure_partitions, month_start, partition_name
from people.models import Role, RoleAssignment, User

LOADED_TABLES = (
    "cases_case",
    "cases_casedeadline",
    "cases_incidentreport",
    "monitoring_usagerecord",
    "monitoring_usageday",
)
TINY = dict(employees=12, schools=2, cases=5, incidents=40, days=3, minutes_per_day=3, seed=5)


def generate(**overrides):
    call_command("generate_scale_data", **{**TINY, **overrides}, stdout=open("/dev/null", "w"))


def fingerprint() -> str:
    with connection.cursor() as cursor:
        parts = []
        for sql in [
            "SELECT username, first_name, last_name, organisation_id IS NULL FROM people_user "
            "WHERE username LIKE 'scale-%' ORDER BY username",
            "SELECT c.reference, u.username, c.status, c.opened_at FROM cases_case c "
            "JOIN people_user u ON u.id = c.subject_id ORDER BY c.reference",
            "SELECT r.reference, u.username, r.status, r.platform, r.categories, r.reported_at FROM "
            "cases_incidentreport r JOIN people_user u ON u.id = r.subject_id ORDER BY r.reference",
            "SELECT identity_kind, identity_value, site_id, device, started_at, requests, bytes "
            "FROM monitoring_usagerecord ORDER BY 1, 2, 3, 4, 5",
        ]:
            cursor.execute(sql)
            parts.append(repr(cursor.fetchall()))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def indexes_and_keys() -> list:
    """The indexes and constraints of the tables the generator loads, and of every usage partition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'index', indrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%(tables)s::regclass[]) UNION ALL "
            "SELECT 'constraint', conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%(tables)s::regclass[]) UNION ALL "
            "SELECT 'partition indexes', '', count(*)::text FROM pg_index i "
            "JOIN pg_inherits p ON p.inhrelid = i.indrelid "
            "WHERE p.inhparent = 'monitoring_usagerecord'::regclass ORDER BY 1, 2, 3",
            {"tables": list(LOADED_TABLES)},
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_it_refuses_a_database_with_real_employees():
    assert User.objects.exclude(username__startswith="scale-").exists()  # the demo world
    with pytest.raises(CommandError, match="real employees"):
        generate()
    assert not User.objects.filter(username__startswith="scale-").exists()


@pytest.mark.django_db
def test_it_fills_the_council_it_is_asked_for():
    generate(force=True)
    staff = User.objects.filter(username__startswith="scale-")
    assert staff.count() == 12
    assert RoleAssignment.objects.filter(user__in=staff, role=Role.HR_OFFICER).count() == 1
    assert Case.objects.filter(reference__startswith="SC5-C").count() == 5
    reports = IncidentReport.objects.filter(reference__startswith="SC5-R")
    assert reports.count() == 40
    assert not reports.filter(status="merged", case__isnull=True).exists()
    assert not reports.filter(anonymous=True, reporter__isnull=False).exists()
    usage = UsageRecord.objects.filter(employee__in=staff)
    assert usage.exists()
    assert UsageRecord.objects.filter(employee__isnull=True, identity_kind="address").exists()
    assert UsageDay.objects.filter(employee__in=staff).exists()
    # Every row went into its month's partition (ensure_partitions ran), none into the default one.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT}")
        assert cursor.fetchone()[0] == 0
        first = usage.order_by("started_at").first().started_at
        cursor.execute(f"SELECT count(*) FROM {partition_name(month_start(first))}")
        assert cursor.fetchone()[0] > 0
    # Identity ids stay unique, and the sequence carries on after them.
    assert usage.values("id").distinct().count() == usage.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('monitoring_usagerecord', 'id'))")
        assert cursor.fetchone()[0] > UsageRecord.objects.order_by("-id").first().id


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_council():
    prints = []
    for seed in (5, 5, 6):
        with transaction.atomic():
            generate(force=True, seed=seed)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


@pytest.mark.django_db
def test_usage_days_agree_with_the_rest_break_analysis():
    generate(force=True, employees=6, minutes_per_day=20)
    checked = 0
    for stored in UsageDay.objects.filter(employee__username__startswith="scale-").select_related(
        "employee__organisation"
    )[:12]:
        analysed = analyse_employee(stored.employee, stored.day, stored.day)[stored.day]
        assert (stored.minutes_in_breaks, stored.minutes_outside_breaks, stored.minutes_outside_hours) == (
            analysed.in_breaks,
            analysed.outside_breaks,
            analysed.outside_hours,
        )
        assert (stored.minutes_school_device, stored.minutes_own_device, stored.requests) == (
            analysed.school_device,
            analysed.own_device,
            analysed.requests,
        )
        checked += 1
    assert checked
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT (r.employee_id, (r.started_at AT TIME ZONE 'Europe/London')::date)) "
            "FROM monitoring_usagerecord r JOIN people_user u ON u.id = r.employee_id WHERE u.username LIKE 'scale-%'"
        )
        days_used = cursor.fetchone()[0]
    assert UsageDay.objects.filter(employee__username__startswith="scale-").count() == days_used


@pytest.mark.django_db
def test_the_indexes_and_keys_it_drops_for_the_load_come_back():
    # The partitions the run needs, made beforehand so that both lists count the same partitions.
    ensure_partitions(months_ahead=2, months_behind=12, today=timezone.localdate())
    before = indexes_and_keys()
    generate(force=True)
    assert indexes_and_keys() == before
    assert any(kind == "constraint" and "FOREIGN KEY" in text for kind, _, text in before)
