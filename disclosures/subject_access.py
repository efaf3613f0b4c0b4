"""What the disclosures app holds about an employee, for subject access (clause 5)."""

from core.subject_access import subject_data
from disclosures.models import (
    DisclosureFollowUp,
    DisclosureReconfirmation,
    PersonalAccountDisclosure,
    RestrictedPostRecord,
)


@subject_data("disclosures", "Personal social media accounts you declared (clause 5)", order=20)
def declared_accounts(employee):
    return [
        {
            "platform": d.get_platform_display(),
            "handle": d.handle,
            "display name": d.display_name,
            "profile link": d.profile_url,
            "outcome": d.get_outcome_display(),
            "submitted": d.submitted_at,
            "checked": d.checked_at,
        }
        for d in PersonalAccountDisclosure.objects.filter(employee=employee)
    ]


@subject_data("disclosure_follow_ups", "HR's follow-ups on your declared accounts", order=21)
def follow_ups(employee):
    return [
        {"account": f.disclosure.handle, "note": f.note, "recorded": f.recorded_at}
        for f in DisclosureFollowUp.objects.filter(disclosure__employee=employee).select_related("disclosure")
    ]


@subject_data("disclosure_reconfirmations", "Your yearly reconfirmations of your accounts", order=22)
def reconfirmations(employee):
    return [
        {"confirmed": r.confirmed_at, "accounts": r.accounts}
        for r in DisclosureReconfirmation.objects.filter(employee=employee)
    ]


@subject_data("restricted_post", "Politically restricted post records (clause 5.6)", order=23)
def restricted_post(employee):
    return [
        {"reason": r.reason, "marked": r.marked_at, "acknowledged": r.acknowledged_at, "lifted": r.lifted_at}
        for r in RestrictedPostRecord.objects.filter(employee=employee)
    ]
