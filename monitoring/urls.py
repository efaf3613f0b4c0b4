from django.urls import path

from monitoring import views, views_retention

app_name = "monitoring"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("employees/<int:pk>/usage/", views.EmployeeUsageView.as_view(), name="employee_usage"),
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("identities/", views.IdentityListView.as_view(), name="identity_list"),
    path("identities/new/", views.IdentityCreateView.as_view(), name="identity_create"),
    path("address-ranges/new/", views.AddressRangeCreateView.as_view(), name="address_range_create"),
    path("mappings/new/", views.CsvMappingCreateView.as_view(), name="mapping_create"),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import_create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("checks/", views.CheckListView.as_view(), name="check_list"),
    path("checks/new/", views.CheckCreateView.as_view(), name="check_create"),
    path("checks/<int:pk>/", views.CheckDetailView.as_view(), name="check_detail"),
    path("checks/<int:pk>/approve/", views.check_approve, name="check_approve"),
    path("checks/<int:pk>/decline/", views.check_decline, name="check_decline"),
    path("checks/<int:pk>/complete/", views.CheckCompleteView.as_view(), name="check_complete"),
    path("checks/<int:pk>/tell-employee/", views.check_tell_employee, name="check_tell_employee"),
    path("checks/<int:pk>/raise-concern/", views.check_raise_concern, name="check_raise_concern"),
    path("withdrawals/", views.WithdrawalListView.as_view(), name="withdrawal_list"),
    path("withdrawals/new/", views.WithdrawalCreateView.as_view(), name="withdrawal_create"),
    path("withdrawals/<int:pk>/lift/", views.WithdrawalLiftView.as_view(), name="withdrawal_lift"),
    path("withdrawals/block-list/<str:kind>/", views.blocklist_export, name="blocklist"),
    path("my/", views.MyMonitoringView.as_view(), name="my_monitoring"),
    path("retention/", views_retention.RetentionView.as_view(), name="retention"),
    path("retention/receipts/<int:pk>/", views_retention.ReceiptDetailView.as_view(), name="retention_receipt"),
    path("retention/holds/new/", views_retention.HoldCreateView.as_view(), name="hold_create"),
    path("retention/holds/<int:pk>/release/", views_retention.hold_release, name="hold_release"),
]
