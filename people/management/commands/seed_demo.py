"""Create the demo council, schools, staff and the nine demo users (see README: Demo logins)."""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.dashboard import seed_hooks
from people import demo
from people.models import (
    Organisation,
    OrganisationAlias,
    OvertimePeriod,
    PolicyAcknowledgement,
    PolicyVersion,
    RestBreak,
    RoleAssignment,
    User,
    Weekday,
)


class Command(BaseCommand):
    help = "Seed a demo council with schools, staff and the demo users. Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any employee exists already.")
        parser.add_argument("--staff-per-school", type=int, default=14)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty: bool, staff_per_school: int, seed: int, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates users with a published password; it runs only with DEBUG on.")
        if User.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to do.")
                return
            raise CommandError("The database already has employees; seed_demo only fills an empty database.")
        with transaction.atomic():
            seed_demo_data(staff_per_school=staff_per_school, rng=random.Random(seed))
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {User.objects.count()} employees in {Organisation.objects.count()} organisations. "
                f"Demo users sign in with the password {demo.DEMO_PASSWORD!r}."
            )
        )


def seed_demo_data(*, staff_per_school: int = 14, rng: random.Random | None = None) -> None:
    """The seeding itself, without the DEBUG guard, so that tests can build the same world."""
    rng = rng or random.Random(2026)
    password = make_password(demo.DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take a minute
    council = Organisation.objects.create(name=demo.COUNCIL["name"], kind=Organisation.Kind.COUNCIL)
    _aliases(council, demo.COUNCIL["aliases"])
    schools = []
    for spec in demo.SCHOOLS:
        school = Organisation.objects.create(name=spec["name"], kind=Organisation.Kind.SCHOOL, parent=council)
        _aliases(school, spec["aliases"])
        for weekday in range(Weekday.MONDAY, Weekday.SATURDAY):
            for label, start, end in demo.REST_BREAKS:
                RestBreak.objects.create(organisation=school, weekday=weekday, start=start, end=end, label=label)
        schools.append(school)

    staff_no = iter(range(10001, 99999))
    users: dict[str, User] = {}
    for username, first, last, job, where, roles, manager in demo.DEMO_USERS:
        org = council if where == "council" else schools[where]
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.socialpolicy.invalid",
            job_title=job,
            organisation=org,
            staff_number=f"RBC{next(staff_no)}",
            password=password,
            line_manager=users.get(manager),
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role, organisation=org)
        users[username] = user
    users["comms"].line_manager = users["headofhr"]
    users["admin"].line_manager = users["headofhr"]
    User.objects.bulk_update([users["comms"], users["admin"]], ["line_manager"])

    taken = {(u.first_name, u.last_name) for u in users.values()}

    def person(org: Organisation, job: str, manager: User | None, political: bool = False) -> User:
        while True:
            first, last = rng.choice(demo.FIRST_NAMES), rng.choice(demo.LAST_NAMES)
            if (first, last) not in taken:
                taken.add((first, last))
                break
        username = f"{first}.{last}".lower().replace("'", "")
        return User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.socialpolicy.invalid",
            job_title=job,
            organisation=org,
            staff_number=f"RBC{next(staff_no)}",
            password=password,
            line_manager=manager,
            politically_restricted=political,
        )

    for index, school in enumerate(schools):
        if index == 0:
            head, deputy = users["headteacher"], users["manager"]
        else:
            head = person(school, "Headteacher", None)
            RoleAssignment.objects.create(user=head, role="headteacher", organisation=school)
            deputy = person(school, "Deputy Headteacher", head)
            bursar = person(school, "School Business Manager", head)
            RoleAssignment.objects.create(user=bursar, role="business_manager", organisation=school)
        for _ in range(staff_per_school):
            manager = deputy if rng.random() < 0.7 else head
            person(school, rng.choice(demo.SCHOOL_JOBS), manager)
    for job in demo.COUNCIL_JOBS:
        person(council, job, users["hr"], political=job == "Education Welfare Officer")
    person(council, "Principal Policy Officer", users["headofhr"], political=True)

    today = timezone.localdate()
    policy = PolicyVersion.objects.create(
        version="1.0",
        title="Social media policy",
        summary=demo.POLICY_SUMMARY,
        effective_from=today - dt.timedelta(days=60),
        published_by=users["headofhr"],
    )
    acknowledgers = [u for u in User.objects.exclude(username="employee") if rng.random() < 0.8]
    PolicyAcknowledgement.objects.bulk_create(
        [
            PolicyAcknowledgement(
                policy_version=policy,
                employee=u,
                acknowledged_at=timezone.now() - dt.timedelta(days=rng.randint(1, 55)),
            )
            for u in acknowledgers
        ]
    )
    tz = timezone.get_current_timezone()
    for days_ago in (3, 10):
        day = today - dt.timedelta(days=days_ago)
        OvertimePeriod.objects.create(
            employee=users["employee"],
            start=dt.datetime.combine(day, dt.time(17, 0), tz),
            end=dt.datetime.combine(day, dt.time(19, 30), tz),
            reason="Parents' evening",
            recorded_by=users["manager"],
        )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people.twofactor import DEMO_DEVICE_NAME, requires_two_factor

    # Demo authenticators, so the two-step sign-in can be tried: with DEBUG on the page shows the code.
    for user in users.values():
        if requires_two_factor(user):
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    audit_record(actor=None, action="demo.seeded", details={"employees": User.objects.count()})
    for hook in seed_hooks():
        hook(users=users, schools=schools, council=council, rng=rng)


def _aliases(org: Organisation, aliases: list[tuple[str, str]]) -> None:
    OrganisationAlias.objects.bulk_create(
        [OrganisationAlias(organisation=org, alias=alias, kind=kind) for alias, kind in aliases]
    )
