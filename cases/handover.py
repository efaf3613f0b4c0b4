"""Cases a leaver was investigating, which need another investigating officer."""

from cases.models import Case
from people.directory.handover import OpenItem, open_items


@open_items("Cases they investigate")
def cases_investigating(user_ids) -> dict[int, list[OpenItem]]:
    found: dict[int, list[OpenItem]] = {}
    cases = Case.objects.filter(investigating_officer_id__in=user_ids, status__in=Case.ACTIVE_STATES)
    for case in cases:
        found.setdefault(case.investigating_officer_id, []).append(
            OpenItem("Case they investigate", str(case), case.get_absolute_url())
        )
    return found
