from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from operations.views import health
from people.twofactor import two_factor

admin.site.site_header = "socialpolicy administration"
admin.site.site_title = "socialpolicy admin"
admin.site.index_title = "Records by policy section"

urlpatterns = [
    path("accounts/", include("people.signin.urls")),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/2fa/", two_factor, name="two_factor"),
    path("health/", health, name="health"),
    path("audit/", include("audit.urls")),
    path("publishing/", include("publishing.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("disclosures/", include("disclosures.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("cases/", include("cases.urls")),
    path("cases/", include("surveillance.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("", include("people.urls")),
]

handler403 = "audit.views.permission_denied"
handler404 = "audit.views.page_not_found"
