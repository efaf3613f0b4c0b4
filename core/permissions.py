"""Permissions: the check every service makes, and declaring a view's permission.

Login is already required by LoginRequiredMiddleware, so a signed-in user without the permission gets 403,
never a confusing bounce to the login page."""

from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin as _RulesPermissionRequiredMixin
from rules.contrib.views import permission_required as _rules_permission_required


def permission_required(perm, fn=None):
    return _rules_permission_required(perm, fn=fn, raise_exception=True)


class PermissionRequiredMixin(_RulesPermissionRequiredMixin):
    raise_exception = True


def require(actor, perm: str, obj=None, *, message: str = "") -> None:
    """The first thing a service does: refuse (PermissionDenied) unless the actor holds `perm` on `obj`."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message or f"You may not {perm.split('.', 1)[1].replace('_', ' ')}.")
