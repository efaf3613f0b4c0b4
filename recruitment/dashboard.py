"""What recruitment (clause 6) adds to the navigation, the dashboards and the demo data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.dashboard import Panel, nav_entry, panel, seed_hook
from recruitment.models import Applicant, CandidateSearch

nav_entry("Recruitment", "recruitment:vacancy_list", "recruitment.manage_vacancies", order=65)
nav_entry("Search log", "recruitment:search_list", "recruitment.view_search_log", order=66, section="Oversight")


@panel(order=36)
def refused_searches(request):
    """HR's count of searches refused this week: each was a request to look at a candidate's social media
    that clause 6.1 does not allow."""
    if not request.user.has_perm("recruitment.view_search_log"):
        return None
    week_ago = timezone.now() - dt.timedelta(days=7)
    refused = CandidateSearch.objects.filter(outcome=CandidateSearch.Outcome.REFUSED, searched_at__gte=week_ago)
    return Panel(
        "Recruitment searches", "recruitment/panels/refused_searches.html", {"refused": refused.count()}, order=36
    )


@seed_hook
def seed_recruitment(*, users, schools, **_):
    """Two vacancies with applicants at each stage, and three entries in the search log (6.1)."""
    from people.models import Notification

    # Demo inboxes start empty (other demo journeys count on it), as after the disclosures' demo data.
    first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    _seed_recruitment(users=users, schools=schools)
    Notification.objects.filter(pk__gte=first_new).delete()


def _seed_recruitment(*, users, schools):
    from recruitment import services

    hr = users["hr"]
    today = timezone.localdate()
    teacher = services.vacancy_create(
        actor=hr,
        reference="RBC-2026-014",
        title="Year 2 Class Teacher",
        organisation=schools[0],
        closing_date=today + dt.timedelta(days=10),
    )
    for name, email, status in [
        ("Chloé Martin-Dubois", "chloe.martin@example.invalid", Applicant.Status.SHORTLISTED),
        ("Samuel Okoro", "s.okoro@example.invalid", Applicant.Status.INTERVIEW),
        ("Bethany Rose Clarke", "beth.clarke@example.invalid", Applicant.Status.APPLIED),
        ("Marcus Webb", "marcus.webb@example.invalid", Applicant.Status.WITHDRAWN),
    ]:
        applicant = services.applicant_add(actor=hr, vacancy=teacher, full_name=name, email=email)
        if status != Applicant.Status.APPLIED:
            services.applicant_set_status(actor=hr, applicant=applicant, status=status)
    old = services.vacancy_create(
        actor=hr,
        reference="RBC-2025-077",
        title="School Business Manager",
        organisation=schools[1],
        closing_date=today - dt.timedelta(days=90),
    )
    services.applicant_add(actor=hr, vacancy=old, full_name="Oliver Grant", email="o.grant@example.invalid")
    services.vacancy_set_status(actor=hr, vacancy=old, status="closed")

    services.candidate_search_log(
        actor=hr,
        platform="linkedin",
        subject_name="Priyanka Desai",
        purpose=CandidateSearch.Purpose.SOURCING,
        reason="Looking for an experienced SENCo for Thameside High School.",
        sourcing_evidence="Her LinkedIn profile is marked “Open to work” and lists SENCo roles in Berkshire.",
    )
    services.candidate_search_log(
        actor=users["headofhr"],
        platform="x",
        subject_name="Tomasz Nowicki",
        purpose=CandidateSearch.Purpose.SOURCING,
        reason="Finding a site manager; he posted his CV in a local jobs thread.",
        sourcing_evidence="Posted “looking for a school site manager role, CV in replies” on 12 January.",
    )
    services.candidate_search_log(
        actor=hr,
        platform="facebook",
        subject_name="chloe martin dubois",
        purpose=CandidateSearch.Purpose.VETTING,
        reason="A governor asked what she posts before the interview.",
    )
