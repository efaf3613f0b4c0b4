"""Declaring a view's permission. Login is already required by LoginRequiredMiddleware, so a
signed-in user without the permission gets 403, never a confusing bounce to the login page."""

from rules.contrib.views import PermissionRequiredMixin as _RulesPermissionRequiredMixin
from rules.contrib.views import permission_required as _rules_permission_required


def permission_required(perm, fn=None):
    return _rules_permission_required(perm, fn=fn, raise_exception=True)


class PermissionRequiredMixin(_RulesPermissionRequiredMixin):
    raise_exception = True
