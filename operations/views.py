from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.health import health_report


@login_not_required
@never_cache
@require_GET
def health(request):
    """200 when every component holds, 503 naming those that do not. Open to all; nothing personal in it."""
    report = health_report()
    failing = sorted(name for name, state in report.items() if state != "ok")
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": report}
    return JsonResponse(body, status=503 if failing else 200)
