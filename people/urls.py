from django.urls import path

from people import views
from people.directory import views as directory_views
from people.policies import views as policy_views

app_name = "people"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/<int:pk>/acknowledge/", views.policy_acknowledge, name="policy_acknowledge"),
    path("policy/publish/", policy_views.PolicyPublishView.as_view(), name="policy_publish"),
    path(
        "policy/acknowledgements/",
        policy_views.AcknowledgementReportView.as_view(),
        name="policy_acknowledgements",
    ),
    path(
        "policy/acknowledgements/<int:pk>/",
        policy_views.AcknowledgementNamesView.as_view(),
        name="policy_acknowledgement_names",
    ),
    path(
        "policy/acknowledgements.csv",
        policy_views.acknowledgement_download,
        name="policy_acknowledgement_download",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("my-data/", views.MyDataView.as_view(), name="my_data"),
    path("my-data/export.json", views.my_data_export, name="my_data_export"),
    path("people/subject-access/", views.SubjectAccessListView.as_view(), name="sar_list"),
    path("people/subject-access/<int:pk>/", views.SubjectAccessDetailView.as_view(), name="sar_detail"),
    path("people/subject-access/<int:pk>/export.json", views.sar_export, name="sar_export"),
    path("people/subject-access/<int:pk>/complete/", views.sar_complete, name="sar_complete"),
    path("people/subject-access/<int:pk>/withhold/", views.sar_withhold, name="sar_withhold"),
    path("people/directory/", directory_views.StaffImportView.as_view(), name="staff_import"),
    path("people/directory/<int:pk>/", directory_views.StaffImportDetailView.as_view(), name="staff_import_detail"),
    path("people/directory/<int:pk>/apply/", directory_views.StaffImportApplyView.as_view(), name="staff_import_apply"),
    path(
        "people/directory/column-names/new/",
        directory_views.StaffColumnMappingCreateView.as_view(),
        name="staff_mapping_create",
    ),
    path("people/employees/<int:pk>/roles/new/", directory_views.RoleGrantView.as_view(), name="role_grant"),
    path(
        "people/employees/<int:pk>/roles/<int:role_pk>/remove/",
        directory_views.RoleRemoveView.as_view(),
        name="role_remove",
    ),
    path(
        "people/employees/<int:pk>/line-manager/",
        directory_views.LineManagerChangeView.as_view(),
        name="line_manager_change",
    ),
    path("people/employees/<int:pk>/leave/", directory_views.EmployeeLeaveView.as_view(), name="employee_leave"),
    path("people/team/", views.TeamView.as_view(), name="team"),
    path("people/employees/", views.EmployeeListView.as_view(), name="employee_list"),
    path("people/employees/<int:pk>/", views.EmployeeDetailView.as_view(), name="employee_detail"),
    path("people/employees/<int:pk>/overtime/new/", views.OvertimeCreateView.as_view(), name="overtime_create"),
    path("people/organisations/", views.organisation_overview, name="organisation_list"),
    path("people/organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path(
        "people/organisations/<int:pk>/rest-breaks/new/", views.RestBreakCreateView.as_view(), name="rest_break_create"
    ),
    path(
        "people/organisations/<int:pk>/rest-breaks/<int:break_pk>/edit/",
        views.RestBreakUpdateView.as_view(),
        name="rest_break_update",
    ),
    path(
        "people/organisations/<int:pk>/rest-breaks/<int:break_pk>/delete/",
        views.RestBreakDeleteView.as_view(),
        name="rest_break_delete",
    ),
]
