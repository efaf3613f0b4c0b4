"""Retention of monitoring data (clause 4.2): HR see the page and receipts; only the Head of HR holds."""

import datetime as dt

from django.utils import timezone

from cases.models import Case as CaseFile
from monitoring.models import PurgeReceipt, RetentionHold
from people.models import User
from tests.security.matrix import HR, STAFF, Case, s


def _receipt():
    receipt = PurgeReceipt.objects.order_by("pk").first()
    return {"pk": receipt.pk}


def _hold_on(school: str):
    def make():
        subject = User.objects.filter(organisation__name=school, role_assignments__isnull=True).order_by("pk").last()
        case = CaseFile.objects.create(
            reference=f"CASE-ACC-{subject.pk}",
            subject=subject,
            organisation_id=subject.organisation_id,
            summary="Alleged use of social media in lessons.",
            opened_by=User.objects.get(username="hr"),
        )
        today = timezone.localdate()
        hold = RetentionHold.objects.create(
            case=case,
            employee=subject,
            period_start=today - dt.timedelta(days=10),
            period_end=today,
            reason="Evidence for the hearing.",
            ends_on=today + dt.timedelta(days=30),
            created_by=User.objects.get(username="headofhr"),
        )
        return {"pk": hold.pk}

    return make


ROUTES = {
    "monitoring:retention": [Case(get_ok=HR)],
    "monitoring:retention_receipt": [Case("the demo's purge receipt", _receipt, get_ok=HR)],
    "monitoring:hold_create": [Case(get_ok=s("headofhr"), post_ok=s("headofhr"))],
    "monitoring:hold_release": [
        Case(
            "a hold on Oakfield staff",
            _hold_on("Oakfield Primary School"),
            get_ok=STAFF,
            get_status=405,
            post_ok=s("headofhr"),
        ),
        Case(
            "a hold on another school's staff",
            _hold_on("Kennet Valley Academy"),
            get_ok=STAFF,
            get_status=405,
            post_ok=s("headofhr"),
        ),
    ],
}
