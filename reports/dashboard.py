"""What the reports app adds: the HR reports menu entry and the cross-app "Waiting for you" panel."""

from __future__ import annotations

from core.dashboard import Panel, nav_entry, panel, seed_hook, waiting_for
from reports import waiting  # noqa: F401  (registers the waiting items of the apps that exist now)

nav_entry("HR reports", "reports:index", "reports.view_reports", order=96, section="Oversight")


@panel(order=1)
def waiting_for_you(request):
    """Everything waiting for this person across the apps, with counts and links; shown to everyone."""
    items = waiting_for(request.user)
    return Panel("Waiting for you", "reports/panels/waiting.html", {"items": items}, order=1)


@seed_hook
def seed_reports(*, users, **_):
    """The school business manager is asked for advice on a draft post (3.4), so something waits for them too.
    Like the other apps' demo data, it leaves the inboxes empty."""
    from people.models import Notification
    from publishing import services
    from publishing.models import Post

    first_new = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    draft = Post.objects.filter(author=users["employee"], state=Post.State.DRAFT).order_by("pk").first()
    if draft is not None:
        services.advice_ask(
            actor=users["employee"],
            post=draft,
            adviser=users["bizmanager"],
            question="Is it all right to say the library is open on Wednesdays before the new rota is agreed?",
        )
    Notification.objects.filter(pk__gte=first_new).delete()
