"""What monitoring adds to the navigation, to dashboards and to the demo data."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Q
from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel, seed_hook
from monitoring.models import (
    AccessWithdrawal,
    AddressRange,
    MonitoringCheck,
    NetworkIdentity,
    Site,
    UsageDay,
    UsageImport,
)
from monitoring.selectors import withdrawals_applying_to
from people.models import Notification
from people.rules import is_hr

nav_entry("Monitoring", "monitoring:overview", "monitoring.run_monitoring", order=60, section="Oversight")
nav_entry("Monitoring checks", "monitoring:check_list", "monitoring.manager_checks_nav", order=25, section="People")
nav_entry("My monitoring data", "monitoring:my_monitoring", "monitoring.see_own_monitoring", order=90)


@panel(order=40)
def monitoring_for_hr(request):
    user = request.user
    if not is_hr(user):
        return None
    since = timezone.localdate() - dt.timedelta(days=13)
    flagged = (
        UsageDay.objects.filter(day__gte=since, possible_excessive_use=True)
        .exclude(employee=user)
        .values("employee")
        .distinct()
        .count()
    )
    awaiting = MonitoringCheck.objects.filter(status=MonitoringCheck.Status.REQUESTED).exclude(
        Q(employee=user) | Q(requested_by=user)
    )
    due = AccessWithdrawal.objects.filter(
        status=AccessWithdrawal.Status.ACTIVE, review_date__lte=timezone.localdate()
    ).count()
    return Panel(
        "Internet use monitoring",
        "monitoring/panels/hr.html",
        {"flagged": flagged, "awaiting": awaiting.count(), "due": due},
        order=40,
    )


@panel(order=41)
def my_checks(request):
    user = request.user
    if is_hr(user) or not user.has_perm("monitoring.manager_checks_nav"):
        return None
    checks = list(MonitoringCheck.objects.filter(requested_by=user).select_related("employee")[:5])
    return Panel("Monitoring checks you asked for", "monitoring/panels/my_checks.html", {"checks": checks}, order=41)


@panel(order=42)
def my_withdrawals(request):
    withdrawals = list(withdrawals_applying_to(request.user))
    if not withdrawals:
        return None
    return Panel(
        "Sites withdrawn from you", "monitoring/panels/my_withdrawals.html", {"withdrawals": withdrawals}, order=42
    )


# --- demo data ------------------------------------------------------------------------------------------

SOCIAL_URLS = [
    "https://www.facebook.com/",
    "www.instagram.com:443",
    "https://www.youtube.com/watch?v=demo",
    "https://x.com/home",
    "www.tiktok.com:443",
]
WORK_URLS = ["https://www.bbc.co.uk/bitesize", "https://classroom.google.com/", "www.gov.uk:443"]


def demo_squid_log(*, staff: list, rng, today: dt.date, focus_username: str) -> bytes:
    """A small Squid access.log of the last two working weeks at Oakfield, in Squid's native format."""
    lines = []
    tz = timezone.get_current_timezone()

    def add(moment: dt.datetime, address: str, user: str, url: str) -> None:
        method = "CONNECT" if "://" not in url else "GET"
        code = "TCP_TUNNEL/200" if method == "CONNECT" else rng.choice(["TCP_MISS/200", "TCP_HIT/200"])
        lines.append(
            f"{moment.timestamp():.3f} {rng.randint(20, 900):6d} {address} {code} {rng.randint(800, 90000)} "
            f"{method} {url} {user} HIER_DIRECT/203.0.113.{rng.randint(1, 250)} text/html"
        )

    day = today - dt.timedelta(days=14)
    while day < today - dt.timedelta(days=1):
        day += dt.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        for index, person in enumerate(staff):
            address = f"10.10.{index // 200}.{index % 200 + 10}"
            for _ in range(rng.randint(1, 4)):
                start = dt.datetime.combine(day, dt.time(9, 0), tz) + dt.timedelta(minutes=rng.randint(0, 420))
                add(start, address, person.username, rng.choice(WORK_URLS))
            if rng.random() < 0.6:  # a few minutes of social media at lunch, on their own phone
                lunch = dt.datetime.combine(day, dt.time(12, 20), tz) + dt.timedelta(minutes=rng.randint(0, 20))
                for minute in range(rng.randint(3, 15)):
                    add(
                        lunch + dt.timedelta(minutes=minute),
                        f"10.11.0.{index + 10}",
                        person.username,
                        rng.choice(SOCIAL_URLS),
                    )
            if person.username == focus_username and day.weekday() in (1, 3):
                # The demo pointer: most of a morning lesson on social media, on a school computer.
                lesson = dt.datetime.combine(day, dt.time(9, 5), tz)
                for minute in range(45):
                    add(
                        lesson + dt.timedelta(minutes=minute, seconds=rng.randint(0, 50)),
                        address,
                        person.username,
                        SOCIAL_URLS[minute % 2],
                    )
        guest = dt.datetime.combine(day, dt.time(11, 0), tz)
        for minute in range(5):  # a device nobody has claimed yet, on the staff Wi-Fi
            add(guest + dt.timedelta(minutes=minute), "10.11.9.99", "-", SOCIAL_URLS[2])
    lines.sort(key=lambda line: float(line.split(" ", 1)[0]))
    return ("\n".join(lines) + "\n").encode()


@seed_hook
def seed_monitoring(*, users, schools, council, rng, **kwargs):
    from django.db import connection

    from monitoring.catalogue import ensure_catalogue
    from monitoring.models import CsvMapping, UsageImport
    from monitoring.services import check_request, usage_import_run, withdrawal_create

    # seed_demo fills an empty database; usage records with no import behind them are left over from a flush
    # (Django does not flush the unmanaged, partitioned usage table), so they go too.
    if not UsageImport.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE monitoring_usagerecord")
    ensure_catalogue(Site, CsvMapping)
    seeding_started = timezone.now()
    oakfield = schools[0]
    hr = users["hr"]
    AddressRange.objects.get_or_create(
        network="10.10.0.0/16", defaults={"organisation": oakfield, "device": "school", "label": "Classroom PCs"}
    )
    AddressRange.objects.get_or_create(
        network="10.11.0.0/16", defaults={"organisation": oakfield, "device": "own", "label": "Staff Wi-Fi"}
    )
    staff = list(oakfield.employees.order_by("pk"))
    year_ago = timezone.now() - dt.timedelta(days=365)
    NetworkIdentity.objects.bulk_create(
        [
            NetworkIdentity(kind="username", value=p.username, employee=p, valid_from=year_ago, created_by=hr)
            for p in staff
        ]
    )
    today = timezone.localdate()
    log = demo_squid_log(staff=staff, rng=rng, today=today, focus_username="employee")
    usage_import_run(
        actor=hr, stream=io.BytesIO(log), file_name="oakfield-access.log", file_size=len(log), format="squid"
    )
    check_request(
        actor=users["manager"],
        employee=users["employee"],
        reason=MonitoringCheck.Reason.EXCESSIVE_USE,
        justification="James has been seen on social media during lessons on several mornings this fortnight.",
        period_start=today - dt.timedelta(days=13),
        period_end=today,
    )
    other = next(p for p in staff if p.username not in {"employee", "manager", "headteacher", "bizmanager"})
    withdrawal_create(
        actor=hr,
        site=Site.objects.get(name="TikTok"),
        employee=other,
        reason="Repeated use of TikTok during lessons after an informal warning.",
        reference="INC-2026-014",
        review_date=today + dt.timedelta(days=60),
    )
    # The demo starts with empty inboxes (as the people app's demo does): the HR panel shows the waiting check.
    Notification.objects.filter(created_at__gte=seeding_started).delete()


def seed_retention(*, users, schools, council, rng, **kwargs):
    """Demo for clause 4.2: an import report, daily analyses and usage from 13 months ago that the first purge
    removes (so its receipt shows real work), and the Head of HR's hold on the evidence of the demo case.

    Registered by `MonitoringConfig.ready`, after every app's dashboard, because it needs the cases demo."""
    from django.db import connection

    from cases.models import Case
    from monitoring.models import PurgeReceipt
    from monitoring.retention import hold_create, retention_purge

    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=400)
    staff = list(schools[0].employees.order_by("pk")[:6])
    UsageImport.objects.create(
        file_name="oakfield-access-autumn.log",
        format="squid",
        status="done",
        lines_read=1200,
        lines_kept=300,
        records_written=180,
        created_at=long_ago,
        finished_at=long_ago,
    )
    UsageDay.objects.bulk_create(
        [UsageDay(employee=p, day=long_ago.date(), minutes_in_breaks=rng.randint(3, 20)) for p in staff]
    )
    site = Site.objects.order_by("pk").values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        for person in staff:
            cursor.execute(
                "INSERT INTO monitoring_usagerecord (identity_kind, identity_value, employee_id, site_id, device, "
                "started_at, first_seen, last_seen, requests, bytes) SELECT 'username', %s, %s, %s, 'own', t, t, t, "
                "2, 4000 FROM generate_series(%s::timestamptz, %s::timestamptz, interval '1 minute') t",
                [person.username, person.pk, site, long_ago, long_ago + dt.timedelta(minutes=14)],
            )
    case = Case.objects.exclude(status=Case.Status.CLOSED).filter(organisation=schools[0]).order_by("pk").first()
    if case is not None:
        hold_create(
            actor=users["headofhr"],
            case=case,
            period_start=today - dt.timedelta(days=13),
            period_end=today,
            reason="The investigation may need this fortnight's social media use if the hearing runs past a year.",
            ends_on=today + dt.timedelta(days=180),
        )
    retention_purge(trigger=PurgeReceipt.Trigger.OTHER)
