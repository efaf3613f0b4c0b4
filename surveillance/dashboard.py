"""What covert surveillance (7.2) adds to the navigation, dashboards and demo data; autodiscovered by people."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel, seed_hook
from people.models import Organisation, User
from surveillance import selectors as ss

nav_entry("Surveillance", "surveillance:list", "surveillance.surveillance_register", order=62, section="Cases")


@panel(order=44)
def surveillance_panel(request):
    user = request.user
    if not user.has_perm("surveillance.surveillance_register"):
        return None
    oversight = user.has_perm("surveillance.surveillance_oversight")
    running = list(ss.surveillance_visible_to(user).running().order_by("ends_on", "pk")[:5])
    awaiting = list(ss.awaiting_decision(user)[:5]) if oversight else []
    if not running and not awaiting and not oversight:
        return None
    return Panel(
        "Covert surveillance (7.2)",
        "surveillance/panels/surveillance.html",
        {"running": running, "awaiting": awaiting, "oversight": oversight},
        order=44,
    )


@seed_hook
def seed_surveillance(*, users: dict[str, User], schools: list[Organisation], **_):
    """One request by the demo investigator on the demo case, waiting for the demo Head of HR."""
    from cases.models import Case
    from cases.services._common import quiet_notifications
    from surveillance import services

    case = Case.objects.filter(investigating_officer=users["investigator"], organisation=schools[0]).first()
    if case is None:
        return
    today = timezone.localdate()
    with quiet_notifications():
        services.surveillance_request_create(
            actor=users["investigator"],
            case=case,
            grounds="Two colleagues say the subject keeps posting short videos that mock a colleague's accent, "
            "and deletes each within a day. The original video is the subject of the case.",
            necessity="Witnesses describe the videos but kept no copies; without seeing new posts as they appear "
            "the investigation cannot establish whether the conduct continues.",
            proportionality="One public account on one platform, for 21 days, reviewed after a week; the "
            "allegation is of bullying a colleague, which clause 7.3 treats as potentially gross misconduct.",
            less_intrusive="Interviews with the two witnesses (done); asking the subject at interview (would "
            "prompt deletion before evidence is kept); the reported screenshot (covers one video only).",
            platforms=["tiktok"],
            accounts="https://www.tiktok.com/@example (the account named in the original report)",
            public_only_confirmed=True,
            collateral_intrusion="Friends and family may appear in videos. Only content about the colleague is "
            "recorded; nothing about anyone else is kept.",
            starts_on=today + dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=21),
            review_on=today + dt.timedelta(days=8),
            dpia_reference="DPIA-HR-2026-07",
            may_be_criminal=False,
        )
