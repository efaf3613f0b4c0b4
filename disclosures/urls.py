from django.urls import path

from disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.MyAccountsView.as_view(), name="mine"),
    path("new/", views.DisclosureCreateView.as_view(), name="create"),
    path("self-report/", views.SelfReportView.as_view(), name="self_report"),
    path("reconfirm/", views.disclosures_reconfirm, name="reconfirm"),
    path("<int:pk>/", views.DisclosureDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DisclosureUpdateView.as_view(), name="update"),
    path("<int:pk>/follow-up/", views.disclosure_follow_up, name="follow_up"),
    path("review/", views.ReviewListView.as_view(), name="review"),
    path("wordings/", views.WordingListView.as_view(), name="wording_list"),
    path("wordings/new/", views.WordingCreateView.as_view(), name="wording_create"),
    path("wordings/<int:pk>/edit/", views.WordingUpdateView.as_view(), name="wording_update"),
    path("restricted-posts/", views.RestrictedPostListView.as_view(), name="restricted_posts"),
    path("restricted-posts/<int:pk>/lift/", views.restricted_post_lift, name="restricted_post_lift"),
    path("restricted-posts/acknowledge/", views.restricted_post_acknowledge, name="restricted_post_acknowledge"),
]
