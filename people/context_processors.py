from core.dashboard import nav_groups_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from people.models import Notification
    from people.selectors import policy_acknowledgement_due
    from people.twofactor import requires_two_factor

    return {
        "nav_groups": nav_groups_for(user),
        "policy_due": policy_acknowledgement_due(user),
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "two_step_user": requires_two_factor(user),
    }
