"""What disclosures add to the navigation, the dashboards and the demo data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel, seed_hook
from disclosures.models import PersonalAccountDisclosure, PoliticalActivity, RestrictedPostRecord
from disclosures.selectors import reconfirmation_due, restriction_notice_due

nav_entry("My social media", "disclosures:mine", "disclosures.declare_account", order=30)
nav_entry("Declared accounts", "disclosures:review", "disclosures.review_accounts", order=60, section="People")


@panel(order=15)
def my_social_media(request):
    """Every employee: their declared accounts, what needs doing, and the 5.6 notice if it applies."""
    user = request.user
    accounts = list(PersonalAccountDisclosure.objects.filter(employee=user).only("outcome"))
    needing = sum(1 for a in accounts if not a.is_compliant)
    return Panel(
        "Your personal social media",
        "disclosures/panels/my_social_media.html",
        {
            "accounts": len(accounts),
            "needing": needing,
            "restriction_due": restriction_notice_due(user),
            "reconfirmation_due": reconfirmation_due(user) if accounts else False,
        },
        order=15,
    )


@panel(order=35)
def accounts_for_hr(request):
    user = request.user
    if not user.has_perm("disclosures.review_accounts"):
        return None
    return Panel(
        "Personal accounts",
        "disclosures/panels/accounts_for_hr.html",
        {
            "needing": PersonalAccountDisclosure.objects.filter(
                outcome=PersonalAccountDisclosure.Outcome.NEEDS_CHANGES
            ).count(),
            "political": PersonalAccountDisclosure.objects.filter(political_flagged_at__isnull=False).count(),
        },
        order=35,
    )


# --- demo data -----------------------------------------------------------------------------------

DEMO_ACCOUNTS = [
    # (user, platform, handle, display name, profile text, says where, discusses work, disclaimer)
    (
        "manager",
        "x",
        "@sbennett_teaches",
        "Sarah Bennett",
        "Deputy head in Reading. Maths, reading for pleasure and far too much coffee.",
        True,
        True,
        "The views I express here are mine alone and do not necessarily reflect the views of my employer.",
    ),
    (
        "headteacher",
        "linkedin",
        "helen-ashworth-head",
        "Helen Ashworth",
        "Headteacher and NPQH mentor.",
        True,
        False,
        "",
    ),
    ("bizmanager", "facebook", "gareth.lloyd.77", "Gareth Lloyd", "Cyclist, dad, amateur baker.", False, False, ""),
]


@seed_hook
def seed_disclosures(*, users, schools, council, rng, **_):
    from disclosures import services
    from people.models import Notification, User

    first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for username, platform, handle, display, text, says, discusses, disclaimer in DEMO_ACCOUNTS:
        services.disclosure_declare(
            actor=users[username],
            platform=platform,
            handle=handle,
            display_name=display,
            profile_text=text,
            says_works_at_school=says,
            discusses_work=discusses,
            disclaimer=disclaimer,
            privacy_settings_checked=True,
        )
    oakfield = schools[0]
    staff = list(
        User.objects.filter(organisation=oakfield, role_assignments__isnull=True, direct_reports__isnull=True)
        .exclude(username__in=users)
        .order_by("pk")[:3]
    )
    if staff:
        # A member of staff whose handle carries the school's name and who has no disclaimer: HR's list shows it.
        first = staff[0]
        account = services.disclosure_declare(
            actor=first,
            platform="instagram",
            handle=f"@{first.first_name.lower()}_oakfieldprimary",
            display_name=f"{first.first_name} at Oakfield",
            profile_text="Sharing our classroom displays and the odd staffroom grumble.",
            says_works_at_school=True,
            discusses_work=True,
            disclaimer="",
            privacy_settings_checked=True,
        )
        services.disclosure_follow_up(
            actor=users["hr"],
            disclosure=account,
            note="Hello, thank you for declaring this account. Please take the school's name out of the handle "
            "and add a line saying your views are your own.",
        )
    for person in staff[1:]:
        services.disclosure_declare(
            actor=person,
            platform="tiktok",
            handle=f"@{person.first_name.lower()}{person.last_name.lower().replace(chr(39), '')}",
            display_name=f"{person.first_name} {person.last_name[0]}.",
            profile_text="Weekend walks and allotment updates.",
            privacy_settings_checked=True,
        )
    # Politically restricted posts (5.6): one holder has acknowledged the notice, one has disclosed activity.
    restricted = list(User.objects.filter(politically_restricted=True).order_by("pk"))
    for index, holder in enumerate(restricted):
        record = RestrictedPostRecord.objects.create(
            employee=holder,
            reason="Gives regular advice to councillors" if index else "Education welfare casework for the council",
            marked_by=users["headofhr"],
            marked_at=timezone.now() - dt.timedelta(days=120),
        )
        if index == 0:
            record.acknowledged_at = timezone.now() - dt.timedelta(days=110)
            record.save(update_fields=["acknowledged_at"])
            services.disclosure_declare(
                actor=holder,
                platform="facebook",
                handle=f"{holder.first_name.lower()}.{holder.last_name.lower()}",
                display_name=f"{holder.first_name} {holder.last_name}",
                profile_text="Local campaigner. Views are my own.",
                political_activities=[PoliticalActivity.CAMPAIGNING],
                political_details="I share posts for a local party's council election campaign.",
                privacy_settings_checked=True,
            )
    # Demo inboxes start empty (other demo journeys count on it); what the hand-offs were about
    # still shows on HR's pages and dashboard panel. The queued emails find nothing and do nothing.
    Notification.objects.filter(pk__gte=first_new).delete()
